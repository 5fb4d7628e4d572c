"""The kiosks' badges view: a card per recent award, icon first, drawn from `kpi.read.badge_wall`."""

from __future__ import annotations

from dash import html

from kpi.config.screens import BadgesView
from kpi.read.badge_wall import BadgeRow, BadgeWall


def badges(view: BadgesView, data: BadgeWall, head: html.Div) -> html.Div:
    """Up to `view.rows` cards in a grid; an encouraging line when nobody earned a badge lately."""
    if not data.rows:
        return html.Div(
            className="wb-badges is-empty",
            children=[
                head,
                html.Div(
                    className="wb-empty",
                    children=[
                        html.Div("Badges are up for grabs", className="wb-empty-title"),
                        html.Div(
                            f"Nobody earned one in the last {data.days} days — yet.", className="wb-empty-sub"
                        ),
                    ],
                ),
            ],
        )
    cards = [_card(row) for row in data.rows]
    return html.Div(
        className=f"wb-badges has-{min(len(cards), 8)}",
        children=[head, html.Div(cards, className="wb-badge-grid")],
    )


def _card(row: BadgeRow) -> html.Div:
    return html.Div(
        className="wb-badge",
        children=[
            html.Img(src=f"/assets/badges/{row.icon}", alt="", className="wb-badge-icon"),
            html.Div(
                className="wb-badge-text",
                children=[
                    html.Div(row.title, className="wb-badge-title"),
                    html.Div(row.holder, className="wb-badge-holder"),
                    html.Div(
                        [
                            html.Span(row.when, className="wb-badge-when"),
                            f" · {row.team}" if row.team else None,
                        ],
                        className="wb-badge-meta",
                    ),
                ],
            ),
        ],
    )
