"""Signing in to `/me`: personal links (valid, expired, revoked, tampered), agent users, the guards."""

from __future__ import annotations

import dash
import pytest
from flask.testing import FlaskClient

from dashboard import ids
from kpi.config import ConfigError, parse_config
from kpi.store import RedisStore
from kpi.store.agent_access import access_for
from tests.manage.conftest import dash_call, sign_in
from tests.me.conftest import link_path
from tests.me.conftest import me_data as config_data

ME_INPUTS = {f"{ids.ME_TICK}.n_intervals": None}


def me_data(client: FlaskClient, app: dash.Dash):  # noqa: ANN201 - a test response
    return dash_call(client, app, ids.ME_CONTENT, ME_INPUTS)


def test_a_valid_link_signs_in_and_redirects_to_me(me_client: FlaskClient, me_store: RedisStore) -> None:
    response = me_client.get(link_path(me_store, "s1"))
    assert response.status_code == 302 and response.headers["Location"] == "/me"
    assert me_client.get("/me").status_code == 200


def test_the_session_cookie_is_httponly_and_samesite_lax(
    me_client: FlaskClient, me_store: RedisStore
) -> None:
    response = me_client.get(link_path(me_store, "s1"))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert me_client.application.permanent_session_lifetime.total_seconds() == 12 * 3600


def test_a_signed_in_agent_gets_their_own_figures(
    me_client: FlaskClient, me_app: dash.Dash, me_store: RedisStore
) -> None:
    me_client.get(link_path(me_store, "s1"))
    response = me_data(me_client, me_app)
    assert response.status_code == 200
    assert response.get_json()["response"][ids.ME_NAME]["children"] == "Siri Support"


def test_an_expired_link_is_refused(me_client: FlaskClient, me_store: RedisStore) -> None:
    response = me_client.get(link_path(me_store, "s1", days=-1))
    assert response.status_code == 403 and b"expired" in response.data
    assert me_client.get("/me").status_code == 401


def test_a_revoked_link_is_refused(me_client: FlaskClient, me_store: RedisStore) -> None:
    old = link_path(me_store, "s1")
    access_for(me_store).revoke("s1")
    assert me_client.get(old).status_code == 403
    assert me_client.get(link_path(me_store, "s1")).status_code == 302


def test_revoking_ends_sessions_opened_with_an_older_link(
    me_client: FlaskClient, me_app: dash.Dash, me_store: RedisStore
) -> None:
    me_client.get(link_path(me_store, "s1"))
    access_for(me_store).revoke("s1")
    assert me_client.get("/me").status_code == 401
    assert me_data(me_client, me_app).status_code == 401


def test_a_tampered_link_is_refused(me_client: FlaskClient, me_store: RedisStore) -> None:
    path = link_path(me_store, "s1")
    head, _, signature = path.rpartition(".")
    tampered = head + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    assert me_client.get(tampered).status_code == 403


def test_a_link_signed_with_another_secret_is_refused(me_client: FlaskClient, me_store: RedisStore) -> None:
    assert me_client.get(link_path(me_store, "s1", secret="another-secret-" + "y" * 32)).status_code == 403


def test_me_without_a_session_asks_for_the_personal_link(me_client: FlaskClient) -> None:
    response = me_client.get("/me")
    assert response.status_code == 401 and b"personal link" in response.data


def test_me_data_without_a_session_is_401_and_names_nobody(me_client: FlaskClient, me_app: dash.Dash) -> None:
    response = me_data(me_client, me_app)
    assert response.status_code == 401 and b"Support" not in response.data


def test_an_agent_user_signs_in_with_a_password_and_lands_on_me(
    me_client: FlaskClient, me_app: dash.Dash
) -> None:
    response = sign_in(me_client, "sam", "agent-password-1")
    assert response.status_code == 302 and response.headers["Location"] == "/me"
    assert me_data(me_client, me_app).get_json()["response"][ids.ME_NAME]["children"] == "Sam Support"


def test_the_proxy_header_signs_in_an_agent_user(me_client: FlaskClient, me_app: dash.Dash) -> None:
    me_client.environ_base["HTTP_X_FORWARDED_USER"] = "sam"
    assert me_client.get("/me").status_code == 200
    assert me_data(me_client, me_app).get_json()["response"][ids.ME_NAME]["children"] == "Sam Support"


def test_an_agent_user_cannot_open_manage(me_client: FlaskClient) -> None:
    sign_in(me_client, "sam", "agent-password-1")
    response = me_client.get("/manage")
    assert response.status_code == 403 and b"/me" in response.data


def test_an_agent_signed_in_by_link_cannot_open_manage(me_client: FlaskClient, me_store: RedisStore) -> None:
    me_client.get(link_path(me_store, "s1"))
    response = me_client.get("/manage")
    assert response.status_code == 302 and "/manage/login" in response.headers["Location"]


def test_an_agent_user_gets_no_manager_data(me_client: FlaskClient, me_app: dash.Dash) -> None:
    sign_in(me_client, "sam", "agent-password-1")
    response = dash_call(
        me_client,
        me_app,
        ids.MANAGE_CONNECTORS,
        {f"{ids.MANAGE_VIEW}.value": "connectors"},
    )
    assert response.status_code == 401


def test_a_manager_has_no_me_page(me_client: FlaskClient, me_app: dash.Dash) -> None:
    sign_in(me_client, "ada")
    assert me_client.get("/me").status_code == 401
    assert me_data(me_client, me_app).status_code == 401


def test_there_is_no_me_page_of_someone_else(me_client: FlaskClient, me_store: RedisStore) -> None:
    sign_in(me_client, "ada")
    response = me_client.get("/me/s1")
    assert response.status_code == 404 and b"Siri" not in response.data


def test_me_with_a_trailing_slash_is_sent_to_me_and_refused_there_without_sign_in(
    me_client: FlaskClient,
) -> None:
    response = me_client.get("/me/")
    assert response.status_code == 308 and response.headers["Location"].endswith("/me")
    assert me_client.get("/me/", follow_redirects=True).status_code == 401


def test_sign_out_needs_the_forms_token(
    me_client: FlaskClient, me_app: dash.Dash, me_store: RedisStore
) -> None:
    me_client.get(link_path(me_store, "s1"))
    token = me_data(me_client, me_app).get_json()["response"][ids.ME_CSRF]["value"]
    assert me_client.post("/me/logout", data={"csrf": "forged"}).status_code == 400
    assert me_client.get("/me").status_code == 200
    assert me_client.post("/me/logout", data={"csrf": token}).status_code == 200
    assert me_client.get("/me").status_code == 401


def test_a_get_of_the_sign_out_address_does_not_sign_out(
    me_client: FlaskClient, me_store: RedisStore
) -> None:
    me_client.get(link_path(me_store, "s1"))
    assert me_client.get("/me/logout").status_code == 404
    assert me_client.get("/me").status_code == 200


@pytest.mark.parametrize(
    ("user", "message"),
    [
        ({"role": "agent"}, "agent_id"),
        ({"role": "lead", "teams": ["Support"], "agent_id": "s1"}, "only for role: agent"),
        ({"role": "agent", "agent_id": "s1", "teams": ["Support"]}, "give no teams"),
    ],
)
def test_agent_users_are_validated(user: dict, message: str) -> None:
    data = config_data()
    data["users"] = {"x": user}
    with pytest.raises(ConfigError, match=message):
        parse_config(data, "test")
