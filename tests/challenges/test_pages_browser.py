"""Challenges on every page in a real headless Chromium over a real Redis (issue #10): `/manage` lists them
in full for an admin (test ones too) and for a team lead (their teams only), `/me` shows an agent their own
place, and nothing a kiosk receives ever names a test challenge.

The floor is the manager tests' (Support, Phones, Sales) under the built-in challenges, plus a hidden trial.
"""

from __future__ import annotations

import time
from typing import Any

import dash
import pytest

from dashboard import create_app, ids
from kpi.config import Config, parse_config
from kpi.config.settings import Settings
from kpi.store import RedisStore
from tests.manage.conftest import AGENTS, NOW, PASSWORDS, _hash, floor_events
from tests.me.conftest import SECRET, link_path, me_data
from tests.response_bodies import record_bodies, texts

pytestmark = pytest.mark.browser

TRIAL: dict[str, Any] = {
    "id": "secret_trial",
    "title": "Secret Trial",
    "kind": "race",
    "metric": "tickets_solved",
    "recurring": "weekly",
    "prize": "Hush-hush prize",
    "test": True,
}


@pytest.fixture
def pages_app(redis_store: RedisStore) -> dash.Dash:
    data = me_data()
    data["users"]["leo"] = {"password_hash": _hash(PASSWORDS["leo"]), "role": "lead", "teams": ["Support"]}
    data["challenges"]["definitions"].append(TRIAL)
    config: Config = parse_config(data, "challenge pages config")
    redis_store.upsert(floor_events(days=42), config)
    return create_app(Settings(secret_key=SECRET), config=config, store=redis_store, clock=lambda: NOW)


def _sign_in(dash_duo, username: str) -> None:
    dash_duo.driver.get(dash_duo.server_url + "/manage?view=challenges")
    dash_duo.wait_for_element("#login-username").send_keys(username)
    dash_duo.find_element("#login-password").send_keys(PASSWORDS[username])
    dash_duo.find_element("#login-submit").click()
    dash_duo.wait_for_contains_text("#" + ids.MANAGE_CHALLENGES, "Daily Sprint", timeout=20)


def _names(text: str) -> set[str]:
    return {name for team in AGENTS.values() for _, name in team if name in text}


def test_an_admin_sees_every_challenge_in_full_with_the_test_ones(dash_duo, pages_app: dash.Dash) -> None:
    dash_duo.start_server(pages_app)
    _sign_in(dash_duo, "ada")
    tab = dash_duo.find_element("#" + ids.MANAGE_CHALLENGES).text
    for title in (
        "Daily Sprint",
        "Team Battle",
        "Call Mountain",
        "Beat Your Best",
        "Deal Dash",
        "Secret Trial",
    ):
        assert title in tab
    assert dash_duo.find_elements(".mg-challenge.is-test")
    assert _names(tab) == _names(" ".join(n for team in AGENTS.values() for _, n in team))


def test_a_team_lead_sees_the_challenges_cut_to_their_teams(dash_duo, pages_app: dash.Dash) -> None:
    dash_duo.start_server(pages_app)
    _sign_in(dash_duo, "leo")
    tab = dash_duo.find_element("#" + ids.MANAGE_CHALLENGES).text
    assert "Secret Trial" in tab and "Beat Your Best" in tab
    assert _names(tab) == {name for _, name in AGENTS["Support"]}


def test_me_shows_the_agents_challenges_with_their_own_place(
    dash_duo, pages_app: dash.Dash, redis_store: RedisStore
) -> None:
    dash_duo.start_server(pages_app)
    dash_duo.driver.get(dash_duo.server_url + link_path(redis_store, "s1"))
    dash_duo.wait_for_element(".me-challenge", timeout=20)
    lines = {
        line.find_element("css selector", ".me-rank-title").text: line.text
        for line in dash_duo.find_elements(".me-challenge")
    }
    assert {"Daily Sprint", "Team Battle", "Beat Your Best"} <= set(lines)
    assert not {"Deal Dash", "Call Mountain", "Secret Trial"} & set(lines)  # not theirs, or a test
    assert "#" in lines["Daily Sprint"] and "My team" in lines["Team Battle"]
    assert _names(dash_duo.driver.page_source) <= {"Siri Support"}


def test_no_response_a_kiosk_receives_names_a_test_challenge(dash_duo, pages_app: dash.Dash) -> None:
    bodies = record_bodies(pages_app)
    dash_duo.start_server(pages_app)
    for screen in ("challenges", "floor"):
        dash_duo.driver.get(dash_duo.server_url + f"/kiosk/{screen}")
        dash_duo.wait_for_element(".wb-view.is-active .wb-view-body > div", timeout=20)
        time.sleep(4)  # a few polls
    assert any(path.startswith("/kiosk/") for path, _ in bodies)
    assert any(path == "/_dash-update-component" for path, _ in bodies)
    assert any("Daily Sprint" in text for text in texts(bodies))
    for text in texts(bodies):
        assert "Secret Trial" not in text and "Hush-hush" not in text and "secret_trial" not in text
