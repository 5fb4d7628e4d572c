"""Each kiosk view drawn from what `kpi.views` computed: components only, no decisions about who is shown."""

from __future__ import annotations

from dash import html

from dashboard.layouts.kiosk.badges import badges
from dashboard.layouts.kiosk.challenges import board, race
from dashboard.layouts.kiosk.chart import trend_image
from kpi.config.screens import (
    BadgesView,
    ChallengeRaceView,
    ChallengesView,
    KpiTilesView,
    LeaderboardView,
    NpsTrendView,
    TeamGoalsView,
    View,
)
from kpi.model.celebration import Celebration
from kpi.model.periods import Period, span_of
from kpi.read.formatting import Shown, change_text, format_value, money
from kpi.read.goal_progress import GoalProgress
from kpi.read.kiosk_views import Podium, PodiumRow, Tile, ViewData
from kpi.read.trends import NpsTrend

_THIS: dict[Period, str] = {
    "day": "Today",
    "week": "This week",
    "month": "This month",
    "quarter": "This quarter",
    "year": "This year",
}
_PLACES = {1: "1st", 2: "2nd", 3: "3rd"}


def render(view: View, data: ViewData) -> html.Div:
    """The content of one view."""
    if isinstance(view, LeaderboardView):
        return podium(view, data)  # type: ignore[arg-type]
    if isinstance(view, TeamGoalsView):
        return goals(view, data)  # type: ignore[arg-type]
    if isinstance(view, NpsTrendView):
        return nps(view, data)  # type: ignore[arg-type]
    if isinstance(view, KpiTilesView):
        return tiles(view, data)  # type: ignore[arg-type]
    if isinstance(view, BadgesView):
        sub = f"The latest on the floor · last {view.days} days"
        return badges(view, data, _head(view.title or "New badges", sub))  # type: ignore[arg-type]
    if isinstance(view, ChallengeRaceView):
        return race(view.title, data)  # type: ignore[arg-type]
    if isinstance(view, ChallengesView):
        return board(view.title, data)  # type: ignore[arg-type]
    return html.Div()


def bucket_words(period: Period, bucket: str) -> str:
    """``2026-W48`` → ``Week 48 · 23–29 Nov``, ``2026-11`` → ``November 2026``."""
    span = span_of(period, bucket)
    if period == "day":
        return span.first.strftime("%A %-d %B")
    if period == "week":
        end = span.last.strftime("%-d %b")
        start = span.first.strftime("%-d" if span.first.month == span.last.month else "%-d %b")
        return f"Week {span.first.isocalendar()[1]} · {start}–{end}"
    if period == "month":
        return span.first.strftime("%B %Y")
    if period == "quarter":
        return f"Q{(span.first.month - 1) // 3 + 1} {span.first.year}"
    return str(span.first.year)


def _head(title: str, subtitle: str, period_label: str = "") -> html.Div:
    return html.Div(
        className="wb-view-head",
        children=[
            html.H2(title, className="wb-view-title"),
            html.Div(
                [
                    html.Span(period_label, className="wb-view-period") if period_label else None,
                    html.Span(subtitle, className="wb-view-sub"),
                ],
                className="wb-view-meta",
            ),
        ],
    )


def _figure(value: Shown, class_name: str) -> html.Span:
    return html.Span(
        className=class_name,
        children=[
            html.Span(value.prefix, className="wb-unit-pre") if value.prefix else None,
            html.Span(value.number, className="wb-num"),
            html.Span(value.suffix, className="wb-unit") if value.suffix else None,
        ],
    )


def _movement(row: PodiumRow) -> html.Span:
    if row.new:
        return html.Span("NEW", className="wb-move is-new")
    if row.movement is None:
        return html.Span("▲", className="wb-move is-up")
    if row.movement == 0:
        return html.Span("=", className="wb-move is-same")
    arrow, kind = ("▲", "is-up") if row.movement > 0 else ("▼", "is-down")
    return html.Span(f"{arrow}{abs(row.movement)}", className=f"wb-move {kind}")


def podium(view: LeaderboardView, data: Podium) -> html.Div:
    """Places 1–3 on steps (2nd, 1st, 3rd), places 4–N in a list beside them."""
    label = data.metric.label or data.metric.name
    title = view.title or (f"{label} · by team" if data.scope == "team" else label)
    sub = bucket_words(data.period, data.bucket) + (f" · {data.team}" if data.team else "")
    head = _head(title, sub, _THIS[data.period])
    if not data.rows:
        return html.Div(
            className="wb-leaderboard is-empty",
            children=[
                head,
                html.Div(
                    className="wb-empty",
                    children=[
                        html.Div("The podium is open", className="wb-empty-title"),
                        html.Div(
                            f"Be the first on the board {_THIS[data.period].lower()}.",
                            className="wb-empty-sub",
                        ),
                    ],
                ),
            ],
        )
    steps = [_step(data.rows[i], i + 1, data) if i < len(data.rows) else _open_step(i + 1) for i in range(3)]
    rest = data.rows[3:]
    body = [html.Div(steps, className="wb-podium")]
    if rest:
        body.append(html.Ol([_list_row(row, data) for row in rest], className="wb-ranks"))
    list_rows = f" has-list rows-{(len(rest) + 1) // 2}" if rest else ""
    return html.Div(
        className="wb-leaderboard" + list_rows,
        children=[head, html.Div(body, className="wb-leaderboard-body")],
    )


def _step(row: PodiumRow, slot: int, data: Podium) -> html.Div:
    """A step of the podium: `slot` is its position (1 in the middle), the colour follows the shared rank."""
    return html.Div(
        className=f"wb-step wb-slot-{slot} wb-place-{min(row.rank, 3)}",
        children=[
            html.Div(row.name, className="wb-step-name"),
            html.Div(row.team or "", className="wb-step-team") if data.scope == "agent" else None,
            _figure(format_value(row.value, data.metric, compact=True), "wb-step-value"),
            html.Div(
                className="wb-block",
                children=[
                    html.Div(_PLACES.get(row.rank, f"{row.rank}th"), className="wb-block-rank"),
                    _movement(row),
                ],
            ),
        ],
    )


def _open_step(place: int) -> html.Div:
    return html.Div(
        className=f"wb-step wb-slot-{place} wb-place-{place} is-open",
        children=[
            html.Div("Open spot", className="wb-step-name"),
            html.Div(className="wb-block", children=[html.Div(_PLACES[place], className="wb-block-rank")]),
        ],
    )


def _list_row(row: PodiumRow, data: Podium) -> html.Li:
    return html.Li(
        className="wb-rank-row",
        children=[
            html.Span(str(row.rank), className="wb-rank-num"),
            html.Span(row.name, className="wb-rank-name"),
            _movement(row),
            _figure(format_value(row.value, data.metric, compact=True), "wb-rank-value"),
        ],
    )


def goals(view: TeamGoalsView, data: list[GoalProgress]) -> html.Div:
    """One bar per goal, filled to the figure, with a marker where the team should be by now."""
    head = _head(
        view.title or "Team goals",
        "Where each team stands, and where it should be by now",
        _THIS[view.period] if view.period else "",
    )
    rows = [_goal_row(progress) for progress in data]
    return html.Div(className="wb-goals", children=[head, html.Div(rows, className="wb-goal-list")])


def _goal_row(progress: GoalProgress) -> html.Div:
    metric, goal = progress.metric, progress.goal
    fill = max(0.0, min(progress.fraction or 0.0, 1.0)) * 100
    marker = None
    if progress.expected is not None and progress.status != "done":
        marker = html.Div(
            html.Span("pace", className="wb-pace-label"),
            className="wb-pace",
            style={"left": f"{progress.expected * 100:.1f}%"},
        )
    value, target = progress.shown_value, progress.shown_target
    return html.Div(
        className=f"wb-goal is-{progress.status.replace('_', '-')}",
        children=[
            html.Div(
                className="wb-goal-who",
                children=[
                    html.Div(goal.team, className="wb-goal-team"),
                    html.Div(
                        f"{metric.label or metric.name} · {_THIS[goal.period].lower()}",
                        className="wb-goal-what",
                    ),
                ],
            ),
            html.Div(
                className="wb-goal-track",
                children=[html.Div(className="wb-goal-fill", style={"width": f"{fill:.1f}%"}), marker],
            )
            if progress.running_total
            else html.Div(className="wb-goal-track is-level"),
            html.Div(
                className="wb-goal-figures",
                children=[
                    html.Div(
                        [
                            _figure(value, "wb-goal-value"),
                            html.Span(" / ", className="wb-goal-of"),
                            _figure(target, "wb-goal-target"),
                        ],
                        className="wb-goal-numbers",
                    ),
                    html.Div(progress.words, className="wb-goal-status"),
                ],
            ),
        ],
    )


def nps(view: NpsTrendView, data: NpsTrend) -> html.Div:
    """The latest rolling NPS big, its shares, and the trend chart."""
    head = _head(
        view.title or "Net Promoter Score",
        f"Last {len(data.days)} days · {data.rolling_days}-day rolling line over daily points",
    )
    responses = data.promoters + data.passives + data.detractors
    change = None
    if data.latest is not None and data.previous is not None:
        delta = data.latest - data.previous
        kind = "is-up" if delta > 0.5 else "is-down" if delta < -0.5 else "is-same"
        arrow = "▲" if kind == "is-up" else "▼" if kind == "is-down" else "="
        change = html.Div(
            f"{arrow} {change_text(delta, True)} on the {data.rolling_days} days before",
            className=f"wb-nps-change {kind}",
        )
    shares = []
    for count, kind in ((data.promoters, "pro"), (data.passives, "pas"), (data.detractors, "det")):
        share = count / responses * 100 if responses else 0
        label = [html.Span(f"{share:.0f}%", className="wb-share-pct")] if share >= 9 else []
        shares.append(
            html.Div(label, className=f"wb-share is-{kind}", style={"flexGrow": f"{max(share, 0.01):.2f}"})
        )
    legend = [
        html.Span([html.I(className=f"wb-dot is-{kind}"), name], className="wb-legend-item")
        for name, kind in (("Promoters", "pro"), ("Passives", "pas"), ("Detractors", "det"))
    ]
    latest = "–" if data.latest is None else (f"{data.latest:+.0f}" if round(data.latest) else "0")
    return html.Div(
        className="wb-nps",
        children=[
            head,
            html.Div(
                className="wb-nps-body",
                children=[
                    html.Div(
                        className="wb-nps-side",
                        children=[
                            html.Div(f"Last {data.rolling_days} days", className="wb-nps-label"),
                            html.Div(latest, className="wb-nps-latest"),
                            change,
                            html.Div(shares, className="wb-share-bar"),
                            html.Div(legend, className="wb-legend"),
                            html.Div(f"{responses:,} responses", className="wb-nps-count"),
                        ],
                    ),
                    html.Div(trend_image(data), className="wb-nps-chart"),
                ],
            ),
        ],
    )


def tiles(view: KpiTilesView, data: list[Tile]) -> html.Div:
    """Big numbers with a coloured arrow: green when the change is good news, red when it is not."""
    head = _head(
        view.title or "The floor at a glance",
        bucket_words(data[0].period, data[0].bucket) if data else "",
        _THIS[view.period],
    )
    cards = [_tile(tile) for tile in data]
    return html.Div(
        className=f"wb-tiles has-{len(cards)}", children=[head, html.Div(cards, className="wb-tile-grid")]
    )


def _tile(tile: Tile) -> html.Div:
    metric = tile.metric
    value = format_value(tile.value, metric, compact=True)
    if tile.change is None:
        compare = html.Div(
            f"vs {tile.compared_with}" if tile.compared_with and tile.reference is not None else "",
            className="wb-tile-compare is-same",
        )
    else:
        kind = "is-good" if tile.better else "is-bad" if tile.better is False else "is-same"
        arrow = "▲" if tile.change > 0 else "▼" if tile.change < 0 else "="
        pace = ", pro rata" if tile.paced else ""
        compare = html.Div(
            className=f"wb-tile-compare {kind}",
            children=[
                html.Span(
                    f"{arrow} {change_text(tile.change, metric.aggregation == 'nps')}",
                    className="wb-tile-change",
                ),
                html.Span(f" vs {tile.compared_with}{pace}", className="wb-tile-vs"),
            ],
        )
    return html.Div(
        className="wb-tile",
        children=[
            html.Div(metric.label or metric.name, className="wb-tile-label"),
            _figure(value, "wb-tile-value"),
            compare,
        ],
    )


def celebration(item: Celebration) -> html.Div:
    """The overlay's content for one celebration (its name already as the screen shows it)."""
    amount = None
    if item.amount is not None:
        amount = _figure(money(item.amount, item.unit), "wb-cele-amount")
    confetti = [
        html.I(
            className=f"wb-confetti c{i % 6}",
            style={"left": f"{(i * 37) % 100}%", "animationDelay": f"{(i * 0.13) % 1.6:.2f}s"},
        )
        for i in range(36)
    ]
    return html.Div(
        className="wb-cele",
        children=[
            html.Div(confetti, className="wb-confetti-box"),
            html.Div(item.title, className="wb-cele-title"),
            html.Div(item.name, className="wb-cele-name"),
            amount,
            html.Div(item.team or "", className="wb-cele-team"),
        ],
    )
