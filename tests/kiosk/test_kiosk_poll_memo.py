"""The poll's per-process memo and its one-round-trip read: cheap, and never a wrong or stale answer (#13)."""

from __future__ import annotations

import copy
import gzip
import json
from datetime import datetime
from typing import Any

import brotli
import dash
import pytest
from conftest import agent_name
from dash_client import DashClient, find_store, poll_url
from flask import Flask
from kiosk_support import NOW, event
from redis.connection import Connection

from dashboard.cache import LocalMemo, shared_cache
from dashboard.services.kiosk.view_cache import ScreenViews, cached_views
from dashboard.services.kiosk.wire import PATCH, seen_after
from kpi.config import Config
from kpi.config.screens import Screen, View
from kpi.ingest.pipeline import ingest_events
from kpi.model.celebration import Celebration
from kpi.read.kiosk_views import ViewData, view_data
from kpi.store import RedisStore, Store
from kpi.store.celebration_feed import START, feed_for
from kpi.store.poll_read import poll_read
from kpi.store.sync_state import sync_state_for

VIEW_BODY = "kiosk-view-body"


def _opened(client: DashClient, url: str) -> tuple[dict, dict, list[Any]]:
    """The page's meta and seen stores, and the body of each view as the page drew it."""
    _, body = client.page(url)
    layout = json.loads(body)["response"]["_pages_content"]["children"]
    return find_store(layout, "kiosk-meta"), find_store(layout, "kiosk-seen"), _bodies(layout)


def _bodies(node: Any) -> list[Any]:  # noqa: ANN401 - JSON
    found: list[Any] = []
    if isinstance(node, dict):
        ident = node.get("props", {}).get("id")
        if isinstance(ident, dict) and ident.get("type") == VIEW_BODY:
            return [node["props"].get("children")]
        for value in node.values():
            found += _bodies(value)
    elif isinstance(node, list):
        for value in node:
            found += _bodies(value)
    return found


def _poll(client: DashClient, meta: dict, seen: dict) -> dict[str, Any]:
    status, body = client.poll(meta, seen, views=3)
    assert status == 200
    return json.loads(body)


def _applied(old: Any, sent: Any) -> Any:  # noqa: ANN401 - JSON
    """What a TV that has `old` shows after `sent` (a whole body, or a patch of Assign operations)."""
    if not (isinstance(sent, dict) and PATCH in sent):
        return sent
    new = copy.deepcopy(old)
    for op in sent["operations"]:
        assert op["operation"] == "Assign"
        *path, last = op["location"]
        target = new
        for step in path:
            target = target[step]
        target[last] = op["params"]["value"]
    return new


def _round_trips(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one for every command (or pipeline) any Redis connection sends from now on."""
    sent: list[int] = []
    send = Connection.send_packed_command

    def counting(connection: Connection, command: Any, check_health: bool = True) -> None:  # noqa: ANN401
        sent.append(1)
        send(connection, command, check_health)

    monkeypatch.setattr(Connection, "send_packed_command", counting)
    return sent


def test_a_new_event_on_a_metric_the_screen_shows_reaches_the_next_poll(
    kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    client = DashClient(kiosk_app.server.test_client())
    meta, seen, _ = _opened(client, "/kiosk/tv")
    assert "b" not in _poll(client, meta, seen)
    ingest_events(twelve_agents, kiosk_config, [event("a00", name=agent_name(0)) for _ in range(20)], now=NOW)
    answer = _poll(client, meta, seen)
    assert agent_name(0) in json.dumps(answer["b"]) and answer["s"]["v"] > seen["v"]


def test_an_event_on_a_metric_the_screen_does_not_show_sends_no_body(
    kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    client = DashClient(kiosk_app.server.test_client())
    meta, seen, _ = _opened(client, "/kiosk/tv")
    deal = event("a01", "deal_won", value=10, name=agent_name(1))
    ingest_events(twelve_agents, kiosk_config, [deal], now=NOW)
    answer = _poll(client, meta, seen)
    assert "b" not in answer and answer["s"]["v"] > seen["v"] and "d" not in answer["s"]


def test_two_tvs_that_know_different_bodies_each_get_what_turns_theirs_into_the_new_one(
    kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    client = DashClient(kiosk_app.server.test_client())
    meta, old_seen, old_bodies = _opened(client, "/kiosk/tv")
    ingest_events(twelve_agents, kiosk_config, [event("a03", name=agent_name(3)) for _ in range(9)], now=NOW)
    _, middle_seen, middle_bodies = _opened(client, "/kiosk/tv")
    ingest_events(twelve_agents, kiosk_config, [event("a02", name=agent_name(2)) for _ in range(15)], now=NOW)
    _, new_seen, new_bodies = _opened(client, "/kiosk/tv")
    for seen, bodies in ((old_seen, old_bodies), (middle_seen, middle_bodies), (old_seen, old_bodies)):
        answer = _poll(client, meta, seen)
        shown = [_applied(body, answer["b"].get(str(i), body)) for i, body in enumerate(bodies)]
        assert shown == new_bodies and seen_after(seen, answer["s"])["d"] == new_seen["d"]


def test_a_tv_that_has_the_new_bodies_gets_none(
    kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    client = DashClient(kiosk_app.server.test_client())
    meta, seen, _ = _opened(client, "/kiosk/tv")
    ingest_events(twelve_agents, kiosk_config, [event("a03", name=agent_name(3)) for _ in range(9)], now=NOW)
    assert "b" in _poll(client, meta, seen)
    _, current, _ = _opened(client, "/kiosk/tv")
    assert "b" not in _poll(client, meta, {**current, "v": seen["v"]})


def _counted(calls: list[str], tag: str) -> Any:  # noqa: ANN401 - a view computation
    def compute(store: Store, config: Config, screen: Screen, view: View, now: datetime) -> ViewData:
        calls.append(tag)
        return view_data(store, config, screen, view, now)

    return compute


def test_the_memo_serves_no_other_screens_or_signatures_views(
    twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    cache = shared_cache(Flask(__name__), twelve_agents)
    screen = kiosk_config.screens["tv"]
    views = list(screen.views)
    calls: list[str] = []
    for name, sig in (("tv", "one"), ("tv", "one"), ("other", "one"), ("tv", "two")):
        cached_views(ScreenViews(cache, name, sig), twelve_agents, kiosk_config, screen, views, NOW,
                     _counted(calls, f"{name}:{sig}"))  # fmt: skip
    assert calls == ["tv:one"] * 3 + ["other:one"] * 3 + ["tv:two"] * 3


def test_the_memo_answers_without_redis_once_it_has_the_views(
    twelve_agents: RedisStore, kiosk_config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = shared_cache(Flask(__name__), twelve_agents)
    screen = kiosk_config.screens["tv"]
    where = ScreenViews(cache, "tv", "one")
    versions = twelve_agents.versions(["tickets_solved", "~agents", "~choices"])
    first = cached_views(
        where, twelve_agents, kiosk_config, screen, list(screen.views), NOW, versions=versions
    )
    monkeypatch.setattr(Connection, "send_packed_command", _refuse)
    again = cached_views(
        where, twelve_agents, kiosk_config, screen, list(screen.views), NOW, versions=versions
    )
    assert again == first


def _refuse(*_: object, **__: object) -> None:
    raise AssertionError("a round trip to Redis")


def test_a_memo_entry_ends_with_its_timeout() -> None:
    memo = LocalMemo()
    memo.put_many({"kept": (1,)}, 60)
    memo.put_many({"gone": (2,)}, 0)
    assert memo.get_many(["kept", "gone", "never"]) == [(1,), None, None]


def test_the_memo_forgets_the_least_recently_used_entry_when_full() -> None:
    memo = LocalMemo(size=2)
    memo.put_many({"a": (1,), "b": (2,)}, 60)
    memo.get_many(["a"])
    memo.put_many({"c": (3,)}, 60)
    assert memo.get_many(["a", "b", "c"]) == [(1,), None, (3,)]


def _celebration(agent_id: str) -> Celebration:
    return Celebration(
        "Deal won", "deal_won", agent_id, "Ada", False, "Sales", 1200.0, "EUR", "2026-11-25T13:00Z"
    )


def test_the_poll_read_says_what_the_separate_reads_say(
    redis_store: RedisStore, kiosk_config: Config
) -> None:
    ingest_events(redis_store, kiosk_config, [event("a1"), event("a2", "deal_won", value=5)], now=NOW)
    feed_for(redis_store).publish([_celebration("a1"), _celebration("a2")], keep=10)
    sync_state_for(redis_store).write_health("zendesk", {"status": "ok"})
    parts = ["revenue", "tickets_solved", "~agents", "never"]
    read = poll_read(redis_store, parts, START, max_age_seconds=3600)
    assert (read.version, read.versions, read.fresh, read.health) == (
        redis_store.data_version(),
        redis_store.versions(parts),
        feed_for(redis_store).since(START, max_age_seconds=3600),
        sync_state_for(redis_store).health(),
    )


def test_the_poll_read_is_one_round_trip_while_the_connectors_stay_the_same(
    redis_store: RedisStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_state_for(redis_store).write_health("zendesk", {"status": "ok"})
    poll_read(redis_store, ["tickets_solved"], START, max_age_seconds=60)
    sent = _round_trips(monkeypatch)
    poll_read(redis_store, ["tickets_solved"], START, max_age_seconds=60)
    assert len(sent) == 1


def test_the_poll_read_sees_a_connector_that_reports_for_the_first_time(redis_store: RedisStore) -> None:
    sync_state_for(redis_store).write_health("zendesk", {"status": "ok"})
    poll_read(redis_store, [], START, max_age_seconds=60)
    sync_state_for(redis_store).write_health("hubspot", {"status": "failing"})
    health = poll_read(redis_store, [], START, max_age_seconds=60).health
    assert health == {"hubspot": {"status": "failing"}, "zendesk": {"status": "ok"}}


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_a_compressed_answer_kept_for_one_tv_is_never_sent_to_a_tv_that_knows_other_bodies(
    kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config, encoding: str
) -> None:
    client = DashClient(kiosk_app.server.test_client())
    meta, old_seen, old_bodies = _opened(client, "/kiosk/tv")
    ingest_events(twelve_agents, kiosk_config, [event("a03", name=agent_name(3)) for _ in range(9)], now=NOW)
    _, middle_seen, middle_bodies = _opened(client, "/kiosk/tv")
    ingest_events(twelve_agents, kiosk_config, [event("a02", name=agent_name(2)) for _ in range(15)], now=NOW)
    _, new_seen, new_bodies = _opened(client, "/kiosk/tv")
    for seen, bodies in ((old_seen, old_bodies), (middle_seen, middle_bodies)) * 2:
        response = client.client.get(poll_url(meta, seen, 3), headers={"Accept-Encoding": encoding})
        assert response.headers["Content-Encoding"] == encoding
        answer = json.loads(_decompressed(response.get_data(), encoding))
        shown = [_applied(body, answer["b"].get(str(i), body)) for i, body in enumerate(bodies)]
        assert shown == new_bodies and seen_after(seen, answer["s"])["d"] == new_seen["d"]


def _decompressed(data: bytes, encoding: str) -> bytes:
    return gzip.decompress(data) if encoding == "gzip" else brotli.decompress(data)


def test_a_poll_that_another_tv_in_the_same_state_asked_before_is_one_round_trip(
    kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = DashClient(kiosk_app.server.test_client())
    meta, seen, _ = _opened(client, "/kiosk/tv")
    ingest_events(twelve_agents, kiosk_config, [event("a03", name=agent_name(3)) for _ in range(9)], now=NOW)
    first = _poll(client, meta, seen)
    sent = _round_trips(monkeypatch)
    assert _poll(client, meta, seen)["b"] == first["b"] and len(sent) == 1
