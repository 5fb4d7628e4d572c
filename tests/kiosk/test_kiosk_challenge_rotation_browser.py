"""The TV's challenge views in a real headless Chromium: time left counts down every second in the
browser without a poll, and a ``challenges`` view shows its challenges one at a time, each with its own
winners (issue #10)."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any

import pytest
from kiosk_support import NOW, event, make_config
from selenium.webdriver.common.by import By

from dashboard import create_app
from kpi.config import Config
from kpi.config.settings import Settings
from kpi.ingest.challenges import settle_challenges
from kpi.ingest.pipeline import ingest_events
from kpi.store import RedisStore
from tests.response_bodies import record_bodies

pytestmark = pytest.mark.browser

WEEK = {"start": "2026-11-23", "end": "2026-11-29"}
LAST_WEEK = {"start": "2026-11-16", "end": "2026-11-22"}
CHALLENGES: dict[str, Any] = {
    "grace_minutes": 0,
    "definitions": [
        {"id": "sprint", "title": "Ticket Sprint", "kind": "race", "metric": "tickets_solved", **WEEK},
        {
            "id": "together",
            "title": "Floor Target",
            "kind": "collaborative",
            "metric": "tickets_solved",
            "target": 50,
            **WEEK,
        },
        {
            "id": "last",
            "title": "Last Week",
            "kind": "race",
            "metric": "tickets_solved",
            "winners_hours": 72,
            **LAST_WEEK,
        },
    ],
}
SCREENS: dict[str, Any] = {
    "race": {"refresh_seconds": 60, "views": [{"type": "challenge", "challenge": "sprint"}]},
    "board": {"refresh_seconds": 60, "views": [{"type": "challenges", "seconds": 9}]},
}
SHOWN = ".wb-view.is-active .wb-ch-slot.is-shown"


@pytest.fixture
def challenge_config() -> Config:
    return make_config(screens=SCREENS, challenges=CHALLENGES)


@pytest.fixture
def served(dash_duo, redis_store: RedisStore, challenge_config: Config):
    last_week = datetime(2026, 11, 18, 10, tzinfo=timezone.utc)
    events = [event("ann", name="Ann Leader") for _ in range(3)]
    events += [event("wendy", name="Wendy Winner", at=last_week) for _ in range(4)]
    ingest_events(redis_store, challenge_config, events, now=NOW)
    settle_challenges(redis_store, challenge_config, NOW)
    app = create_app(Settings(), config=challenge_config, store=redis_store, clock=lambda: NOW)
    bodies = record_bodies(app)
    dash_duo.start_server(app)
    return dash_duo, bodies


def _text(dash_duo, selector: str) -> str:
    return dash_duo.driver.find_element(By.CSS_SELECTOR, selector).get_attribute("textContent")


def test_time_left_counts_down_every_second_without_a_poll(served) -> None:
    dash_duo, bodies = served
    dash_duo.driver.get(dash_duo.server_url + "/kiosk/race")
    dash_duo.wait_for_element(".wb-view.is-active .wb-ch-left[data-left]")
    polls = sum(1 for path, _ in bodies if path.startswith("/_kiosk/poll/"))
    first = _text(dash_duo, ".wb-ch-left")
    time.sleep(2.2)
    second = _text(dash_duo, ".wb-ch-left")
    assert first.startswith("4 d ") and second.startswith("4 d ")  # ends Sunday 24:00 in Oslo
    assert second < first <= "4 d 10:00:00 left"  # counted down from the server's 4 d 10 h
    assert sum(1 for path, _ in bodies if path.startswith("/_kiosk/poll/")) == polls


def test_the_challenges_view_rotates_one_at_a_time_with_its_place(served) -> None:
    dash_duo, _ = served
    dash_duo.driver.get(dash_duo.server_url + "/kiosk/board")
    dash_duo.wait_for_element(SHOWN + " .wb-ch-of")
    seen = []
    deadline = time.monotonic() + 12
    while time.monotonic() < deadline and len(seen) < 3:
        position = _text(dash_duo, SHOWN + " .wb-ch-of")
        if position not in seen:
            seen.append(position)
            assert len(dash_duo.driver.find_elements(By.CSS_SELECTOR, SHOWN)) == 1
        time.sleep(0.2)
    assert seen == ["1 of 3", "2 of 3", "3 of 3"]


def test_winners_show_only_while_their_challenges_slot_is_shown(served) -> None:
    dash_duo, _ = served
    dash_duo.driver.get(dash_duo.server_url + "/kiosk/board")
    dash_duo.wait_for_element(SHOWN + " .wb-ch-of")
    winner = dash_duo.driver.find_element(By.XPATH, "//*[contains(@class,'wb-ch-name')][.='Wendy W.']")
    assert _text(dash_duo, SHOWN + " .wb-ch-of") == "1 of 3" and not winner.is_displayed()
    dash_duo.wait_for_text_to_equal(SHOWN + " .wb-ch-of", "3 of 3", timeout=12)
    assert winner.is_displayed() and "Last Week" in _text(dash_duo, SHOWN)
