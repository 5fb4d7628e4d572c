"""Each kiosk view drawn from what `kpi.views` computed: components only, no decisions about who is shown."""

from __future__ import annotations

from dash import html

from dashboard.layouts.kiosk.badges import badges
from dashboard.layouts.kiosk.challenges import board, race
from dashboard.layouts.kiosk.chart import trend_image
from dashboard.layouts.kiosk.parts import THIS, bucket_words, figure, head
from dashboard.layouts.kiosk.podium import podium
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
from kpi.read.formatting import change_words, format_value, money
from kpi.read.goal_progress import GoalProgress
from kpi.read.kiosk_views import Tile, ViewData
from kpi.read.trends import NpsTrend

_ARROW_KIND = {"▲": "is-up", "▼": "is-down", "=": "is-same"}


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
        return badges(view, data, head(view.title or "New badges", sub))  # type: ignore[arg-type]
    if isinstance(view, ChallengeRaceView):
        return race(view.title, data)  # type: ignore[arg-type]
    if isinstance(view, ChallengesView):
        return board(view.title, data)  # type: ignore[arg-type]
    return html.Div()


def goals(view: TeamGoalsView, data: list[GoalProgress]) -> html.Div:
    """One bar per goal, filled to the figure, with a marker where the team should be by now."""
    top = head(
        view.title or "Team goals",
        "Where each team stands, and where it should be by now",
        THIS[view.period] if view.period else "",
    )
    groups: dict[str, list[GoalProgress]] = {}
    for progress in data:
        groups.setdefault(progress.goal.team, []).append(progress)
    blocks = [
        html.Section(
            className="wb-goal-group",
            children=[
                html.H3(html.Bdi(team), className="wb-goal-team wb-fit", dir="auto"),
                html.Div([_goal_row(progress, view.period) for progress in rows], className="wb-goal-rows"),
            ],
        )
        for team, rows in groups.items()
    ]
    return html.Div(
        className=f"wb-goals goals-{min(len(data), 8)}",
        children=[top, html.Div(blocks, className="wb-goal-list")],
    )


def _goal_row(progress: GoalProgress, shown_period: str | None) -> html.Div:
    """One goal's bar; its period is named only when the view's chip does not already say it."""
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
                    html.Div(
                        (metric.label or metric.name)
                        + ("" if shown_period == goal.period else f" · {THIS[goal.period].lower()}"),
                        className="wb-goal-what wb-fit",
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
                            figure(value, "wb-goal-value"),
                            html.Span(" / ", className="wb-goal-of"),
                            figure(target, "wb-goal-target"),
                        ],
                        className="wb-goal-numbers wb-fit",
                    ),
                    html.Div(progress.words, className="wb-goal-status"),
                ],
            ),
        ],
    )


def nps(view: NpsTrendView, data: NpsTrend) -> html.Div:
    """The latest rolling NPS big, its shares, and the trend chart."""
    top = head(
        view.title or "Net Promoter Score",
        f"Last {len(data.days)} days · {data.rolling_days}-day rolling line over daily points",
    )
    responses = data.promoters + data.passives + data.detractors
    change = None
    if data.latest is not None and data.previous is not None:
        words = change_words(data.latest - data.previous, True)
        change = html.Div(
            f"{words} vs the previous {data.rolling_days} days",
            className=f"wb-nps-change {_ARROW_KIND[words[0]]}",
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
            top,
            html.Div(
                className="wb-nps-body",
                children=[
                    html.Div(
                        className="wb-nps-side",
                        children=[
                            html.Div(f"Last {data.rolling_days} days", className="wb-nps-label"),
                            html.Div(latest, className="wb-nps-latest wb-fit"),
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
    top = head(
        view.title or "The floor at a glance",
        bucket_words(data[0].period, data[0].bucket) if data else "",
        THIS[view.period],
    )
    cards = [_tile(tile) for tile in data]
    return html.Div(
        className=f"wb-tiles has-{len(cards)}", children=[top, html.Div(cards, className="wb-tile-grid")]
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
        pace = ", pro rata" if tile.paced else ""
        compare = html.Div(
            className=f"wb-tile-compare {kind}",
            children=[
                html.Span(tile.change_words(), className="wb-tile-change"),
                html.Span(f" vs {tile.compared_with}{pace}", className="wb-tile-vs"),
            ],
        )
    return html.Div(
        className="wb-tile",
        children=[
            html.Div(metric.label or metric.name, className="wb-tile-label wb-fit"),
            figure(value, "wb-tile-value wb-fit"),
            compare,
        ],
    )


def celebration(item: Celebration) -> html.Div:
    """The overlay's content for one celebration (its name already as the screen shows it)."""
    amount = None
    if item.amount is not None:
        amount = figure(money(item.amount, item.unit), "wb-cele-amount")
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
            html.Div(html.Bdi(item.name), className="wb-cele-name wb-fit", dir="auto"),
            amount,
            html.Div(item.team or "", className="wb-cele-team"),
        ],
    )
