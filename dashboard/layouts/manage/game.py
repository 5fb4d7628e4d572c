"""The agent page's game panel: level, a points chart over the window, badges earned with dates."""

from __future__ import annotations

from dash import dcc, html

from dashboard.layouts.manage.charts.agent import points_figure
from dashboard.services.manage.game import AgentGame
from kpi.read.achievements import BadgeProgress


def game_panel(game: AgentGame) -> list[html.Component]:
    """Level and progress, the points history, and the badges list."""
    level = game.level
    nxt = (
        f" · {level.next_at - level.points:,.0f} points to the next level"
        if level.next_at
        else " · top level"
    )
    figure = points_figure(game.points)
    badges = [
        html.Li(
            [
                html.Img(src=f"/assets/badges/{b.icon}", alt=""),
                html.B(b.name),
                html.Span("test", className="mg-test-mark") if b.test else None,
                html.Span(_when(b), className="mg-hint"),
            ]
        )
        for b in game.earned
    ]
    return [
        html.Div(
            className="mg-game",
            children=[
                html.Div(
                    [
                        html.Div(f"Level {level.index + 1}: {level.name}", className="mg-level"),
                        html.Div(f"{level.points:,.0f} lifetime points{nxt}", className="mg-hint"),
                        html.H4("Badges"),
                        html.Ul(badges, className="mg-badge-list")
                        if badges
                        else html.P("No badges yet.", className="mg-empty"),
                    ],
                    style={"minWidth": "260px"},
                ),
                html.Div(
                    [
                        html.H4("Points over the window"),
                        dcc.Graph(figure=figure, config={"displayModeBar": False}),
                    ],
                    style={"flex": "1", "minWidth": "320px"},
                ),
            ],
        )
    ]


def _when(badge: BadgeProgress) -> str:
    times = f" · ×{badge.times}" if badge.times > 1 else ""
    team = " · team" if badge.team else ""
    return f"{badge.earned_at.isoformat() if badge.earned_at else ''}{times}{team}"
