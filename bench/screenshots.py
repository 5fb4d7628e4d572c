"""Save a PNG of every kiosk view (and a celebration) at 1920×1080 and 3840×2160 into screenshots/.

Usage: ``python -m bench.screenshots [--out screenshots] [--config path.yaml] [--adversarial]``. Starts the
app on a free port over an in-process store filled with 90 days of a realistic floor (or, with
``--adversarial``, the extreme data of `bench._adversarial`), drives headless Chromium, and writes
``contact-sheet.png``: every 1080p view on one page, to look at them all at once.
"""

from __future__ import annotations

import argparse
import threading
import time
from datetime import datetime, timedelta, timezone
from importlib import resources
from pathlib import Path

import yaml
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from bench import _adversarial, _dataset
from bench._contact import contact_sheet
from bench._redis import free_port
from dashboard import create_app
from kpi.config import Config, load_config
from kpi.config.screens import Screen
from kpi.config.settings import Settings
from kpi.game.challenges import ChallengeSettings
from kpi.ingest.game_round import game_round
from kpi.ingest.pipeline import ingest_events
from kpi.model.events import Event
from kpi.store import MemoryStore

SIZES = ((1920, 1080), (3840, 2160))
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def _browser() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--window-size=1920,1080",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def _viewport(driver: webdriver.Chrome, width: int, height: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def _wait_for_view(driver: webdriver.Chrome) -> None:
    WebDriverWait(driver, 20).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".wb-view.is-active .wb-view-body > div")
    )
    time.sleep(1.2)


SHOWCASE = {
    "views": [
        {"type": "leaderboard", "metric": "tickets_solved", "period": "month", "top_n": 10},
        {
            "type": "kpi_tiles",
            "metrics": ["tickets_solved", "calls_handled", "deals_won", "revenue", "csat", "nps"],
            "compare": "last_week",
        },
        {"type": "challenge", "challenge": "sprint", "top_n": 5},
        {"type": "challenge", "challenge": "together"},
    ]
}
CHALLENGES = {
    "definitions": [
        {
            "id": "sprint",
            "title": "Ticket sprint",
            "kind": "race",
            "metric": "tickets_solved",
            "recurring": "weekly",
            "prize": "Pizza for the winner",
        },
        {
            "id": "together",
            "title": "Floor target",
            "kind": "collaborative",
            "metric": "tickets_solved",
            "recurring": "weekly",
            "target": 400,
        },
    ]
}
"""Edge cases worth a look: the longest ranking (10 places) and the most tiles (6)."""


def _serve(app: object) -> tuple[object, str]:
    server = make_server("127.0.0.1", free_port(), app.server, threaded=True)  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def _photograph(
    driver: webdriver.Chrome, base: str, screens: dict, out: Path, prefix: str = ""
) -> list[Path]:
    saved = []
    for width, height in SIZES:
        _viewport(driver, width, height)
        for name, screen in screens.items():
            for index, view in enumerate(screen.views):
                driver.get(f"{base}/kiosk/{name}?view={index}")
                _wait_for_view(driver)
                path = out / f"{prefix}{name}-{index}-{view.type}-{width}x{height}.png"
                driver.save_screenshot(str(path))
                saved.append(path)
    return saved


def shoot(config: Config, out: Path) -> list[Path]:
    """Serve the app; photograph every view of every screen, edge cases, an empty board, a celebration."""
    store, now = MemoryStore(), datetime.now(timezone.utc)
    _dataset.load(store, config, now)
    game_round(store, config, now, full=True)
    showcase = config.model_copy(
        update={
            "screens": {"showcase": Screen.model_validate(SHOWCASE)},
            "challenges": ChallengeSettings.model_validate(CHALLENGES),
        }
    )
    first = next(iter(config.screens))
    empty_screens = {
        first: config.screens[first].model_copy(update={"views": config.screens[first].views[:1]})
    }
    apps = [
        (create_app(Settings(), config=config, store=store), config.screens, ""),
        (create_app(Settings(), config=showcase, store=store), showcase.screens, ""),
        (create_app(Settings(), config=config, store=MemoryStore()), empty_screens, "empty-"),
    ]
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    driver = _browser()
    try:
        for app, screens, prefix in apps:
            server, base = _serve(app)
            try:
                saved += _photograph(driver, base, screens, out, prefix)
                if app is apps[0][0]:
                    saved += _celebration(driver, store, config, base, out)
            finally:
                server.shutdown()
    finally:
        driver.quit()
    return saved


def _celebration(
    driver: webdriver.Chrome, store: MemoryStore, config: Config, base: str, out: Path
) -> list[Path]:
    rule = next((r for r in config.celebrations.rules), None)
    name = next(iter(config.screens), None)
    if rule is None or name is None:
        return []
    saved = []
    for serial, (width, height) in enumerate(SIZES):
        _viewport(driver, width, height)
        driver.get(f"{base}/kiosk/{name}?view=0")
        _wait_for_view(driver)
        person = _dataset.people()[serial + 2]
        event = Event(
            source="screenshots",
            id=f"deal-{time.time_ns()}",
            type=rule.type,
            agent_id=person.id,
            agent_name=person.name,
            team="Sales",
            value=max(rule.min_value, 1) * 1.93,
            occurred_at=datetime.now(timezone.utc) - timedelta(seconds=5),
        )
        ingest_events(store, config, [event])
        WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".wb-overlay.is-visible"))
        time.sleep(1.5)
        path = out / f"{name}-celebration-{width}x{height}.png"
        driver.save_screenshot(str(path))
        saved.append(path)
    return saved


def shoot_adversarial(out: Path) -> list[Path]:
    """Photograph every view of the adversarial screens (see `bench._adversarial`) at both sizes."""
    config = _adversarial.config(_default_data())
    store, now = MemoryStore(), datetime.now(timezone.utc)
    _adversarial.load(store, config, now)
    out.mkdir(parents=True, exist_ok=True)
    driver = _browser()
    server, base = _serve(create_app(Settings(), config=config, store=store))
    try:
        return _photograph(driver, base, config.screens, out, "adversarial-")
    finally:
        server.shutdown()
        driver.quit()


def _default_data() -> dict:

    return yaml.safe_load(resources.files("kpi.config").joinpath("default_config.yaml").read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="screenshots", type=Path)
    parser.add_argument("--config", default=None, help="a config file (the built-in default when omitted)")
    parser.add_argument("--adversarial", action="store_true", help="extreme values, names and team counts")
    args = parser.parse_args()
    saved = shoot_adversarial(args.out) if args.adversarial else shoot(load_config(args.config), args.out)
    for path in saved:
        print(path)
    print(contact_sheet([p for p in saved if "1920x1080" in p.name], args.out / "contact-sheet.png"))


if __name__ == "__main__":
    main()
