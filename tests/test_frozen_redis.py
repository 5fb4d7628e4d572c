"""A hung Redis: every route gives up at once or within its deadline, and all recovers (issue #12).

A redis-server of this test's own is frozen with SIGSTOP (what a partition or a blackholed host looks
like: connections are accepted, nothing answers), under the whole app built as production builds it
(its store opened from the Redis URL, for requests). Before the fix one push waited 20 s and a poll 83 s.
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import dash
import pytest
from flask.testing import FlaskClient

from dashboard import create_app
from dashboard.auth import with_demo_user
from kpi.config import Config
from kpi.config.settings import Settings
from kpi.store import RedisStore, breaker_of
from kpi.store.clients import BREAKER_RESET
from tests.conftest import RedisServer
from tests.kiosk.dash_client import DashClient, find_store

PUSH = {"Authorization": "Bearer push", "Content-Type": "application/json"}
READ = {"Authorization": "Bearer read"}
EVENT = {
    "source": "crm",
    "type": "ticket_solved",
    "agent_id": "a1",
    "agent_name": "Ann",
    "team": "Support",
    "occurred_at": datetime.now(timezone.utc).isoformat(),
}


class Frozen:
    """A redis-server of this test's own that can be frozen (SIGSTOP) and thawed (SIGCONT)."""

    def __init__(self, workdir: Path) -> None:
        self.server = RedisServer(workdir)
        self.frozen = False

    def freeze(self) -> None:
        os.kill(self.server.process.pid, signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        os.kill(self.server.process.pid, signal.SIGCONT)
        self.frozen = False


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[Frozen]:
    """A throwaway redis-server (never the session's shared one), thawed and stopped at the end."""
    frozen = Frozen(tmp_path)
    frozen.server.start()
    try:
        yield frozen
    finally:
        if frozen.frozen:
            frozen.thaw()
        frozen.server.stop()


@pytest.fixture
def app(own_redis: Frozen, config: Config) -> dash.Dash:
    """The app over `own_redis`, its store opened from the URL as in production, with a demo manager."""
    config, password = with_demo_user(config, password="demo-password")
    settings = Settings(redis_url=own_redis.server.url, ingest_token="push", api_token="read")
    return create_app(settings, config=config)


def sign_in(client: FlaskClient) -> None:
    page = client.get("/manage/login").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    form = {"username": "demo", "password": "demo-password", "next": "/manage", "csrf": token}
    assert client.post("/manage/login", data=form).status_code == 302


def opened(tv: DashClient) -> tuple[dict, dict]:
    status, body = tv.page("/kiosk/floor")
    layout = json.loads(body)["response"]["_pages_content"]["children"]
    return find_store(layout, "kiosk-meta"), find_store(layout, "kiosk-seen")


def every_route(client: FlaskClient, tv: DashClient, meta: dict, seen: dict) -> dict[str, tuple[int, object]]:
    """One request of each route class: (status, what matters of the answer); prints the slowest."""
    started = time.monotonic()
    push = client.post("/api/v1/events", data=json.dumps(EVENT | {"id": "x"}), headers=PUSH)
    board = client.get("/api/v1/leaderboard?metric=tickets_solved&period=day", headers=READ)
    health = client.get("/api/v1/health")
    status, body = tv.poll(meta, {**seen, "v": -1}, views=len(seen.get("d", [])) or 1)
    pulse = json.loads(body)["p"] if status == 200 else None
    home, _ = tv.call("home-boards.children", [1], [-1])
    manage, _ = tv.page("/manage")
    print(f"6 routes in {time.monotonic() - started:.2f} s")
    return {
        "push": (push.status_code, push.headers.get("Retry-After")),
        "leaderboard": (board.status_code, board.get_json()),
        "health": (health.status_code, health.get_json()),
        "kiosk poll": (status, pulse),
        "home boards": (home, None),
        "manage page": (manage, None),
    }


def test_frz001_a_frozen_redis_is_refused_at_once_and_everything_recovers(
    app: dash.Dash, own_redis: Frozen
) -> None:
    client = app.server.test_client()
    tv = DashClient(client)
    sign_in(client)
    assert (
        client.post("/api/v1/events", data=json.dumps(EVENT | {"id": "1"}), headers=PUSH).status_code == 200
    )
    meta, seen = opened(tv)
    store = app.server.extensions["wallboard"].store
    assert isinstance(store, RedisStore)
    breaker = breaker_of(store.client)

    own_redis.freeze()
    started = time.monotonic()
    rounds = [every_route(client, tv, meta, seen) for _ in range(3)]
    frozen_for = time.monotonic() - started
    print(f"\n3 rounds of {len(rounds[0])} routes against a frozen Redis took {frozen_for:.2f} s")

    for answers in rounds:
        assert answers["push"][0] == 503 and int(answers["push"][1]) >= 1
        assert answers["leaderboard"][0] == 503
        assert answers["health"][0] == 503 and answers["health"][1]["store"]["up"] is False
        assert (
            answers["kiosk poll"] == (200, answers["kiosk poll"][1])
            and answers["kiosk poll"][1]["ok"] is False
        )
        assert answers["home boards"][0] == 503 and answers["manage page"][0] == 503
    requests = 3 * len(rounds[0])
    probes = 1 + int(frozen_for / BREAKER_RESET)
    assert breaker.state != "closed"
    assert breaker.refused >= requests - probes, "requests waited on Redis instead of being refused at once"

    own_redis.thaw()
    for _ in range(100):  # the next probe (at most BREAKER_RESET from now) closes the breaker
        if client.get("/api/v1/health").status_code == 200:
            break
        time.sleep(0.1)
    answers = every_route(client, tv, meta, seen)
    assert answers["push"][0] == 200 and answers["health"][0] == 200
    assert answers["kiosk poll"][0] == 200 and answers["kiosk poll"][1]["ok"] is True
    assert answers["home boards"][0] == 200 and answers["manage page"][0] == 200
    rows = answers["leaderboard"][1]["rows"]
    assert answers["leaderboard"][0] == 200 and [(r["id"], r["value"]) for r in rows] == [("a1", 2)]
    assert breaker.state == "closed"
