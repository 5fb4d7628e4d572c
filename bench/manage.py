"""Manager drill-down benchmark: the server time of each /manage interaction over a big floor.

Starts a throwaway redis-server on a free loopback port, writes 2,000 agents (20 teams) with 10 metrics
and 13 months of daily history through ``RedisStore.upsert`` in batches (one work event per agent and
weekday, a CSAT rating per agent and week, an NPS answer every other week), then times each interaction
as the browser makes it: a signed-in POST to ``/_dash-update-component`` through Flask's test client,
including JSON encoding of the figures. Prints p50/p95 per interaction against the 300 ms goal, and the
Redis memory. Run ``python bench/manage.py`` (about three minutes); ``--help`` lists the knobs.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, Iterator

from bench._redis import start_redis
from dashboard import ids
from kpi.config import Config, parse_config
from kpi.model.events import Event

GOAL_MS = 300.0
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)
PASSWORD = "bench-password-1"
KINDS = ("ticket_solved", "call_handled", "deal_won", "chat_handled")
METRICS = {
    "tickets_solved": {"type": "ticket_solved", "aggregation": "count", "label": "Tickets solved"},
    "calls_handled": {"type": "call_handled", "aggregation": "count", "label": "Calls handled"},
    "avg_handle_time": {
        "type": "call_handled",
        "aggregation": "mean",
        "label": "Avg handle time",
        "unit": "s",
        "lower_is_better": True,
    },
    "talk_time": {"type": "call_handled", "aggregation": "sum", "label": "Talk time", "unit": "s"},
    "deals_won": {"type": "deal_won", "aggregation": "count", "label": "Deals won"},
    "revenue": {"type": "deal_won", "aggregation": "sum", "label": "Revenue", "unit": "EUR"},
    "chats_handled": {"type": "chat_handled", "aggregation": "count", "label": "Chats handled"},
    "chat_wait": {
        "type": "chat_handled",
        "aggregation": "mean",
        "label": "Chat wait",
        "unit": "s",
        "lower_is_better": True,
    },
    "csat": {"type": "csat_rating", "aggregation": "mean", "label": "CSAT", "unit": "/5", "decimals": 2},
    "nps": {"type": "nps_response", "aggregation": "nps", "label": "NPS"},
}


def bench_config(teams: int) -> Config:
    """Ten metrics, goals for the first teams, and one admin and one lead."""
    from werkzeug.security import generate_password_hash

    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    return parse_config(
        {
            "timezone": "Europe/Oslo",
            "metrics": METRICS,
            "users": {
                "admin": {"password_hash": hashed, "role": "admin"},
                "lead": {"password_hash": hashed, "role": "lead", "teams": ["Team 01", "Team 02"]},
            },
            "goals": {
                f"Team {t + 1:02d}": {"calls_handled": {"week": 2000}} for t in range(1, min(teams, 6), 4)
            },
        },
        "bench config",
    )


def floor(agents: int, teams: int, days: int, seed: int) -> Iterator[Event]:
    """One work event per agent and weekday, a CSAT per agent and week, an NPS every other week."""
    rng = random.Random(seed)
    last = NOW.date()
    for offset in range(days - 1, -1, -1):
        day = last - timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        moment = datetime(day.year, day.month, day.day, 10, tzinfo=timezone.utc)
        for agent in range(agents):
            team = agent % teams
            kind = KINDS[team % len(KINDS)]
            common = {
                "source": "bench",
                "agent_id": f"a{agent:04d}",
                "agent_name": f"Agent {agent:04d}",
                "team": f"Team {team + 1:02d}",
                "occurred_at": moment,
            }
            value = {
                "call_handled": rng.randint(120, 600),
                "deal_won": rng.randint(500, 20000),
                "chat_handled": rng.randint(10, 300),
            }.get(kind, 1.0)
            yield Event(id=f"w{agent}-{day}", type=kind, value=value, **common)
            if (agent + day.toordinal()) % 5 == 0:
                yield Event(
                    id=f"c{agent}-{day}", type="csat_rating", value=rng.choice([3, 4, 4, 5, 5]), **common
                )
            if (agent + day.toordinal()) % 10 == 0:
                yield Event(
                    id=f"n{agent}-{day}",
                    type="nps_response",
                    value=rng.choice([4, 7, 8, 9, 10, 10]),
                    **common,
                )


def load(store, config: Config, events: Iterator[Event], batch: int) -> int:
    """Write `events` in batches; return how many."""
    pending: list[Event] = []
    total = 0
    for event in events:
        pending.append(event)
        if len(pending) == batch:
            store.upsert(pending, config)
            total += len(pending)
            pending = []
    store.upsert(pending, config)
    return total + len(pending)


class Caller:
    """Signed-in POSTs of Dash callbacks through Flask's test client."""

    def __init__(self, app, username: str) -> None:
        self.app = app
        self.client = app.server.test_client()
        form = self.client.get("/manage/login").get_data(as_text=True)
        token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
        response = self.client.post(
            "/manage/login", data={"username": username, "password": PASSWORD, "csrf": token}
        )
        assert response.status_code == 302, "sign-in failed"
        self.client.get("/_dash-layout")

    def __call__(self, output_id: str, values: dict[str, Any]) -> Callable[[], int]:
        key = next(k for k in self.app.callback_map if output_id + "." in k)
        spec = self.app.callback_map[key]
        parts = [dict(zip(("id", "property"), p.rsplit(".", 1))) for p in key.strip(".").split("...")]

        def deps(items: list[dict[str, str]]) -> list[dict[str, Any]]:
            return [{**d, "value": values.get(f"{d['id']}.{d['property']}")} for d in items]

        body = json.dumps(
            {
                "output": key,
                "outputs": parts if key.startswith("..") else parts[0],
                "inputs": deps(spec["inputs"]),
                "state": deps(spec["state"]),
                "changedPropIds": [next(iter(values))],
            }
        )

        def call() -> int:
            response = self.client.post("/_dash-update-component", data=body, content_type="application/json")
            assert response.status_code in (200, 204), response.status_code
            return len(response.data)

        return call


def filters(
    metric: str,
    period: str,
    *,
    team: str | None = None,
    view: str = "overview",
    first: str | None = None,
    last: str | None = None,
) -> dict[str, Any]:
    return {
        f"{ids.MANAGE_METRIC}.value": metric,
        f"{ids.MANAGE_TEAM}.value": team,
        f"{ids.MANAGE_PERIOD}.value": period,
        f"{ids.MANAGE_DATE}.date": NOW.date().isoformat(),
        f"{ids.MANAGE_RANGE}.start_date": first,
        f"{ids.MANAGE_RANGE}.end_date": last,
        f"{ids.MANAGE_VIEW}.value": view,
    }


def interactions(admin: Caller, lead: Caller, first_day: date) -> list[tuple[str, Callable[[], int]]]:
    year = {"first": first_day.isoformat(), "last": NOW.date().isoformat()}
    agent = {
        f"{ids.MANAGE_AGENT_DATE}.date": NOW.date().isoformat(),
        f"{ids.MANAGE_AGENT_ID}.data": {"id": "a0005"},
    }
    return [
        (
            "open /manage (page layout)",
            admin(
                "_pages_content",
                {"_pages_location.pathname": "/manage", "_pages_location.search": "?metric=calls_handled"},
            ),
        ),
        ("filters -> URL + agent list", admin(ids.MANAGE_URL, filters("calls_handled", "week"))),
        ("overview, week, all teams", admin(ids.MANAGE_CARDS, filters("calls_handled", "week"))),
        ("overview, month, all teams", admin(ids.MANAGE_CARDS, filters("csat", "month"))),
        ("overview, 13 months, all teams", admin(ids.MANAGE_CARDS, filters("csat", "custom", **year))),
        (
            "drill-down: overview, one team",
            admin(ids.MANAGE_CARDS, filters("calls_handled", "month", team="Team 02")),
        ),
        ("ranking, month, 2,000 agents", admin(ids.MANAGE_GRID, filters("csat", "month", view="ranking"))),
        (
            "ranking, 13 months, 2,000 agents",
            admin(ids.MANAGE_GRID, filters("csat", "custom", view="ranking", **year)),
        ),
        ("ranking, month, lead (2 teams)", lead(ids.MANAGE_GRID, filters("csat", "month", view="ranking"))),
        (
            "CSV export, month, 2,000 agents",
            admin(ids.MANAGE_DOWNLOAD, {f"{ids.MANAGE_EXPORT}.n_clicks": 1, **filters("csat", "month")}),
        ),
        (
            "NPS detail, 13 months",
            admin(ids.MANAGE_SAT_CHART, filters("nps", "custom", view="satisfaction", **year)),
        ),
        ("goals", admin(ids.MANAGE_GOALS, filters("calls_handled", "week", view="goals"))),
        (
            "open agent page (layout)",
            admin(
                "_pages_content",
                {
                    "_pages_location.pathname": "/manage/agent/a0005",
                    "_pages_location.search": "?period=month",
                },
            ),
        ),
        (
            "agent page, month, 10 metrics",
            admin(ids.MANAGE_AGENT_CARDS, {f"{ids.MANAGE_AGENT_PERIOD}.value": "month", **agent}),
        ),
        (
            "agent page, 13 months, 10 metrics",
            admin(
                ids.MANAGE_AGENT_CARDS,
                {
                    f"{ids.MANAGE_AGENT_PERIOD}.value": "custom",
                    f"{ids.MANAGE_AGENT_RANGE}.start_date": year["first"],
                    f"{ids.MANAGE_AGENT_RANGE}.end_date": year["last"],
                    **agent,
                },
            ),
        ),
    ]


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=2000)
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--days", type=int, default=396, help="days of history (396 = 13 months)")
    parser.add_argument("--repeat", type=int, default=20, help="timed calls per interaction")
    parser.add_argument("--batch", type=int, default=5000)
    args = parser.parse_args(argv)

    from dashboard import create_app
    from kpi.config.settings import Settings
    from kpi.store import RedisStore, make_redis

    workdir = tempfile.mkdtemp()
    process, url = start_redis(workdir)
    try:
        config = bench_config(args.teams)
        store = RedisStore(make_redis(url), "bench")
        started = time.perf_counter()
        count = load(store, config, floor(args.agents, args.teams, args.days, seed=5), args.batch)
        loaded = time.perf_counter() - started
        print(
            f"floor: {args.agents:,} agents in {args.teams} teams, {len(config.metrics)} metrics, "
            f"{args.days} days; {count:,} events written in {loaded:.0f} s ({count / loaded:,.0f}/s)"
        )
        print(f"Redis memory: {store.memory_bytes() / 2**20:,.0f} MiB used ({store.client.dbsize():,} keys)")
        app = create_app(
            Settings(redis_url=url, namespace="bench"), config=config, store=store, clock=lambda: NOW
        )
        admin, lead = Caller(app, "admin"), Caller(app, "lead")
        first_day = NOW.date() - timedelta(days=args.days - 1)
        print(
            f"\n{'interaction':<38}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'KiB':>8}"
            f"  goal {GOAL_MS:.0f} ms p95"
        )
        worst = 0.0
        for name, call in interactions(admin, lead, first_day):
            size = call()
            samples = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                call()
                samples.append((time.perf_counter() - start) * 1000)
            p95 = percentile(samples, 0.95)
            worst = max(worst, p95)
            print(
                f"{name:<38}{statistics.median(samples):>9.1f}{p95:>9.1f}{max(samples):>9.1f}"
                f"{size / 1024:>8.0f}  {'ok' if p95 <= GOAL_MS else 'OVER'}"
            )
        verdict = "every interaction meets" if worst <= GOAL_MS else "misses"
        print(f"\nslowest p95: {worst:.0f} ms — {verdict} the {GOAL_MS:.0f} ms goal")
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
