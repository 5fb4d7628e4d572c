"""Access to the manager pages: sign-in, sessions, the proxy header and what a lead may see."""

from __future__ import annotations

import logging

import dash
import pytest
from flask.testing import FlaskClient

from dashboard import create_app, ids
from dashboard.auth import SESSION_FORM_TOKEN
from kpi.config import Config, ConfigError, parse_config
from kpi.config.settings import Settings
from kpi.store import RedisStore
from tests.manage.conftest import NOW, PASSWORDS, dash_call, form_token, sign_in

FILTERS = {
    f"{ids.MANAGE_METRIC}.value": "tickets_solved",
    f"{ids.MANAGE_TEAM}.value": None,
    f"{ids.MANAGE_PERIOD}.value": "month",
    f"{ids.MANAGE_DATE}.date": "2026-11-24",
    f"{ids.MANAGE_RANGE}.start_date": None,
    f"{ids.MANAGE_RANGE}.end_date": None,
    f"{ids.MANAGE_VIEW}.value": "ranking",
}


def ranking_rows(client: FlaskClient, app: dash.Dash, **overrides: object) -> list[dict]:
    response = dash_call(client, app, ids.MANAGE_GRID, {**FILTERS, **overrides})
    assert response.status_code == 200, response.data
    return response.get_json()["response"][ids.MANAGE_GRID]["rowData"]


def test_mga001_manage_page_redirects_to_login_without_a_session(client: FlaskClient) -> None:
    response = client.get("/manage?metric=nps&period=week")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/manage/login?next=")
    assert "%2Fmanage%3Fmetric%3Dnps" in response.headers["Location"]


def test_mga002_agent_page_redirects_to_login_without_a_session(client: FlaskClient) -> None:
    response = client.get("/manage/agent/s1")
    assert response.status_code == 302 and "/manage/login" in response.headers["Location"]


def test_mga003_manage_callback_without_a_session_is_401_with_no_data(
    client: FlaskClient, app: dash.Dash
) -> None:
    response = dash_call(client, app, ids.MANAGE_GRID, FILTERS)
    assert response.status_code == 401
    assert b"Siri" not in response.data and b"rowData" not in response.data


def test_mga004_callbacks_answer_nothing_without_a_viewer_even_past_the_guard(app: dash.Dash) -> None:
    """Defence in depth: the callback itself refuses (204) when the guard is bypassed."""
    from dashboard.auth import guard

    app.server.before_request_funcs[None].remove(guard)
    response = dash_call(app.server.test_client(), app, ids.MANAGE_GRID, FILTERS)
    assert response.status_code == 204 and response.data == b""


def test_mga005_page_layout_via_the_router_has_no_data_without_a_session(
    client: FlaskClient, app: dash.Dash
) -> None:
    response = dash_call(
        client,
        app,
        "_pages_content",
        {"_pages_location.pathname": "/manage", "_pages_location.search": "?team=Support"},
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "sign in" in text and "Siri" not in text and "Support" not in text


def test_mga006_wrong_password_is_refused_and_not_logged(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    response = sign_in(client, "ada", "not-the-password")
    assert response.status_code == 401
    assert "Wrong username or password" in response.get_data(as_text=True)
    assert client.get("/manage").status_code == 302
    assert "not-the-password" not in caplog.text


def test_mga007_unknown_user_is_refused(client: FlaskClient) -> None:
    assert sign_in(client, "mallory", "whatever-pass").status_code == 401


def test_mga008_right_password_opens_the_page_and_logout_closes_it(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    response = sign_in(client, "ada")
    assert response.status_code == 302 and response.headers["Location"] == "/manage"
    assert client.get("/manage").status_code == 200
    assert PASSWORDS["ada"] not in caplog.text
    with client.session_transaction() as session:
        token = session.setdefault(SESSION_FORM_TOKEN, "page-token")
    assert client.post("/manage/logout", data={"csrf": token}).status_code == 302
    assert client.get("/manage").status_code == 302


def test_mga009_login_does_not_redirect_off_site(client: FlaskClient) -> None:
    response = client.post(
        "/manage/login",
        data={
            "username": "ada",
            "password": PASSWORDS["ada"],
            "next": "https://evil.example/manage",
            "csrf": form_token(client),
        },
    )
    assert response.headers["Location"] == "/manage"


def test_mga010_admin_sees_every_team_in_the_ranking(admin: FlaskClient, app: dash.Dash) -> None:
    teams = {row["team"] for row in ranking_rows(admin, app)}
    assert teams == {"Support"}  # tickets are solved by Support only
    teams = {row["team"] for row in ranking_rows(admin, app, **{f"{ids.MANAGE_METRIC}.value": "nps"})}
    assert teams == {"Support", "Phones", "Sales"}


def test_mga011_lead_sees_only_their_team(lead: FlaskClient, app: dash.Dash) -> None:
    rows = ranking_rows(lead, app, **{f"{ids.MANAGE_METRIC}.value": "nps"})
    assert rows and {row["team"] for row in rows} == {"Support"}


def test_mga012_lead_asking_for_another_team_gets_nothing(lead: FlaskClient, app: dash.Dash) -> None:
    assert (
        ranking_rows(lead, app, **{f"{ids.MANAGE_METRIC}.value": "nps", f"{ids.MANAGE_TEAM}.value": "Sales"})
        == []
    )


def test_mga013_lead_asking_for_another_teams_agent_gets_nothing(lead: FlaskClient, app: dash.Dash) -> None:
    inputs = {
        f"{ids.MANAGE_AGENT_PERIOD}.value": "month",
        f"{ids.MANAGE_AGENT_DATE}.date": "2026-11-24",
        f"{ids.MANAGE_AGENT_ID}.data": {"id": "x1"},
    }
    response = dash_call(lead, app, ids.MANAGE_AGENT_CARDS, inputs)
    assert response.status_code == 204 and b"Xena" not in response.data
    page = lead.get("/manage/agent/x1")
    assert page.status_code == 200
    layout = dash_call(
        lead,
        app,
        "_pages_content",
        {"_pages_location.pathname": "/manage/agent/x1", "_pages_location.search": ""},
    )
    assert "Agent not found" in layout.get_data(as_text=True) and "Xena" not in layout.get_data(as_text=True)


def test_mga014_lead_sees_their_own_agent(lead: FlaskClient, app: dash.Dash) -> None:
    inputs = {
        f"{ids.MANAGE_AGENT_PERIOD}.value": "month",
        f"{ids.MANAGE_AGENT_DATE}.date": "2026-11-24",
        f"{ids.MANAGE_AGENT_ID}.data": {"id": "s1"},
    }
    response = dash_call(lead, app, ids.MANAGE_AGENT_CARDS, inputs)
    assert response.status_code == 200 and "Tickets solved" in response.get_data(as_text=True)


def test_mga015_trusted_proxy_header_signs_in_a_configured_user(
    seeded_store: RedisStore, manage_config: Config
) -> None:
    config = manage_config.model_copy(
        update={"auth": manage_config.auth.model_copy(update={"proxy_header": "X-Forwarded-User"})}
    )
    client = create_app(Settings(), config=config, store=seeded_store, clock=lambda: NOW).server.test_client()
    assert client.get("/manage", headers={"X-Forwarded-User": "leo"}).status_code == 200
    assert client.get("/manage", headers={"X-Forwarded-User": "stranger"}).status_code == 302
    assert client.get("/manage").status_code == 302


def test_mga016_proxy_header_is_ignored_unless_configured(client: FlaskClient) -> None:
    assert client.get("/manage", headers={"X-Forwarded-User": "ada"}).status_code == 302


def test_mga017_proxy_header_only_from_trusted_peers(seeded_store: RedisStore, manage_config: Config) -> None:
    config = manage_config.model_copy(
        update={
            "auth": manage_config.auth.model_copy(
                update={"proxy_header": "X-Forwarded-User", "trusted_proxies": ("10.0.0.1",)}
            )
        }
    )
    client = create_app(Settings(), config=config, store=seeded_store, clock=lambda: NOW).server.test_client()
    assert client.get("/manage", headers={"X-Forwarded-User": "ada"}).status_code == 302
    assert (
        client.get(
            "/manage", headers={"X-Forwarded-User": "ada"}, environ_base={"REMOTE_ADDR": "10.0.0.1"}
        ).status_code
        == 200
    )


@pytest.mark.parametrize(
    "user, message",
    [
        ({"password_hash": "hunter2", "role": "admin"}, "werkzeug"),
        ({"password_hash": "", "role": "lead"}, "at least one team"),
        ({"role": "boss"}, "role"),
    ],
)
def test_mga018_bad_users_section_is_a_clear_config_error(user: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config(
            {"metrics": {"x": {"type": "x", "aggregation": "count"}}, "users": {"u": user}}, "t.yaml"
        )


def test_mga019_session_secret_comes_from_the_environment(
    seeded_store: RedisStore, manage_config: Config
) -> None:
    settings = Settings.from_env({"WALLBOARD_SECRET_KEY": "a-long-and-random-secret-for-tests"})
    app = create_app(settings, config=manage_config, store=seeded_store)
    assert app.server.secret_key == "a-long-and-random-secret-for-tests"


def test_mga020_agent_page_layout_has_no_data_without_a_session(client: FlaskClient, app: dash.Dash) -> None:
    response = dash_call(
        client,
        app,
        "_pages_content",
        {"_pages_location.pathname": "/manage/agent/s1", "_pages_location.search": ""},
    )
    text = response.get_data(as_text=True)
    assert "sign in" in text and "Siri" not in text


def test_mga021_hash_password_command_prints_a_usable_hash() -> None:
    import subprocess
    import sys

    from werkzeug.security import check_password_hash

    result = subprocess.run(
        [sys.executable, "-m", "dashboard.auth", "hash-password"],
        input="correct horse\n",
        capture_output=True,
        text=True,
        check=True,
    )
    hashed = result.stdout.strip()
    assert hashed.startswith("scrypt:") and check_password_hash(hashed, "correct horse")
    assert "correct horse" not in result.stdout + result.stderr


def test_mga022_repeated_wrong_passwords_are_throttled(client: FlaskClient, app: dash.Dash) -> None:
    for _ in range(5):
        assert sign_in(client, "ada", "guess-number-n").status_code == 401
    refused = sign_in(client, "ada")
    assert refused.status_code == 429 and "Too many failed sign-ins" in refused.get_data(as_text=True)
    assert client.get("/manage").status_code == 302
    assert sign_in(client, "leo").status_code == 302  # other users are not locked out


def test_mga023_throttle_forgets_old_failures() -> None:
    from dashboard.auth import SignInThrottle

    now = [0.0]
    throttle = SignInThrottle(limit=2, window=60, clock=lambda: now[0])
    throttle.failed(("ada", "1.2.3.4"))
    throttle.failed(("ada", "1.2.3.4"))
    assert throttle.blocked(("ada", "1.2.3.4")) and not throttle.blocked(("ada", "5.6.7.8"))
    now[0] = 61.0
    assert not throttle.blocked(("ada", "1.2.3.4"))


def test_mga100_a_sign_in_posted_without_the_forms_token_is_refused(client: FlaskClient) -> None:
    """A cross-site page cannot sign a browser in: the form's token lives in the session."""
    response = client.post("/manage/login", data={"username": "ada", "password": PASSWORDS["ada"]})
    assert response.status_code == 400
    assert client.get("/manage").status_code == 302


def test_mga101_secure_cookies_are_set_when_configured(
    seeded_store: RedisStore, manage_config: Config
) -> None:
    settings = Settings.from_env({"WALLBOARD_SECURE_COOKIES": "1"})
    assert create_app(settings, config=manage_config, store=seeded_store).server.config[
        "SESSION_COOKIE_SECURE"
    ]
