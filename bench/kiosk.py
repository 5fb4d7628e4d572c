"""How much a kiosk costs the server: ms and bytes per poll, with 5,000 agents and a year of data in Redis.

Usage: ``python -m bench.kiosk [--agents 5000] [--days 365] [--daily-days 42] [--rounds 200]``.
Starts its own redis-server on a free port, fills it through ``RedisStore.upsert`` (every agent works on
each working day of the last ``--daily-days`` days and at least once a week before that, with CSAT and
NPS answers), then GETs the kiosk's poll (``/_kiosk/poll/<screen>``) with Flask's test client:
unchanged polls (nothing new) and changed refreshes (one new event before each poll).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from datetime import time as clock_time
from typing import Iterator

from bench._redis import start_redis
from dashboard import create_app
from kpi.config import Config, load_config
from kpi.config.settings import Settings
from kpi.ingest.pipeline import ingest_events
from kpi.model.events import Event
from kpi.store import RedisStore, make_redis
from tests.kiosk.dash_client import find_store, poll_url

TEAMS = {"Support": "ticket_solved", "Phones": "call_handled", "Sales": "deal_won"}


def history(config: Config, agents: int, days: int, daily_days: int, now: datetime) -> Iterator[Event]:
    """A year of a big floor, oldest first."""
    rng = random.Random(5)
    teams = list(TEAMS)
    today = now.astimezone(config.zone).date()
    serial = 0
    for back in range(days, -1, -1):
        day = today - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        for agent in range(agents):
            if back > daily_days and (agent + back) % 5:
                continue
            team = teams[agent % 3]
            at = datetime.combine(day, clock_time(9 + agent % 8, agent % 60), config.zone).astimezone(
                timezone.utc
            )
            if at > now:
                continue
            serial += 1
            common = {
                "source": "bench",
                "agent_id": f"agent-{agent:05d}",
                "agent_name": f"Agent {agent:05d}",
                "team": team,
                "occurred_at": at,
            }
            kind = TEAMS[team]
            value = (
                round(rng.lognormvariate(8.3, 0.7), -1)
                if kind == "deal_won"
                else (round(rng.gauss(300, 80)) if kind == "call_handled" else 1)
            )
            yield Event(id=f"w{serial}", type=kind, value=max(value, 1), **common)
            if rng.random() < 0.3:
                yield Event(id=f"c{serial}", type="csat_rating", value=rng.randint(3, 5), **common)
            if rng.random() < 0.1:
                yield Event(id=f"n{serial}", type="nps_response", value=rng.randint(4, 10), **common)


def fill(store: RedisStore, config: Config, events: Iterator[Event], batch: int = 5000) -> int:
    """Upsert everything straight into the store; returns the number of events."""
    pending, total = [], 0
    for event in events:
        pending.append(event)
        if len(pending) == batch:
            store.upsert(pending, config)
            total += len(pending)
            pending = []
    if pending:
        store.upsert(pending, config)
        total += len(pending)
    return total


def opened(client, screen: str) -> tuple[dict, dict, int, float, int]:  # noqa: ANN001 - a Flask test client
    """Open the page as a TV does; returns meta, seen, view count, ms and bytes of the page layout."""
    deps = client.get("/_dash-dependencies").get_json()
    router = next(d for d in deps if "_pages_content" in d["output"])
    body = {
        "output": router["output"],
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [dict(router["inputs"][0], value=f"/kiosk/{screen}"), dict(router["inputs"][1], value="")],
        "changedPropIds": ["_pages_location.pathname"],
    }
    start = time.perf_counter()
    response = client.post("/_dash-update-component", json=body)
    elapsed = (time.perf_counter() - start) * 1000
    layout = response.get_json()["response"]["_pages_content"]["children"]
    text = json.dumps(layout)
    meta = find_store(layout, "kiosk-meta")
    seen = find_store(layout, "kiosk-seen")
    return meta, seen, len(meta["durations"]), elapsed, len(text)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(app, store: RedisStore, config: Config, screen: str, rounds: int) -> dict:  # noqa: ANN001 - a Dash app
    """Unchanged polls and changed refreshes of one screen."""
    client = app.server.test_client()
    meta, seen, views, layout_ms, layout_bytes = opened(client, screen)
    url = poll_url(meta, seen, views)
    request_bytes = len(url)
    unchanged_ms, unchanged_bytes = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url)
        unchanged_ms.append((time.perf_counter() - start) * 1000)
        unchanged_bytes.append(len(response.get_data()))
        assert set(response.get_json()) == {"p"}
    changed_ms, changed_bytes = [], []
    for n in range(rounds):
        now = datetime.now(timezone.utc)
        # A solved ticket and a small deal: each screen shows one of them (the sales screen no tickets).
        ingest_events(
            store,
            config,
            [
                Event(
                    source="bench-live",
                    id=f"{screen}-{n}-{kind}",
                    type=kind,
                    agent_id=f"agent-{n % 3:05d}",
                    team=team,
                    value=value,
                    occurred_at=now,
                )
                for kind, team, value in (("ticket_solved", "Support", 1), ("deal_won", "Sales", 100))
            ],
        )
        start = time.perf_counter()
        response = client.get(url)
        changed_ms.append((time.perf_counter() - start) * 1000)
        changed_bytes.append(len(response.get_data()))
        assert "b" in response.get_json()
    return {
        "views": views,
        "layout_ms": layout_ms,
        "layout_bytes": layout_bytes,
        "request_bytes": request_bytes,
        "unchanged_ms": unchanged_ms,
        "unchanged_bytes": unchanged_bytes,
        "changed_ms": changed_ms,
        "changed_bytes": changed_bytes,
        "interval": config.screens[screen].refresh_seconds,
    }


def report(screen: str, m: dict) -> None:
    polls_per_hour = 3600 / m["interval"]
    quiet = polls_per_hour * statistics.mean(m["unchanged_bytes"])
    per_minute = (polls_per_hour - 60) * statistics.mean(m["unchanged_bytes"]) + 60 * statistics.mean(
        m["changed_bytes"]
    )
    busy = polls_per_hour * statistics.mean(m["changed_bytes"])
    print(f"screen {screen!r}: {m['views']} views, poll every {m['interval']} s")
    print(f"  page layout (first load):   {m['layout_ms']:7.1f} ms, {m['layout_bytes']:,} bytes")
    print(
        f"  unchanged poll:  p50 {percentile(m['unchanged_ms'], 0.5):6.2f} ms"
        f"  p95 {percentile(m['unchanged_ms'], 0.95):6.2f} ms"
        f"  response {statistics.mean(m['unchanged_bytes']):,.0f} bytes"
        f" (request {m['request_bytes']:,} bytes)"
    )
    print(
        f"  changed refresh: p50 {percentile(m['changed_ms'], 0.5):6.2f} ms"
        f"  p95 {percentile(m['changed_ms'], 0.95):6.2f} ms"
        f"  response {statistics.mean(m['changed_bytes']):,.0f} bytes"
    )
    print(
        f"  response bytes per screen-hour: quiet {quiet / 1024:,.0f} KiB; one change a minute "
        f"{per_minute / 1024:,.0f} KiB; a change at every poll {busy / 1024:,.0f} KiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=5000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--daily-days", type=int, default=42)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    config = load_config()
    with tempfile.TemporaryDirectory() as workdir:
        process, url = start_redis(workdir)
        try:
            store = RedisStore(make_redis(url))
            started = time.perf_counter()
            count = fill(
                store,
                config,
                history(config, args.agents, args.days, args.daily_days, datetime.now(timezone.utc)),
            )
            print(
                f"data: {args.agents:,} agents, {args.days} days, {count:,} events upserted in "
                f"{time.perf_counter() - started:.0f} s; Redis uses {store.memory_bytes() / 2**20:,.0f} MiB"
            )
            app = create_app(Settings(), config=config, store=store)
            for screen in config.screens:
                report(screen, measure(app, store, config, screen, args.rounds))
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
