"""The "My challenges" section of `/me`: each challenge with the agent's own place, nobody else's name."""

from __future__ import annotations

from dash import html

from dashboard.services.me_challenges import ChallengeLine


def _line(line: ChallengeLine) -> html.Li:
    details = [
        html.Div(line.title, className="me-rank-title"),
        html.Div(
            line.place_text,
            className="me-rank-place" + ("" if line.place_text.startswith("#") else " is-unranked"),
        ),
        html.Div(
            " · ".join(t for t in (line.score_text, line.progress_text, line.status_text) if t),
            className="me-hint",
        ),
    ]
    if line.prize:
        details.append(html.Div(f"Prize: {line.prize}", className="me-hint"))
    return html.Li(details, className="me-rank me-challenge")


def challenges_section(lines: list[ChallengeLine]) -> html.Section:
    """The challenges the agent is in; a short line when there is none."""
    body = (
        html.Ul([_line(line) for line in lines], className="me-ranks")
        if lines
        else html.P("No challenge for you right now. New ones show up here.", className="me-hint")
    )
    return html.Section(
        className="me-panel me-challenges",
        id="me-challenges",
        children=[html.H2("My challenges"), html.P("Only you see your place.", className="me-hint"), body],
    )
