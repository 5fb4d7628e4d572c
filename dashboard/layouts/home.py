"""The start page: what is running, and today's leaders per metric, live."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import ids
from dashboard.context import get_context
from dashboard.layouts.history_notice import history_notice
from dashboard.services.home import Board
from kpi.config import Config


def shell(history_loading: bool = False) -> html.Div:
    """The app-wide frame that Dash pages render into, with the notice shown while the history loads."""
    return html.Div([history_notice(history_loading), dash.page_container], className="wb-root")


def layout(**_query: str) -> html.Div:
    """The start page."""
    context = get_context()
    return html.Div(
        className="wb-home",
        children=[
            html.Header(
                className="wb-home-head",
                children=[
                    html.H1(["Wallboard", html.Span("live", className="wb-home-live")]),
                    html.P("Your floor's wins on the office TV: live, fair, top few only."),
                ],
            ),
            html.Section(
                className="wb-home-cards",
                children=[
                    _card(
                        "TV screens", "Open one full screen on each wall TV.", _screen_links(context.config)
                    ),
                    _card(
                        "Managers",
                        "Trends, full rankings and each agent's detail, after signing in.",
                        html.A("Open the manager view", href="/manage", className="wb-home-button"),
                    ),
                    _card(
                        "Integrations",
                        f"Push events, read rankings. Store: {context.store.kind}.",
                        html.Div(
                            [
                                html.A("OpenAPI document", href="/api/v1/openapi.json"),
                                " · ",
                                html.A("Health", href="/api/v1/health"),
                            ]
                        ),
                    ),
                ],
            ),
            html.H2("Today's leaders"),
            html.Div(id=ids.HOME_BOARDS, className="wb-home-boards"),
            dcc.Store(id=ids.HOME_VERSION, data=-1),
            dcc.Interval(id=ids.HOME_TICK, interval=3000),
        ],
    )


def _card(title: str, text: str, action: html.Component) -> html.Div:
    return html.Div(className="wb-home-card", children=[html.H2(title), html.P(text), action])


def _screen_links(config: Config) -> html.Component:
    """A link to each configured kiosk screen (screens with a display key need ``?key=`` added)."""
    if not config.screens:
        return html.P("No screens configured yet: add a screens: section to the config.")
    return html.Div(
        className="wb-screen-links",
        children=[
            html.A(
                f"{screen.title or name}{' 🔑' if screen.key_required() else ''}",
                href=f"/kiosk/{name}",
                className="wb-home-button",
                title="needs ?key=… (its display key)" if screen.key_required() else f"/kiosk/{name}",
            )
            for name, screen in config.screens.items()
        ],
    )


def boards(found: list[Board]) -> list[html.Div]:
    """Today's leaders, one board per metric."""
    return [
        html.Div([html.H3(board.title), html.Ol(_leaders(board))], className="wb-board") for board in found
    ]


def _leaders(board: Board) -> list[html.Li]:
    if not board.leaders:
        return [html.Li("No one yet today", className="wb-board-empty")]
    return [
        html.Li(
            [
                html.Span(str(leader.rank), className="wb-board-rank"),
                html.Span(leader.name, className="wb-board-name"),
                html.Span(leader.value, className="wb-board-value"),
            ]
        )
        for leader in board.leaders
    ]
