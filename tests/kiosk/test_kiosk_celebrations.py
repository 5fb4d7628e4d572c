"""Celebrations: found on the single write path, kept on a capped stream, read from the last id."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import redis
from kiosk_support import NOW, event, make_config

from kpi.config import Config
from kpi.ingest.pipeline import ingest_events
from kpi.store import MemoryStore, RedisStore
from kpi.store.celebration_feed import START, MemoryCelebrations, RedisCelebrations, feed_for, parse_id

pytestmark = pytest.mark.cluster
"""Also on a three-master Redis Cluster (tests/conftest.py)."""

RULES = {
    "rules": [
        {"type": "deal_won", "min_value": 1000, "show_amount": True, "unit": "EUR", "title": "Big deal!"},
        {"type": "deal_won", "min_value": 500, "title": "Nice one"},
    ],
    "max_age_seconds": 30,
    "keep": 10,
}


@pytest.fixture
def config() -> Config:
    """The default config with two deal rules, an alias and a hidden agent."""
    return make_config(
        celebrations=RULES, agents={"ace": {"alias": "Ace"}, "shy": {"hide_from_screens": True}}
    )


def _deal(agent: str, value: float, **kwargs: object):  # noqa: ANN202 - an Event
    return event(agent, "deal_won", value=value, team="Sales", **kwargs)


def _fresh(store) -> list:  # noqa: ANN001 - a Store
    return [item for _, item in feed_for(store).since(START, max_age_seconds=60, limit=100)]


def test_kcel001_a_new_qualifying_event_is_published_with_the_first_matching_rule(
    store: MemoryStore | RedisStore, config: Config
) -> None:
    ingest_events(
        store, config, [_deal("bo", 2500, name="Bo Ek"), _deal("cy", 700), _deal("di", 100)], now=NOW
    )
    found = _fresh(store)
    assert [(c.title, c.name, c.amount, c.unit) for c in found] == [
        ("Big deal!", "Bo Ek", 2500.0, "EUR"),
        ("Nice one", "Cy", None, "EUR"),
    ]


def test_kcel002_duplicates_and_updates_are_not_celebrated_again(
    store: MemoryStore | RedisStore, config: Config
) -> None:
    deal = _deal("bo", 2500, record="d1")
    ingest_events(store, config, [deal], now=NOW)
    ingest_events(store, config, [deal], now=NOW)
    ingest_events(store, config, [deal.model_copy(update={"value": 3000.0, "updated_at": NOW})], now=NOW)
    assert len(_fresh(store)) == 1


def test_kcel003_hidden_agents_are_never_celebrated_and_aliases_are_used(
    store: MemoryStore | RedisStore, config: Config
) -> None:
    ingest_events(
        store, config, [_deal("shy", 9000, name="Shy Person"), _deal("ace", 9000, name="Real Name")], now=NOW
    )
    found = _fresh(store)
    assert [(c.agent_id, c.name, c.is_alias) for c in found] == [("ace", "Ace", True)]
    assert "Shy Person" not in repr(found) and "Real Name" not in repr(found)


def test_kcel004_old_events_are_not_celebrated(store: MemoryStore | RedisStore, config: Config) -> None:
    ingest_events(store, config, [_deal("bo", 9000, at=NOW - timedelta(hours=3))], now=NOW)
    assert _fresh(store) == []


def test_kcel005_a_nameless_event_uses_the_agents_known_name(
    store: MemoryStore | RedisStore, config: Config
) -> None:
    ingest_events(store, config, [_deal("bo", 10, name="Bo Ek")], now=NOW)
    ingest_events(
        store, config, [_deal("bo", 5000, name="").model_copy(update={"agent_name": None})], now=NOW
    )
    assert [c.name for c in _fresh(store)] == ["Bo Ek"]


def test_kcel006_kiosks_read_from_their_last_seen_id(store: MemoryStore | RedisStore, config: Config) -> None:
    feed = feed_for(store)
    ingest_events(store, config, [_deal("a1", 2000)], now=NOW)
    seen = feed.last_id()
    ingest_events(store, config, [_deal("a2", 2000), _deal("a3", 2000)], now=NOW)
    newer = feed.since(seen, max_age_seconds=60)
    assert [c.agent_id for _, c in newer] == ["a2", "a3"]
    assert feed.since(newer[-1][0], max_age_seconds=60) == []
    assert parse_id(newer[0][0]) > parse_id(seen)


def test_kcel007_the_stream_is_capped(
    redis_store: RedisStore, redis_client: redis.Redis, config: Config
) -> None:
    for n in range(40):
        ingest_events(redis_store, config, [_deal(f"a{n}", 2000)], now=NOW)
    assert redis_client.xlen("wb:{main}:celebrations") < 40
    memory = MemoryStore()
    for n in range(40):
        ingest_events(memory, config, [_deal(f"a{n}", 2000)], now=NOW)
    assert len(_fresh(memory)) == RULES["keep"]


@pytest.mark.parametrize("kind", ["memory", "redis"])
def test_kcel008_a_missed_celebration_is_not_replayed_later(
    kind: str, request: pytest.FixtureRequest
) -> None:
    feed = (
        MemoryCelebrations()
        if kind == "memory"
        else RedisCelebrations(request.getfixturevalue("redis_client"))
    )
    from kpi.model.celebration import Celebration

    feed.publish([Celebration("t", "deal_won", "a", "A", False, None, None, "", "")], keep=10)
    assert len(feed.since(START, max_age_seconds=60)) == 1
    time.sleep(1.1)
    assert feed.since(START, max_age_seconds=1) == []


def test_kcel009_a_namespace_has_its_own_stream(redis_client: redis.Redis, config: Config) -> None:
    first, second = RedisStore(redis_client, "one"), RedisStore(redis_client, "two")
    ingest_events(first, config, [_deal("a1", 2000)], now=NOW)
    assert len(_fresh(first)) == 1 and _fresh(second) == []
    assert redis_client.exists("wb:{one}:celebrations")


def test_kcel010_no_rules_no_stream(redis_store: RedisStore, redis_client: redis.Redis) -> None:
    config = make_config(celebrations={"rules": []})
    ingest_events(redis_store, config, [_deal("a1", 99999)], now=NOW)
    assert not redis_client.exists("wb:{main}:celebrations")


def test_kcel011_a_screen_shows_the_newest_visible_one_with_initials_when_asked(config: Config) -> None:
    from kpi.model.celebration import Celebration
    from kpi.read.celebrations import for_screen

    real = Celebration("t", "deal_won", "bo", "Bo Ek", False, None, None, "", "")
    alias = Celebration("t", "deal_won", "ace", "Ace", True, None, None, "", "")
    hidden = Celebration("t", "deal_won", "shy", "Shy One", False, None, None, "", "")
    assert for_screen([real, hidden], config.agents, "none") == real
    assert for_screen([real], config.agents, "initials").name == "B. E."
    assert for_screen([alias], config.agents, "initials").name == "Ace"
    assert for_screen([hidden], config.agents, "none") is None


def test_kcel012_the_amount_unit_defaults_to_the_sum_metrics_unit(store: MemoryStore | RedisStore) -> None:
    config = make_config(celebrations={"rules": [{"type": "deal_won", "show_amount": True}]})
    ingest_events(store, config, [_deal("bo", 50)], now=NOW)
    assert [(c.amount, c.unit) for c in _fresh(store)] == [(50.0, "EUR")]
