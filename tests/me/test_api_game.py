"""The game API: one agent's achievements and the badge catalogue."""

from __future__ import annotations

import dash
import pytest
from flask.testing import FlaskClient

from dashboard import create_app
from kpi.config import Config
from kpi.config.settings import Settings
from kpi.read.agent_summary import summary
from kpi.store import RedisStore
from tests.manage.conftest import NOW
from tests.me.conftest import READ


def test_achievements_have_the_documented_shape(me_client: FlaskClient) -> None:
    body = me_client.get("/api/v1/agents/s1/achievements", headers=READ).get_json()
    assert set(body) == {"agent_id", "points", "level", "badges"} and body["agent_id"] == "s1"
    assert set(body["points"]) == {"day", "week", "month", "lifetime"}
    assert set(body["level"]) == {"name", "index", "points", "next_at"}
    assert body["badges"] and all(
        set(b) == {"id", "name", "criterion", "earned_at", "times", "progress", "target"}
        for b in body["badges"]
    )


def test_a_badge_never_earned_has_a_null_date_and_no_times(me_client: FlaskClient) -> None:
    badges = me_client.get("/api/v1/agents/s1/achievements", headers=READ).get_json()["badges"]
    rainmaker = next(b for b in badges if b["id"] == "rainmaker")
    assert rainmaker["earned_at"] is None and rainmaker["times"] == 0


def test_achievements_of_an_unknown_agent_are_a_json_404(me_client: FlaskClient) -> None:
    response = me_client.get("/api/v1/agents/nobody/achievements", headers=READ)
    assert response.status_code == 404 and "unknown agent" in response.get_json()["error"]


def test_the_game_endpoints_need_the_read_token(me_client: FlaskClient) -> None:
    assert me_client.get("/api/v1/agents/s1/achievements").status_code == 401
    assert me_client.get("/api/v1/badges").status_code == 401


def test_achievements_are_the_figures_me_reads(
    me_client: FlaskClient, me_store: RedisStore, me_config: Config
) -> None:
    body = me_client.get("/api/v1/agents/s1/achievements", headers=READ).get_json()
    assert body == summary(me_store, me_config, "s1", NOW).public()
    assert body["points"]["lifetime"] > 0


def test_the_catalogue_lists_each_badge_with_icon_url_and_kind(
    me_client: FlaskClient, me_config: Config
) -> None:
    badges = me_client.get("/api/v1/badges", headers=READ).get_json()["badges"]
    assert [b["id"] for b in badges] == list(me_config.achievements)
    first = badges[0]
    assert set(first) == {"id", "name", "criterion", "group", "icon", "kind"}
    assert first["icon"].startswith("/assets/badges/") and me_client.get(first["icon"]).status_code == 200


@pytest.fixture
def test_mode_app(me_store: RedisStore, me_config: Config) -> dash.Dash:
    """The app with Rainmaker switched to test mode."""
    badges = dict(me_config.achievements)
    badges["rainmaker"] = badges["rainmaker"].model_copy(update={"test": True})
    config = me_config.model_copy(update={"achievements": badges})
    return create_app(Settings(api_token="read-secret"), config=config, store=me_store, clock=lambda: NOW)


def test_test_mode_badges_are_left_out_of_the_api(test_mode_app: dash.Dash) -> None:
    client = test_mode_app.server.test_client()
    catalogue = client.get("/api/v1/badges", headers=READ).get_json()["badges"]
    mine = client.get("/api/v1/agents/s1/achievements", headers=READ).get_json()["badges"]
    assert "rainmaker" not in {b["id"] for b in catalogue} | {b["id"] for b in mine}
    assert catalogue
