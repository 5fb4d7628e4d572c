"""The frame of `/me`: header, empty content, consent switches and the sign-out form (no data here)."""

from __future__ import annotations

from dash import dcc, html

from dashboard import ids

TITLE = "My page · Wallboard"
REFRESH_MS = 60_000


def _switch(component_id: str, label: str, hint: str) -> html.Div:
    return html.Div(
        className="me-switch",
        children=[
            dcc.Checklist(
                id=component_id,
                options=[{"label": label, "value": "on"}],
                value=[],
                className="me-switch-box",
            ),
            html.P(hint, className="me-hint"),
        ],
    )


def consent() -> html.Section:
    """The agent's two choices about the TV screens."""
    return html.Section(
        className="me-panel me-consent",
        children=[
            html.H2("On the TV screens"),
            _switch(
                ids.ME_HIDE,
                "Hide me from TV screens",
                "Your name leaves every ranking on the TVs. Your work still counts in your team's figures.",
            ),
            _switch(
                ids.ME_QUIET,
                "No badge celebrations with my name",
                "The TVs will not celebrate your new badges or levels. You still see them here.",
            ),
            html.P(id=ids.ME_SAVED, className="me-saved", role="status"),
        ],
    )


def sign_out() -> html.Form:
    """A POST form with this session's anti-forgery token (filled by a callback)."""
    return html.Form(
        action="/me/logout",
        method="POST",
        className="me-logout",
        children=[
            dcc.Input(id=ids.ME_CSRF, type="hidden", name="csrf", value=""),
            html.Button("Sign out", type="submit"),
        ],
    )


def layout(**_query: str) -> html.Div:
    """The page frame; the signed-in agent's figures arrive through callbacks."""
    return html.Div(
        className="me-page",
        children=[
            html.Header(
                className="me-header",
                children=[
                    html.Div(
                        [
                            html.Span("Wallboard", className="me-logo"),
                            html.Span(id=ids.ME_NAME, className="me-who"),
                        ],
                        className="me-brand",
                    ),
                    sign_out(),
                ],
            ),
            html.Main(
                className="me-main",
                children=[
                    html.Div(
                        id=ids.ME_CONTENT,
                        className="me-content",
                        children=html.P("Loading…", className="me-hint"),
                    ),
                    consent(),
                ],
            ),
            html.Div(id=ids.ME_TOAST, className="me-toast", role="status", **{"aria-live": "polite"}),
            dcc.Interval(id=ids.ME_TICK, interval=REFRESH_MS),
        ],
    )
