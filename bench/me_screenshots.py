"""Screenshots of `/me` at 1920×1080, 3840×2160 and a phone width, with adversarial data.

Three agents: a 60-character name with diacritics and huge points, a CJK name with a little work, and an
agent with no badges yet. Starts a throwaway redis-server, serves the app, signs in by personal link and
saves PNGs into screenshots/me/. Run: ``python -m bench.me_screenshots``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import datetime, timedelta, timezone

from bench._redis import free_port, start_redis
from bench.manage_screenshots import ROOT, browser, serve, settle, viewport

OUT = ROOT / "screenshots" / "me"
SECRET = "screenshot-secret-" + "s" * 32
LONG = "Åsa-Maria Þórsdóttir-Ñúñez de la Ćwiklińska-Øvergård Müller"
CJK = "王小明・佐々木美咲"
SIZES = {"1080p": (1920, 1080), "4k": (3840, 2160), "phone": (390, 844)}


def build(redis_url: str, now: datetime):  # noqa: ANN201 - a Dash app
    from dashboard import create_app
    from kpi.config import load_config
    from kpi.config.settings import Settings
    from kpi.ingest.achievements import evaluate_achievements
    from kpi.model.events import Event
    from kpi.store import open_store

    config = load_config()
    store = open_store(redis_url, "shots")
    events = []
    for n in range(30000):
        at = now - timedelta(days=n % 200, hours=2)
        events.append(
            Event(
                source="s",
                id=f"d{n}",
                type="deal_won",
                agent_id="long",
                agent_name=LONG,
                team="Sales",
                value=90000,
                occurred_at=at,
            )
        )
    for n in range(60):
        at = now - timedelta(days=n % 20, hours=3)
        events.append(
            Event(
                source="s",
                id=f"t{n}",
                type="ticket_solved",
                agent_id="cjk",
                agent_name=CJK,
                team="Support",
                attributes={"priority": "high"},
                occurred_at=at,
            )
        )
    events.append(
        Event(
            source="s",
            id="new1",
            type="ticket_solved",
            agent_id="new",
            agent_name="Noor New",
            team="Support",
            occurred_at=now - timedelta(hours=1),
        )
    )
    for start in range(0, len(events), 5000):
        store.upsert(events[start : start + 5000], config)
    evaluate_achievements(store, config, now)
    return create_app(Settings(secret_key=SECRET), config=config, store=store)


def main() -> int:
    from dashboard.agent_auth import issue_token

    OUT.mkdir(parents=True, exist_ok=True)
    workdir = tempfile.mkdtemp()
    redis_process, url = start_redis(workdir)
    driver = None
    now = datetime.now(timezone.utc)
    try:
        app = build(url, now)
        port = free_port()
        serve(app, port)
        base = f"http://127.0.0.1:{port}"
        driver = browser()
        for agent in ("long", "cjk", "new"):
            driver.delete_all_cookies()
            driver.get(f"{base}/me/link/{issue_token(SECRET, agent, 0, 1, now)}")
            settle(driver)
            for size, (width, height) in SIZES.items():
                viewport(driver, width, height)
                settle(driver, 1.0)
                driver.save_screenshot(str(OUT / f"{agent}-{size}.png"))
        print("\n".join(str(p.relative_to(ROOT)) for p in sorted(OUT.glob("*.png"))))
    finally:
        if driver is not None:
            driver.quit()
        redis_process.terminate()
        redis_process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
