"""Pieces shared by the manager pages: the header, period controls, cards and the signed-out state."""

from __future__ import annotations

from datetime import date

from dash import dcc, html

from dashboard import ids
from dashboard.auth import form_token
from kpi.model.viewer import Viewer
from kpi.read.windows import Choice

PERIOD_OPTIONS = [
    {"label": "Day", "value": "day"},
    {"label": "Week", "value": "week"},
    {"label": "Month", "value": "month"},
    {"label": "Custom", "value": "custom"},
]
HIDDEN = {"display": "none"}
SHOWN: dict[str, str] = {}


def header(viewer: Viewer, subtitle: str = "") -> html.Header:
    """The top bar: the product, where we are, who is signed in and a sign-out button (with the token)."""
    return html.Header(
        className="mg-header",
        children=[
            html.Div(
                className="mg-brand",
                children=[
                    html.A("Wallboard", href="/manage", className="mg-logo"),
                    html.Span("Manage", className="mg-badge"),
                    html.Span(subtitle, className="mg-subtitle") if subtitle else None,
                ],
            ),
            html.Div(
                className="mg-user",
                children=[
                    html.Span(viewer.display_name, className="mg-user-name", id=ids.MANAGE_USER_NAME),
                    html.Span(
                        "admin" if viewer.sees_all else "lead · " + ", ".join(sorted(viewer.teams)),
                        className="mg-user-role",
                    ),
                    html.Form(
                        action="/manage/logout",
                        method="post",
                        className="mg-logout",
                        children=[
                            dcc.Input(type="hidden", name="csrf", value=form_token()),
                            html.Button("Sign out", type="submit", id=ids.MANAGE_LOGOUT),
                        ],
                    ),
                ],
            ),
        ],
    )


def picker_styles(period: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """The styles of the single date picker and the range picker: the range only for a custom period."""
    return (HIDDEN, SHOWN) if period == "custom" else (SHOWN, HIDDEN)


def field(
    label: str,
    control: object,
    *,
    style: dict[str, str] | None = None,
    class_name: str = "",
    field_id: str | None = None,
) -> html.Div:
    """A labelled filter control."""
    extra = {"id": field_id} if field_id else {}
    return html.Div(
        className=f"mg-field {class_name}".strip(),
        style=style or SHOWN,
        children=[html.Label(label, className="mg-label"), control],
        **extra,
    )


def period_controls(
    period_id: str,
    date_id: str,
    range_id: str,
    period: Choice,
    anchor: date,
    first: date | None,
    last: date | None,
) -> list[html.Div]:
    """The period picker: day / week / month of a date, or a custom date range."""
    custom = period == "custom"
    return [
        field(
            "Period",
            dcc.RadioItems(
                id=period_id, options=PERIOD_OPTIONS, value=period, inline=True, className="mg-segmented"
            ),
        ),
        field(
            "Date",
            dcc.DatePickerSingle(
                id=date_id,
                date=anchor.isoformat(),
                display_format="D MMM YYYY",
                first_day_of_week=1,
                clearable=False,
            ),
            style=HIDDEN if custom else SHOWN,
            field_id=date_id + "-field",
        ),
        field(
            "From – to",
            dcc.DatePickerRange(
                id=range_id,
                start_date=(first or anchor).isoformat(),
                end_date=(last or anchor).isoformat(),
                display_format="D MMM YYYY",
                first_day_of_week=1,
                minimum_nights=0,
            ),
            style=SHOWN if custom else HIDDEN,
            field_id=range_id + "-field",
        ),
    ]


def card(title: str, value: str, detail: str | list[str] = "", tone: str = "") -> html.Div:
    """A figure with a title and smaller lines under it (tone: 'up', 'down' or '')."""
    return html.Div(
        className="mg-card",
        children=[
            html.Div(title, className="mg-card-title"),
            html.Div(value, className="mg-card-value"),
            html.Div(
                [html.Div(line) for line in detail] if isinstance(detail, list) else detail,
                className=f"mg-card-detail {tone}".strip(),
            ),
        ],
    )


def panel(title: str, *children: object, title_id: str | None = None, class_name: str = "") -> html.Section:
    """A white panel with a heading."""
    heading = html.H2(title, id=title_id) if title_id else html.H2(title)
    return html.Section(className=f"mg-panel {class_name}".strip(), children=[heading, *children])


def signed_out() -> html.Div:
    """What a manager page shows (and sends nowhere else) when nobody is signed in: a way to sign in."""
    return html.Div(
        className="mg-signed-out",
        children=[
            dcc.Location(id="manage-login-redirect", href="/manage/login", refresh=True),
            html.P(["Please ", html.A("sign in", href="/manage/login"), " to see this page."]),
        ],
    )
