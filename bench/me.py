"""`/me` benchmark: the server time of an agent's page with 2,000 agents on the floor.

Starts a throwaway redis-server, writes 2,000 agents (20 teams) with 60 days of work, CSAT and NPS through
``RedisStore.upsert`` with the built-in config (points, badges, levels, screens), then times the page's
data callback as the browser calls it (a signed-in POST to ``/_dash-update-component`` through Flask's test
client, JSON included) for random agents. Prints p50/p95 against the 150 ms goal. With ``--live`` one new
event is written before each load, as on a working floor, so nothing cached per data version helps.
Run ``python -m bench.me``; ``--help`` lists the knobs.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import datetime, timedelta, timezone
from typing import Iterator

from bench._redis import own_redis
from dashboard import create_app, ids
from dashboard.agent_auth import issue_token
from kpi.config import load_config
from kpi.config.settings import Settings
from kpi.model.events import Event
from kpi.store import RedisStore, make_redis

GOAL_MS = 150.0
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)
SECRET = "bench-secret-" + "z" * 32
KINDS = (("ticket_solved", 1.0), ("call_handled", 240.0), ("ticket_solved", 1.0), ("deal_won", 4000.0))


def floor(agents: int, days: int, seed: int = 5) -> Iterator[Event]:
    """Each agent's work on each weekday, a CSAT rating every other day, an NPS answer a week."""
    rng = random.Random(seed)
    for back in range(days):
        moment = NOW - timedelta(days=back, hours=3)
        if moment.weekday() >= 5:
            continue
        for n in range(agents):
            agent, team = f"ag{n:04d}", f"Team {n % 20:02d}"
            kind, value = KINDS[n % len(KINDS)]
            common = {"source": "bench", "agent_id": agent, "agent_name": f"Agent {n}", "team": team}
            for k in range(rng.randint(1, 4)):
                yield Event(id=f"{agent}-{back}-{k}", type=kind, value=value, occurred_at=moment, **common)
            if back % 2 == 0:
                yield Event(
                    id=f"{agent}-{back}-c",
                    type="csat_rating",
                    value=rng.choice([3, 4, 5, 5]),
                    occurred_at=moment,
                    **common,
                )
            if back % 7 == 0:
                yield Event(
                    id=f"{agent}-{back}-n",
                    type="nps_response",
                    value=rng.randint(0, 10),
                    occurred_at=moment,
                    **common,
                )


def _live_event(agent: str, n: int) -> Event:
    """A ticket solved just now by `agent`: the data version moves, as it does every few seconds live."""
    team = f"Team {int(agent[2:]) % 20:02d}"
    moment = NOW - timedelta(minutes=1)
    return Event(
        source="live", id=f"live-{n}", type="ticket_solved", agent_id=agent, team=team, occurred_at=moment
    )


def run(url: str, args: argparse.Namespace) -> None:
    config = load_config()
    store = RedisStore(make_redis(url), "bench")
    started, batch, written = time.perf_counter(), [], 0
    for event in floor(args.agents, args.days):
        batch.append(event)
        if len(batch) == 5000:
            store.upsert(batch, config)
            written, batch = written + len(batch), []
    store.upsert(batch, config)
    written += len(batch)
    print(f"loaded {written:,} events for {args.agents:,} agents in {time.perf_counter() - started:.0f} s")
    app = create_app(Settings(secret_key=SECRET), config=config, store=store, clock=lambda: NOW)
    client = app.server.test_client()
    client.get("/_dash-layout")
    key = next(k for k in app.callback_map if f"{ids.ME_CONTENT}.children" in k)
    body = json.dumps(
        {
            "output": key,
            "outputs": [
                {"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]}
                for p in key.strip(".").split("...")
            ],
            "inputs": [{"id": ids.ME_TICK, "property": "n_intervals", "value": None}],
            "changedPropIds": [f"{ids.ME_TICK}.n_intervals"],
        }
    )
    rng = random.Random(3)
    times = []
    for i in range(args.requests + 5):
        agent = f"ag{rng.randrange(args.agents):04d}"
        client.get(f"/me/link/{issue_token(SECRET, agent, 0, 1, NOW)}")
        if args.live:
            store.upsert([_live_event(agent, i)], config)
        start = time.perf_counter()
        response = client.post("/_dash-update-component", data=body, content_type="application/json")
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.data[:200]
        if i >= 5:
            times.append(elapsed)
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[18]
    verdict = "OK" if p95 < GOAL_MS else "OVER GOAL"
    print(
        f"/me data callback{' (live)' if args.live else ''}, {len(times)} requests: "
        f"p50 {p50:.0f} ms, p95 {p95:.0f} ms "
        f"(goal p95 < {GOAL_MS:.0f} ms: {verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agents", type=int, default=2000, help="agents on the floor (default 2000)")
    parser.add_argument("--days", type=int, default=60, help="days of history (default 60)")
    parser.add_argument("--requests", type=int, default=200, help="timed page loads (default 200)")
    parser.add_argument("--live", action="store_true", help="write one new event before each page load")
    parser.add_argument("--redis-url", help="an empty Redis to use instead of a throwaway one")
    args = parser.parse_args()
    with own_redis(args.redis_url) as url:
        run(url, args)


if __name__ == "__main__":
    main()
