"""Screenshots of the manager pages at 1366×768 and 1920×1080 in headless Chromium, into screenshots/manage/.

Starts a throwaway redis-server, loads 120 days of the simulated floor, serves the app on a free port,
signs in and saves one PNG per page and tab and size (``screenshots/manage/1366x768/02-overview.png``…).
Run: ``python -m bench.manage_screenshots``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from bench._redis import free_port, start_redis

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots" / "manage"
PASSWORD = "screenshot-password"
SIZES = ((1366, 768), (1920, 1080))
SHOTS = (
    ("02-overview.png", "/manage?metric=tickets_solved&period=month"),
    ("03-overview-team.png", "/manage?metric=calls_handled&period=week&team=Phones"),
    ("04-ranking.png", "/manage?metric=revenue&period=month&view=ranking"),
    ("05-ranking-count.png", "/manage?metric=tickets_solved&period=month&view=ranking"),
    ("06-satisfaction.png", "/manage?metric=nps&period=month&view=satisfaction"),
    (
        "07-satisfaction-csat.png",
        "/manage?metric=csat&period=custom&from=2026-09-01&to=2026-11-24&view=satisfaction",
    ),
    ("08-goals.png", "/manage?metric=tickets_solved&period=week&view=goals"),
    ("09-rules.png", "/manage?view=rules"),
    ("10-challenges.png", "/manage?view=challenges"),
    ("11-connectors.png", "/manage?view=connectors"),
)


def build_app(redis_url: str, now: datetime):
    from connectors.simulator import SimulatedFloor
    from dashboard import create_app
    from dashboard.auth import with_demo_user
    from kpi.config import load_config
    from kpi.config.settings import Settings
    from kpi.store import open_store

    config, _ = with_demo_user(load_config(), "manager", PASSWORD)
    store = open_store(redis_url, "shots")
    batch = []
    for event in SimulatedFloor(config.zone).history(120, now):
        batch.append(event)
        if len(batch) == 5000:
            store.upsert(batch, config)
            batch = []
    store.upsert(batch, config)
    _connector_health(store, now)
    return create_app(Settings(redis_url=redis_url, namespace="shots"), config=config, store=store)


def _connector_health(store, now: datetime) -> None:  # noqa: ANN001 - a RedisStore
    """Two connectors' health records, one healthy and one failing, for the Connectors tab."""
    from datetime import timedelta

    from kpi.store.sync_state import sync_state_for

    state = sync_state_for(store)
    ok, failed = (now - timedelta(minutes=2)).isoformat(), (now - timedelta(minutes=9)).isoformat()
    state.write_health(
        "zendesk",
        {
            "status": "ok",
            "last_success_at": ok,
            "last_run_finished_at": ok,
            "lag_seconds": "74",
            "records": "1820",
            "events": "1820",
        },
    )
    state.write_health(
        "hubspot",
        {
            "status": "error",
            "last_success_at": (now - timedelta(hours=3)).isoformat(),
            "last_error_at": failed,
            "last_run_finished_at": failed,
            "last_error": "HTTP 429 Too Many Requests (retry after 60 s)",
            "lag_seconds": "10840",
            "records": "0",
            "events": "0",
        },
    )


def serve(app, port: int) -> None:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("DASH_TEST_CHROMEPATH", "/usr/bin/chromium")
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--window-size=1920,1080",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def viewport(driver, width: int, height: int) -> None:
    """Make the page itself (not the window around it) exactly `width` × `height` CSS pixels."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def settle(driver, seconds: float = 2.5) -> None:
    """Wait for Dash to finish its callbacks (no loading state), then a little for plotly to draw."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        busy = driver.execute_script(
            "return document.querySelectorAll('[data-dash-is-loading=\"true\"]').length"
        )
        if not busy:
            break
        time.sleep(0.2)
    time.sleep(seconds)


def main() -> int:
    from selenium.webdriver.common.by import By

    OUT.mkdir(parents=True, exist_ok=True)
    workdir = tempfile.mkdtemp()
    redis_process, url = start_redis(workdir)
    driver = None
    try:
        app = build_app(url, datetime.now(timezone.utc))
        port = free_port()
        serve(app, port)
        base = f"http://127.0.0.1:{port}"
        driver = browser()
        viewport(driver, 1920, 1080)
        driver.get(f"{base}/manage/login")
        driver.save_screenshot(str(OUT / "01-login.png"))
        driver.find_element(By.ID, "login-username").send_keys("manager")
        driver.find_element(By.ID, "login-password").send_keys(PASSWORD)
        driver.find_element(By.ID, "login-submit").click()
        settle(driver, 0.5)
        agent = next(iter(app.server.extensions["wallboard"].store.agents()))
        for width, height in SIZES:
            folder = OUT / f"{width}x{height}"
            folder.mkdir(exist_ok=True)
            viewport(driver, width, height)
            for name, path in (*SHOTS, ("12-agent.png", f"/manage/agent/{agent}?period=month")):
                driver.get(base + path)
                settle(driver)
                driver.save_screenshot(str(folder / name))
            viewport(driver, width, 2300)
            settle(driver, 1.5)
            driver.save_screenshot(str(folder / "13-agent-full.png"))
        print("\n".join(str(p.relative_to(ROOT)) for p in sorted(OUT.glob("**/*.png"))))
    finally:
        if driver is not None:
            driver.quit()
        redis_process.terminate()
        redis_process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
