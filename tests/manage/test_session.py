"""Manager sessions: cookie flags, a 12 h lifetime counted from sign-in, and sign-out that needs the token.

Issue #12: the cookie had no SameSite and lasted 31 days, refreshed on every request; logout was a bare POST.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import dash
import pytest
from flask.testing import FlaskClient

from dashboard.auth import SESSION_FORM_TOKEN
from tests.manage.conftest import dash_call, sign_in

HOUR = 3600.0


def session_cookie(response) -> str:  # noqa: ANN001 - a test response
    """The Set-Cookie header of the session cookie in `response` ('' when it sends none)."""
    return next((h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")), "")


def expires(cookie: str) -> datetime:
    """The Expires attribute of a Set-Cookie header."""
    value = next(part.split("=", 1)[1] for part in cookie.split("; ") if part.lower().startswith("expires="))
    return parsedate_to_datetime(value)


def open_manage_page(client: FlaskClient, app: dash.Dash):  # noqa: ANN201 - a test response
    """Render /manage through Dash's router, as the browser does after loading the page."""
    return dash_call(
        client,
        app,
        "_pages_content",
        {"_pages_location.pathname": "/manage", "_pages_location.search": ""},
    )


def page_token(client: FlaskClient, app: dash.Dash) -> str:
    """The sign-out token the manager page carries (and the session holds)."""
    page = open_manage_page(client, app).get_data(as_text=True)
    with client.session_transaction() as session:
        token = session[SESSION_FORM_TOKEN]
    assert token in page
    return token


def move_clock(app: dash.Dash, hours: float) -> None:
    """Let the session cookies of `app` see a time `hours` from now."""
    later = time.time() + hours * HOUR
    app.server.session_interface.clock = lambda: later


def test_mgs001_sign_in_cookie_is_httponly_samesite_lax_and_lasts_12_hours(client: FlaskClient) -> None:
    before = datetime.now(timezone.utc)
    cookie = session_cookie(sign_in(client, "ada"))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    lifetime = (expires(cookie) - before).total_seconds()
    assert 12 * HOUR - 60 <= lifetime <= 12 * HOUR + 60


def test_mgs002_activity_does_not_extend_the_session(client: FlaskClient, app: dash.Dash) -> None:
    first = expires(session_cookie(sign_in(client, "ada")))
    move_clock(app, 6)
    assert session_cookie(client.get("/manage")) == ""  # an unchanged session is not re-sent
    renewed = session_cookie(open_manage_page(client, app))  # the page stores its sign-out token
    assert renewed and expires(renewed) == first


def test_mgs003_the_session_ends_12_hours_after_sign_in_however_busy(
    client: FlaskClient, app: dash.Dash
) -> None:
    assert sign_in(client, "ada").status_code == 302
    move_clock(app, 11.9)
    assert client.get("/manage").status_code == 200
    move_clock(app, 12.01)
    response = client.get("/manage")
    assert response.status_code == 302 and "/manage/login" in response.headers["Location"]


def test_mgs004_sign_out_with_the_pages_token_ends_the_session(admin: FlaskClient, app: dash.Dash) -> None:
    response = admin.post("/manage/logout", data={"csrf": page_token(admin, app)})
    assert response.status_code == 302 and response.headers["Location"] == "/manage/login"
    assert admin.get("/manage").status_code == 302


@pytest.mark.parametrize("data", [{}, {"csrf": ""}, {"csrf": "forged"}])
def test_mgs005_sign_out_without_the_token_does_not_sign_out(
    admin: FlaskClient, app: dash.Dash, data: dict[str, str]
) -> None:
    page_token(admin, app)
    response = admin.post("/manage/logout", data=data)
    assert response.status_code == 400
    assert "still signed in" in response.get_data(as_text=True)
    assert admin.get("/manage").status_code == 200


def test_mgs006_a_get_on_logout_does_not_sign_out(admin: FlaskClient) -> None:
    assert admin.get("/manage/logout").status_code in (404, 405)
    assert admin.get("/manage").status_code == 200


def test_mgs007_a_signed_in_manager_gets_a_404_page_for_an_unknown_manage_path(admin: FlaskClient) -> None:
    response = admin.get("/manage/nope")
    assert response.status_code == 404 and "There is no such page" in response.get_data(as_text=True)
    assert admin.get("/manage/").status_code == 200
