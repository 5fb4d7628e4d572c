"""The leaderboard view: places 1–3 on steps with avatars, the rest in a list; ties read as ties."""

from __future__ import annotations

from dash import html

from dashboard.layouts.kiosk.parts import THIS, bucket_words, figure, head
from kpi.config.screens import LeaderboardView
from kpi.read.avatars import Avatar
from kpi.read.formatting import format_value, place_text
from kpi.read.kiosk_views import Podium, PodiumRow, previous_words


def podium(view: LeaderboardView, data: Podium) -> html.Div:
    """Places 1–3 on steps (2nd, 1st, 3rd), places 4–N in a list under them; one or two places get only their
    own steps, centred and wider (no empty step)."""
    label = data.metric.label or data.metric.name
    title = view.title or (f"{label} · by team" if data.scope == "team" else label)
    sub = bucket_words(data.period, data.bucket) + (f" · {data.team}" if data.team else "")
    if data.rows:
        sub += f" · ▲▼ since {previous_words(data.period)}"
    top = head(title, sub, THIS[data.period])
    if not data.rows:
        return _empty(top, data)
    steps = [_step(row, slot, data) for slot, row in enumerate(data.rows[:3], start=1)]
    rest = data.rows[3:]
    body = [html.Div(steps, className=f"wb-podium places-{len(steps)}")]
    if rest:
        body.append(html.Ol([_list_row(row, data) for row in rest], className="wb-ranks"))
    list_rows = f" has-list rows-{(len(rest) + 1) // 2}" if rest else ""
    return html.Div(
        className="wb-leaderboard" + list_rows,
        children=[top, html.Div(body, className="wb-leaderboard-body")],
    )


def _empty(top: html.Div, data: Podium) -> html.Div:
    return html.Div(
        className="wb-leaderboard is-empty",
        children=[
            top,
            html.Div(
                className="wb-empty",
                children=[
                    html.Div("The podium is open", className="wb-empty-title"),
                    html.Div(
                        f"Be the first on the board {THIS[data.period].lower()}.", className="wb-empty-sub"
                    ),
                ],
            ),
        ],
    )


def movement(row: PodiumRow) -> html.Span:
    """Places gained or lost since the previous period (``▲2``), ``=`` when unchanged, ``NEW``."""
    if row.new:
        return html.Span("NEW", className="wb-move is-new")
    if row.movement is None:
        return html.Span("▲", className="wb-move is-up")
    if row.movement == 0:
        return html.Span("=", className="wb-move is-same")
    arrow, kind = ("▲", "is-up") if row.movement > 0 else ("▼", "is-down")
    return html.Span(f"{arrow}{abs(row.movement)}", className=f"wb-move {kind}")


def avatar(look: Avatar | None, class_name: str = "wb-avatar") -> html.Div | None:
    """A circle in the team's colour with the initials, or the configured photo."""
    if look is None:
        return None
    style = {"backgroundColor": look.colour}
    if look.photo_url:
        style["backgroundImage"] = f'url("{look.photo_url}")'
        return html.Div(className=f"{class_name} has-photo", style=style)
    return html.Div(html.Bdi(look.letters), className=class_name, style=style)


def _step(row: PodiumRow, slot: int, data: Podium) -> html.Div:
    """A step of the podium: `slot` is its position (1 in the middle), the colour follows the shared rank."""
    return html.Div(
        className=f"wb-step wb-slot-{slot} wb-place-{min(row.rank, 3)}" + (" is-tied" if row.tied else ""),
        children=[
            avatar(row.avatar),
            html.Div(html.Bdi(row.name), className="wb-step-name wb-fit", dir="auto"),
            html.Div(row.team or "", className="wb-step-team wb-fit") if data.scope == "agent" else None,
            figure(format_value(row.value, data.metric, compact=True), "wb-step-value wb-fit"),
            html.Div(
                className="wb-block",
                children=[
                    html.Div(place_text(row.rank, row.tied), className="wb-block-rank"),
                    movement(row),
                ],
            ),
        ],
    )


def _list_row(row: PodiumRow, data: Podium) -> html.Li:
    return html.Li(
        className="wb-rank-row" + (" is-tied" if row.tied else ""),
        children=[
            html.Span(place_text(row.rank, row.tied, ordinal=False), className="wb-rank-num"),
            avatar(row.avatar, "wb-avatar is-small"),
            html.Span(html.Bdi(row.name), className="wb-rank-name wb-fit", dir="auto"),
            movement(row),
            figure(format_value(row.value, data.metric, compact=True), "wb-rank-value wb-fit"),
        ],
    )
