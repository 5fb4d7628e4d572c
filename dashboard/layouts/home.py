"""The start page: what is running, and today's leaders per metric, live."""

from __future__ import annotations

from dash import dcc, html

from dashboard import ids
from dashboard.context import get_context


def shell() -> html.Div:
    """The app-wide frame that Dash pages render into."""
    return html.Div([dash_page_container()], className="wb-root")


def dash_page_container():  # noqa: ANN201 - a Dash component
    import dash

    return dash.page_container


def layout(**_query: str) -> html.Div:
    """The start page."""
    context = get_context()
    return html.Div(className="wb-home", children=[
        html.H1("Wallboard"),
        html.P([f"Store: {context.store.kind}. ",
                html.A("API metrics", href="/api/v1/metrics"), " · ",
                html.A("OpenAPI", href="/api/v1/openapi.json"), " · ",
                html.A("Health", href="/api/v1/health")]),
        html.H2("Today's leaders"),
        html.Div(id=ids.HOME_BOARDS),
        dcc.Store(id=ids.HOME_VERSION, data=-1),
        dcc.Interval(id=ids.HOME_TICK, interval=3000),
    ])
