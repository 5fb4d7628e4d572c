"""The start page: what is running, and today's leaders per metric, live."""

from __future__ import annotations

from dash import dcc, html

from dashboard import ids
from dashboard.context import get_context
from kpi.config import Config


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
        html.H2("TV screens"),
        _screen_links(context.config),
        html.H2("Today's leaders"),
        html.Div(id=ids.HOME_BOARDS),
        dcc.Store(id=ids.HOME_VERSION, data=-1),
        dcc.Interval(id=ids.HOME_TICK, interval=3000),
    ])


def _screen_links(config: Config) -> html.Component:
    """A link to each configured kiosk screen (screens with a display key need ``?key=`` added)."""
    if not config.screens:
        return html.P("No screens configured yet: add a screens: section to the config.")
    return html.Ul(className="wb-screen-links", children=[
        html.Li(html.A(f"{screen.title or name}{' 🔑' if screen.key_required() else ''}",
                       href=f"/kiosk/{name}",
                       title="needs ?key=… (its display key)" if screen.key_required() else f"/kiosk/{name}"))
        for name, screen in config.screens.items()])
