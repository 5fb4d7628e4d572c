"""Ended buckets remembered by the versions of what they read: shared by workers, late corrections at once."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from flask import Flask

from dashboard.cache import shared_cache
from kpi.config import Config
from kpi.ingest.pipeline import ingest_events
from kpi.model.events import Event
from kpi.read.ended_cache import remember_ended, use_memo
from kpi.store import RedisStore

pytestmark = pytest.mark.cluster
NOW = datetime(2026, 11, 25, 13, 0, tzinfo=timezone.utc)
LAST_WEEK = datetime(2026, 11, 17, 10, 0, tzinfo=timezone.utc)


def _event(record: str, kind: str = "ticket_solved", value: float = 1) -> Event:
    return Event(
        source="test", id=record, type=kind, agent_id="a1", agent_name="Ada", team="Support",
        value=value, occurred_at=LAST_WEEK,
    )  # fmt: skip


def _counted(calls: list[int]):  # noqa: ANN202 - a compute function
    def compute() -> int:
        calls.append(1)
        return len(calls)

    return compute


@pytest.fixture
def shared_store(redis_store: RedisStore) -> RedisStore:
    use_memo(redis_store, shared_cache(Flask(__name__), redis_store))
    return redis_store


def test_a_late_correction_of_the_metric_read_shows_at_once(shared_store: RedisStore, config: Config) -> None:
    calls: list[int] = []
    ingest_events(shared_store, config, [_event("t1")], now=NOW)
    first = remember_ended(shared_store, ["tickets_solved"], ("w", "2026-W47"), _counted(calls))
    ingest_events(shared_store, config, [_event("t2")], now=NOW)
    again = remember_ended(shared_store, ["tickets_solved"], ("w", "2026-W47"), _counted(calls))
    assert (first, again) == (1, 2)


def test_a_change_of_another_metric_keeps_the_entry(shared_store: RedisStore, config: Config) -> None:
    calls: list[int] = []
    remember_ended(shared_store, ["tickets_solved"], ("w", "2026-W47"), _counted(calls))
    ingest_events(shared_store, config, [_event("d1", "deal_won", 900)], now=NOW)
    again = remember_ended(shared_store, ["tickets_solved"], ("w", "2026-W47"), _counted(calls))
    assert again == 1 and len(calls) == 1


def test_two_workers_share_one_entry(redis_store: RedisStore, redis_client: object) -> None:
    other = RedisStore(redis_client)  # type: ignore[arg-type]
    use_memo(redis_store, shared_cache(Flask(__name__), redis_store))
    use_memo(other, shared_cache(Flask(__name__), other))
    calls: list[int] = []
    remember_ended(redis_store, ["nps"], ("d", "2026-11-20"), _counted(calls))
    assert remember_ended(other, ["nps"], ("d", "2026-11-20"), _counted(calls)) == 1
    assert len(calls) == 1
