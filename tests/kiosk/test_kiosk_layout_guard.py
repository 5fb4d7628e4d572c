"""Every kiosk view stays readable with any value (issue #11): checked from the DOM in headless Chromium.

Each view of the adversarial screens (`bench._adversarial`: 0 to 10⁹ in each unit, negative NPS, ties at
every place, 60-character names with diacritics, CJK, Cyrillic, Greek and Arabic names, one and twenty teams)
is rendered at 1920×1080 and 3840×2160 in one browser, and `layout_probe.js` reports text under 3 % of the
viewport height, text overflowing its box or card, and overlapping text.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from kiosk_support import default_data
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from bench import _adversarial
from dashboard import create_app
from kpi.config.settings import Settings
from kpi.store import MemoryStore

pytestmark = pytest.mark.browser

PROBE = (Path(__file__).parent / "layout_probe.js").read_text()
SIZES = ((1920, 1080), (3840, 2160))
MIN_SHARE = 0.03
VIEWS = [(screen, index) for screen in ("many", "one") for index in range(8)]


@pytest.fixture(scope="module")
def adversarial_app():  # noqa: ANN201 - a dash.Dash
    config = _adversarial.config(default_data())
    store = MemoryStore()
    _adversarial.load(store, config, datetime.now(timezone.utc))
    return create_app(Settings(), config=config, store=store)


def _viewport(driver, width: int, height: int) -> None:  # noqa: ANN001 - a WebDriver
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def _problems(driver, base: str) -> list[str]:  # noqa: ANN001 - a WebDriver
    found = []
    for width, height in SIZES:
        _viewport(driver, width, height)
        for screen, index in VIEWS:
            driver.get(f"{base}/kiosk/{screen}?view={index}")
            WebDriverWait(driver, 20).until(
                lambda d: d.find_elements(By.CSS_SELECTOR, ".wb-view.is-active .wb-view-body > div")
            )
            time.sleep(0.3)
            for problem in driver.execute_script(PROBE, MIN_SHARE):
                found.append(f"{screen}/{index} at {width}x{height}: {problem}")
    return found


def test_no_kiosk_view_overflows_shrinks_or_overlaps_its_text(dash_duo, adversarial_app) -> None:  # noqa: ANN001
    dash_duo.start_server(adversarial_app)
    problems = _problems(dash_duo.driver, dash_duo.server_url)
    assert not problems, "\n".join(problems)
    logs = [entry for entry in dash_duo.get_logs() if entry["level"] in ("WARNING", "SEVERE")]
    assert not logs, logs


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
