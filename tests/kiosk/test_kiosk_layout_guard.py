"""Every kiosk view stays readable with any value (issue #11): checked from the DOM in headless Chromium.

Each view of the adversarial screens (`bench._adversarial`: 0 to 10⁹ in each unit, negative NPS, ties at
every place, 60-character names with diacritics, CJK, Cyrillic, Greek and Arabic names, one and twenty teams,
views of one to three items), every challenge view (`bench.challenge_screenshots`' data) and the celebration
overlay (the longest name, € 987,654,321) are rendered at 1920×1080 and 3840×2160, and `layout_probe.js`
reports text under 3 % of the viewport height, text overflowing its box or card, and overlapping text.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from kiosk_support import default_data
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from bench import _adversarial, challenge_screenshots
from dashboard import create_app
from kpi.config.settings import Settings
from kpi.ingest.challenges import settle_challenges
from kpi.ingest.pipeline import ingest_events
from kpi.model.events import Event
from kpi.store import MemoryStore

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]
"""Each test walks dozens of page loads: on a busy machine that takes longer than the default 300 s."""

PROBE = (Path(__file__).parent / "layout_probe.js").read_text()
SIZES = ((1920, 1080), (3840, 2160))
MIN_SHARE = 0.03
VIEWS = [(screen, index) for screen in ("many", "one") for index in range(8)] + [("few", i) for i in range(7)]
CHALLENGE_VIEWS = [("challenges-edge", index) for index in range(len(challenge_screenshots.VIEWS))]
OVERLAY = [".wb-overlay.is-visible"]
FIT = "window.wbKioskFit.fitText();"
"""The page fits its text on the next frame after a render; the probe runs after one more fit, so that a
busy machine's late frame never reads as a layout fault."""


@pytest.fixture(scope="module")
def adversarial_app():  # noqa: ANN201 - a dash.Dash
    config = _adversarial.config(default_data())
    store = MemoryStore()
    _adversarial.load(store, config, datetime.now(timezone.utc))
    return create_app(Settings(), config=config, store=store)


@pytest.fixture(scope="module")
def challenge_app():  # noqa: ANN201 - a dash.Dash
    """Every challenge view over `bench.challenge_screenshots`' data: 10 places with ties, twenty teams,
    € 987,654,321, 60-character names and titles, a long prize, no data, fixed winners, the rotation."""
    config = challenge_screenshots.config()
    store = MemoryStore()
    ingest_events(store, config, challenge_screenshots.events(), now=challenge_screenshots.NOW)
    settle_challenges(store, config, challenge_screenshots.NOW)
    return create_app(Settings(), config=config, store=store, clock=lambda: challenge_screenshots.NOW)


def _viewport(driver, width: int, height: int) -> None:  # noqa: ANN001 - a WebDriver
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def _problems(driver, base: str, views: list[tuple[str, int]]) -> list[str]:  # noqa: ANN001 - a WebDriver
    found = []
    for width, height in SIZES:
        _viewport(driver, width, height)
        for screen, index in views:
            driver.get(f"{base}/kiosk/{screen}?view={index}")
            WebDriverWait(driver, 60).until(
                lambda d: d.find_elements(By.CSS_SELECTOR, ".wb-view.is-active .wb-view-body > div")
            )
            time.sleep(0.3)
            driver.execute_script(FIT)
            for problem in driver.execute_script(PROBE, MIN_SHARE):
                found.append(f"{screen}/{index} at {width}x{height}: {problem}")
    return found


def test_no_kiosk_view_overflows_shrinks_or_overlaps_its_text(dash_duo, adversarial_app) -> None:  # noqa: ANN001
    dash_duo.start_server(adversarial_app)
    problems = _problems(dash_duo.driver, dash_duo.server_url, VIEWS)
    assert not problems, "\n".join(problems)
    logs = [entry for entry in dash_duo.get_logs() if entry["level"] in ("WARNING", "SEVERE")]
    assert not logs, logs


def test_no_challenge_view_overflows_shrinks_or_overlaps_its_text(dash_duo, challenge_app) -> None:  # noqa: ANN001
    dash_duo.start_server(challenge_app)
    problems = _problems(dash_duo.driver, dash_duo.server_url, CHALLENGE_VIEWS)
    assert not problems, "\n".join(problems)


def _big_deal(serial: int) -> Event:
    """A deal the default celebration rule celebrates, by the longest name, for the largest amount."""
    return Event(
        source="guard",
        id=f"big-deal-{serial}",
        type="deal_won",
        agent_id="m00",
        agent_name=_adversarial.LONG,
        team=_adversarial.TEAMS_MANY[0],
        value=987_654_321.0,
        occurred_at=datetime.now(timezone.utc),
    )


def test_the_celebration_of_a_long_name_and_a_big_amount_fits(dash_duo, adversarial_app) -> None:  # noqa: ANN001
    dash_duo.start_server(adversarial_app)
    context = adversarial_app.server.extensions["wallboard"]
    found = []
    for serial, (width, height) in enumerate(SIZES):
        _viewport(dash_duo.driver, width, height)
        dash_duo.driver.get(f"{dash_duo.server_url}/kiosk/many?view=5")
        dash_duo.wait_for_element(".wb-view.is-active .wb-nps")
        ingest_events(context.store, context.config, [_big_deal(serial)])
        WebDriverWait(dash_duo.driver, 60).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, ".wb-overlay.is-visible .wb-cele-name")
        )
        time.sleep(1.0)
        dash_duo.driver.execute_script(FIT)
        found += [f"{width}x{height}: {p}" for p in dash_duo.driver.execute_script(PROBE, MIN_SHARE, OVERLAY)]
    assert not found, "\n".join(found)


def test_a_name_without_a_font_shows_the_fonts_banner(dash_duo, adversarial_app) -> None:  # noqa: ANN001
    dash_duo.start_server(adversarial_app)
    dash_duo.driver.get(dash_duo.server_url + "/kiosk/one?view=0")
    dash_duo.wait_for_element(".wb-view.is-active .wb-podium")
    dash_duo.driver.execute_script(
        "var b = document.createElement('bdi'); b.textContent = String.fromCodePoint(0xE000);"
        "document.querySelector('.wb-view.is-active .wb-step-name').appendChild(b);"
    )
    WebDriverWait(dash_duo.driver, 5).until(
        lambda d: (
            "\ue000"
            in d.execute_script(
                "var b = document.querySelector('.wb-font-warning'); return b ? b.textContent : '';"
            )
        )
    )


def test_a_latin_name_with_diacritics_is_not_taken_for_a_missing_font(dash_duo, adversarial_app) -> None:  # noqa: ANN001
    dash_duo.start_server(adversarial_app)
    dash_duo.driver.get(dash_duo.server_url + "/kiosk/one?view=0")
    dash_duo.wait_for_element(".wb-view.is-active .wb-podium")
    assert (
        dash_duo.driver.execute_script(
            "var f = window.getComputedStyle(document.querySelector('.wb-kiosk')).fontFamily;"
            "return Array.from('ÖøŁđĀ').filter(function (c) { return window.wbKioskFit.missing(c, f); });"
        )
        == []
    )
