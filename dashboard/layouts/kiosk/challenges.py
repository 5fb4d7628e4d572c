"""The kiosks' challenge views, drawn from `kpi.read.kiosk_challenges`: race bars, time left, prize, pace.

Who appears was decided on the server (no tests, never beyond top N, hidden agents left out); this module
only draws the rows it is given.
"""

from __future__ import annotations

from dash import html

from kpi.read.challenge_views import ChallengeView, ViewRow
from kpi.read.formatting import value_text
from kpi.read.kiosk_challenges import ChallengeBoard

FEW_MAX = 3
"""Up to this many bars are drawn bigger, centred on the view."""
ROOMY_MAX = 5
"""Up to this many bars keep their roomy size."""
DENSE_MAX = 10
"""Up to this many bars fit one column."""
_KINDS = {
    "race": "Race",
    "team_vs_team": "Team vs team",
    "collaborative": "Together",
    "personal_best": "Personal best",
    "fair_race": "Fair race",
}


def time_left_words(seconds: int) -> str:
    """``3 d 04:05:09 left``, ``2:05:09 left``, ``12:09 left``, ``Ending now`` (assets/kiosk.js writes the
    same words as it counts down every second)."""
    if seconds < 1:
        return "Ending now"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours:02d}:{minutes:02d}:{secs:02d} left"
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d} left"
    return f"{minutes}:{secs:02d} left"


def score_text(data: ChallengeView, score: float | None) -> str:
    """A score as the challenge ranks it: the metric's figure, a percent, or NPS points."""
    if score is None:
        return "–"
    if data.score_unit == "percent":
        sign = "+" if data.kind == "personal_best" and score > 0 else ""
        return f"{sign}{score:.0f}%"
    if data.score_unit == "points":
        return f"{score:+.0f}"
    return value_text(score, data.metric, compact=True)


def _status_words(data: ChallengeView) -> str:
    if data.status == "upcoming":
        return "Coming up"
    if data.status == "settling":
        return "Ended · result being checked"
    if data.status == "final":
        return "Ended · winners"
    return time_left_words(data.seconds_left)


def _status(data: ChallengeView) -> html.Span:
    """The status, or for a running challenge its time left, which the TV counts down every second from
    ``data-left`` (the seconds left when the server drew it)."""
    if data.status != "active":
        return html.Span(_status_words(data), className="wb-ch-left")
    return html.Span(_status_words(data), className="wb-ch-left", **{"data-left": str(data.seconds_left)})


def _width(data: ChallengeView, row: ViewRow, rows: tuple[ViewRow, ...]) -> float:
    scores = [r.score for r in rows if r.score is not None]
    if row.score is None or not scores:
        return 0.0
    if data.score_unit == "value" and data.metric.lower_is_better:
        best = min(scores)
        return 1.0 if row.score <= 0 else max(0.04, min(1.0, best / row.score))
    top = max(abs(s) for s in scores) or 1.0
    return max(0.04, min(1.0, abs(row.score) / top))


def _bar(data: ChallengeView, row: ViewRow, rows: tuple[ViewRow, ...]) -> html.Div:
    team = row.team if data.scope == "agent" and row.team else None
    return html.Div(
        className=f"wb-ch-row wb-place-{min(row.rank, 4)}",
        children=[
            html.Span(str(row.rank), className="wb-ch-rank"),
            html.Div(
                className="wb-ch-who",
                children=[
                    html.Span(html.Bdi(row.name), className="wb-ch-name wb-fit", dir="auto"),
                    html.Span(team, className="wb-ch-team wb-fit") if team else None,
                ],
            ),
            html.Div(
                html.Div(className="wb-ch-fill", style={"width": f"{_width(data, row, rows) * 100:.1f}%"}),
                className="wb-ch-track",
            ),
            html.Span(score_text(data, row.score), className="wb-ch-score"),
        ],
    )


def _progress(data: ChallengeView) -> html.Div | None:
    progress = data.progress
    if progress is None:
        return None
    fill = max(0.0, min(progress.fraction or 0.0, 1.0)) * 100
    marker = None
    if progress.expected is not None and not progress.reached:
        marker = html.Div(
            html.Span("pace", className="wb-pace-label"),
            className="wb-pace",
            style={"left": f"{progress.expected * 100:.1f}%"},
        )
    done, target = (value_text(v, data.metric, compact=True) for v in (progress.value, progress.target))
    figures = f"{done} of {target}"
    return html.Div(
        className=f"wb-ch-target is-{progress.status.replace('_', '-')}",
        children=[
            html.Div(
                className="wb-goal-track",
                children=[html.Div(className="wb-goal-fill", style={"width": f"{fill:.1f}%"}), marker],
            ),
            html.Div(figures, className="wb-ch-target-figures"),
        ],
    )


def _rows(bars: list[html.Div]) -> html.Div:
    """The bars in one column, bigger up to three rows, denser from six rows; in two columns from eleven (a
    team race shows every team), three from twenty-one."""
    count = len(bars)
    columns = 1 if count <= DENSE_MAX else 2 if count <= 2 * DENSE_MAX else 3
    per_column = -(-count // columns)
    name = (
        "wb-ch-rows"
        + (" is-dense" if count > ROOMY_MAX else " is-few" if count <= FEW_MAX else "")
        + (f" cols-{columns}" if columns > 1 else "")
    )
    return html.Div(bars, className=name, style={"gridTemplateRows": f"repeat({per_column}, auto)"})


def panel(data: ChallengeView, title: str = "", position: str = "") -> html.Div:
    """One challenge: heading with prize and time left (and `position` in a rotation, ``2 of 3``), the
    target bar, the race bars or the winners."""
    rows = data.winners if data.status == "final" and data.winners else data.rows
    if data.status == "final":
        label = "Winners" if data.winners else "No winner this time"
    elif data.status == "upcoming":
        label = "Starting soon — everyone starts at zero"
    else:
        label = ""
    head = html.Div(
        className="wb-view-head",
        children=[
            html.H2(title or data.title, className="wb-view-title wb-fit"),
            html.Div(
                [
                    html.Span(position, className="wb-ch-of") if position else None,
                    html.Span(_KINDS.get(data.kind, data.kind), className="wb-view-period"),
                    _status(data),
                ],
                className="wb-view-meta",
            ),
        ],
    )
    body = [
        html.Div(f"Prize: {data.prize}", className="wb-ch-prize wb-fit") if data.prize else None,
        _progress(data),
        html.Div(label, className="wb-ch-label") if label else None,
        _rows([_bar(data, row, rows) for row in rows])
        if rows
        else html.Div("No scores yet — the race is open", className="wb-ch-open"),
    ]
    return html.Div(
        className=f"wb-challenge is-{data.status}",
        children=[head, html.Div([b for b in body if b is not None], className="wb-ch-body")],
        **{"data-challenge": data.instance_id},
    )


def empty(title: str, line: str) -> html.Div:
    return html.Div(
        className="wb-challenge is-empty",
        children=[
            html.Div(
                className="wb-empty",
                children=[
                    html.Div(title, className="wb-empty-title"),
                    html.Div(line, className="wb-empty-sub"),
                ],
            )
        ],
    )


def race(title: str, data: ChallengeView | None) -> html.Div:
    """A ``challenge`` view."""
    if data is None:
        return empty(title or "Challenge", "Nothing running right now — the next one is on its way.")
    return panel(data, title)


def board(title: str, data: ChallengeBoard) -> html.Div:
    """A ``challenges`` view: its challenges one at a time (the TV turns to the next slot as the view's
    time passes), each with ``1 of 3`` and its own winners."""
    count = len(data.views)
    if not count:
        return empty(title or "Challenges", "No challenge running right now.")
    slots = [
        html.Div(
            panel(view, title, f"{index + 1} of {count}" if count > 1 else ""),
            className="wb-ch-slot is-shown" if index == 0 else "wb-ch-slot",
        )
        for index, view in enumerate(data.views)
    ]
    return html.Div(slots, className="wb-challenges")
