"""The browser console stays clean on every view of every kiosk screen of the demo's config (issue #11)."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from connectors.simulator import SimulatedFloor
from dashboard import create_app
from kpi.config import load_config
from kpi.config.settings import Settings
from kpi.ingest.game_round import game_round
from kpi.ingest.pipeline import ingest_events
from kpi.store import MemoryStore

pytestmark = pytest.mark.browser


def test_no_kiosk_screen_of_the_demo_logs_a_warning_or_an_error(dash_duo) -> None:  # noqa: ANN001
    config, store, now = load_config(None), MemoryStore(), datetime.now(timezone.utc)
    ingest_events(store, config, list(SimulatedFloor(config.zone).history(3, now)))
    game_round(store, config, now, full=True)
    dash_duo.start_server(create_app(Settings(), config=config, store=store))
    dash_duo.get_logs()
    logged = []
    for name, screen in config.screens.items():
        for index in range(len(screen.views)):
            dash_duo.driver.get(f"{dash_duo.server_url}/kiosk/{name}?view={index}")
            WebDriverWait(dash_duo.driver, 20).until(
                lambda d: d.find_elements(By.CSS_SELECTOR, ".wb-view.is-active .wb-view-body > div")
            )
            time.sleep(0.3)
            logged += [
                f"{name}/{index}: {entry['message']}"
                for entry in dash_duo.get_logs()
                if entry["level"] in ("WARNING", "SEVERE")
            ]
    assert not logged, "\n".join(logged)
