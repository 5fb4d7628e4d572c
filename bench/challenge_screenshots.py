"""Save PNGs of every challenge view at 1920×1080 and 3840×2160, over adversarial data, into screenshots/.

Usage: ``python -m bench.challenge_screenshots [--out screenshots]``. Serves the app on a free port over an
in-process store on a pinned clock and drives headless Chromium. The data is built to break a layout: a
race with 10 places and ties, twenty teams, € 987,654,321, 60-character names and titles with diacritics,
a long prize, a personal best and a fair race, a race without data, fixed winners with a tie, and the
rotating ``challenges`` view (each of its slots).
"""

from __future__ import annotations

import argparse
import time
from datetime import date, datetime, timedelta, timezone
from itertools import count
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from bench.screenshots import SIZES, _browser, _serve, _viewport, _wait_for_view
from dashboard import create_app
from kpi.config import Config, parse_config
from kpi.config.root import builtin_data
from kpi.config.settings import Settings
from kpi.ingest.challenges import settle_challenges
from kpi.ingest.pipeline import ingest_events
from kpi.model.events import Event
from kpi.store import MemoryStore

NOW = datetime(2026, 11, 25, 13, 0, tzinfo=timezone.utc)
"""A Wednesday afternoon in Oslo: the running week is 23–29 November."""
WEEK = {"start": "2026-11-23", "end": "2026-11-29"}
LAST_WEEK = {"start": "2026-11-16", "end": "2026-11-22"}
LONG = "Ångström-Øyvind Æsøy-Šťastný Žofie Grünewald-Čapková Łódź"  # 58
TEAMS = [f"Équipe {n:02d} Nørdlys Ålesund Kundeservice" for n in range(1, 21)]
_ids = count()


def _name(index: int) -> str:
    """A 60-character name with diacritics, unique by its index (at the end, where an ellipsis cuts)."""
    return f"{LONG} {index:02d}"[:60] if index else "Zoë Ã"


def _challenges() -> dict[str, Any]:
    prize = (
        "Ein Wochenende für zwei in Tromsø mit Übernachtung, Frühstück und Nordlicht-Safari — "
        "für die Gewinnerin"
    )
    title = "Ålesund Øst — Kundeservice-Sprint für Äußerst Große Zähler"[:60]
    return {
        "grace_minutes": 0,
        "people": {"p00": {"role": "junior", "fte": 0.5}, "p01": {"joined": "2026-11-24"}},
        "definitions": [
            {"id": "ten", "title": title, "kind": "race", "metric": "tickets_solved", "prize": prize, **WEEK},
            {
                "id": "teams",
                "title": "Twenty teams, one week, total tickets",
                "kind": "team_vs_team",
                "metric": "tickets_solved",
                "team_score": "total",
                "participants": {"teams": TEAMS},
                **WEEK,
            },
            {
                "id": "billion",
                "title": "Toward € 987,654,321 together",
                "kind": "collaborative",
                "metric": "revenue",
                "target": 987_654_321,
                "prize": "A party",
                **WEEK,
            },
            {"id": "money", "title": "Revenue race", "kind": "race", "metric": "revenue", **WEEK},
            {
                "id": "best",
                "title": "Beat your best",
                "kind": "personal_best",
                "metric": "tickets_solved",
                **WEEK,
            },
            {
                "id": "fair",
                "title": "Fair deal race",
                "kind": "fair_race",
                "metric": "deals_won",
                "targets": {"default": 20, "roles": {"junior": 10}},
                **WEEK,
            },
            {
                "id": "quiet",
                "title": "Nobody has called yet",
                "kind": "race",
                "metric": "calls_handled",
                **WEEK,
            },
            {
                "id": "ended",
                "title": "Last week's sprint (fixed, a tie for 2nd)",
                "kind": "race",
                "metric": "tickets_solved",
                "winners": 3,
                "winners_hours": 72,
                **LAST_WEEK,
            },
        ],
    }


VIEWS = [
    {"type": "challenge", "challenge": "ten", "top_n": 10},
    {"type": "challenge", "challenge": "teams"},
    {"type": "challenge", "challenge": "billion"},
    {"type": "challenge", "challenge": "money", "top_n": 10},
    {"type": "challenge", "challenge": "best", "top_n": 10},
    {"type": "challenge", "challenge": "fair", "top_n": 10},
    {"type": "challenge", "challenge": "quiet"},
    {"type": "challenge", "challenge": "ended", "top_n": 10},
    {"type": "challenges", "top_n": 10, "seconds": 8 * 10},
]
SLOT_SECONDS = 10
"""The rotating view shares its time among its eight challenges: ten seconds each, time enough for a busy
machine to photograph one."""


def config() -> Config:
    """The built-in config with the adversarial challenges and one screen of every challenge view."""
    data = builtin_data()
    data["challenges"] = _challenges()
    data["screens"] = {"challenges-edge": {"title": LONG, "top_n": 10, "views": VIEWS}}
    return parse_config(data, "challenge screenshots")


def _event(kind: str, agent: int, day: date, value: float = 1.0, team: str | None = None) -> Event:
    return Event(
        source="shots",
        id=f"e{next(_ids)}",
        type=kind,
        agent_id=f"p{agent:02d}",
        agent_name=_name(agent),
        team=team or TEAMS[agent % len(TEAMS)],
        value=value,
        occurred_at=datetime(day.year, day.month, day.day, 10, tzinfo=timezone.utc),
    )


def events() -> list[Event]:
    """Tickets by 24 agents (ties at several places) this week and the weeks before, deals in the millions."""
    found = []
    monday = date(2026, 11, 23)
    for agent in range(24):
        solved = 30 - agent + (agent % 2)  # pairs of equal counts: ties
        for week in range(5):
            day = monday - timedelta(weeks=week)
            found += [_event("ticket_solved", agent, day) for _ in range(solved + week * (agent % 3))]
    for agent in range(12):
        found.append(_event("deal_won", agent, monday, 987_654_321 / (agent + 1) / 1.6))
        found += [_event("deal_won", agent, monday + timedelta(days=1), 1000.0) for _ in range(agent % 5)]
    return found


SHOWN_POSITION = ".wb-view.is-active .wb-ch-slot.is-shown .wb-ch-of"


def _shoot_slots(driver: webdriver.Chrome, out: Path, stem: str) -> list[Path]:
    """Each slot of the rotating view as the page's own rotation shows it (`SLOT_SECONDS` each)."""
    slots = len(driver.find_elements(By.CSS_SELECTOR, ".wb-view.is-active .wb-ch-slot"))
    saved = []
    for slot in range(1, slots + 1):
        WebDriverWait(driver, SLOT_SECONDS * slots + 5, poll_frequency=0.2).until(
            lambda d, slot=slot: (
                d.find_element(By.CSS_SELECTOR, SHOWN_POSITION).get_attribute("textContent")
                == f"{slot} of {slots}"
            )
        )
        time.sleep(0.2)
        target = out / f"{stem}-slot{slot}.png"
        driver.save_screenshot(str(target))
        saved.append(target)
    return saved


def shoot(out: Path) -> list[Path]:
    """Serve the app on the pinned clock; photograph each challenge view at both sizes."""
    chosen = config()
    store = MemoryStore()
    ingest_events(store, chosen, events(), now=NOW)
    settle_challenges(store, chosen, NOW)
    app = create_app(Settings(), config=chosen, store=store, clock=lambda: NOW)
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    driver = _browser()
    server, base = _serve(app)
    try:
        for width, height in SIZES:
            _viewport(driver, width, height)
            for index, view in enumerate(VIEWS):
                driver.get(f"{base}/kiosk/challenges-edge?view={index}")
                _wait_for_view(driver)
                WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".wb-challenge"))
                stem = f"challenge-{index}-{view.get('challenge', view['type'])}-{width}x{height}"
                if view["type"] == "challenges":
                    saved += _shoot_slots(driver, out, stem)
                else:
                    driver.save_screenshot(str(out / f"{stem}.png"))
                    saved.append(out / f"{stem}.png")
    finally:
        server.shutdown()
        driver.quit()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="screenshots", type=Path)
    args = parser.parse_args()
    for path in shoot(args.out):
        print(path)


if __name__ == "__main__":
    main()
