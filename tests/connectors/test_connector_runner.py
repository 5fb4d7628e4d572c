"""The runner: lock, cursor after storage, health, and what happens when things go wrong."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from connectors.core.base import Connector, ConnectorOptions, Page, Skipped
from connectors.core.http import AuthError, Interrupted
from connectors.core.runner import Runner
from kpi.config import Config
from kpi.model.events import Event
from kpi.store import MemoryStore, RedisStore
from kpi.store.sync_state import sync_state_for

pytestmark = pytest.mark.cluster
"""Also on a three-master Redis Cluster (tests/conftest.py)."""

AT = datetime(2026, 11, 2, 10, tzinfo=UTC)


def solved(n: int, agent: str = "ada") -> Event:
    return Event(source="scripted", id=f"t{n}", type="ticket_solved", agent_id=agent, occurred_at=AT)


class Scripted(Connector):
    """A connector whose pages are given by the test; `during(i)` runs before page i is yielded."""

    def __init__(self, pages: list[Page], during: Callable[[int], None] = lambda i: None) -> None:
        self.pages, self.during, self.cursors = pages, during, []
        super().__init__("scripted", ConnectorOptions(base_url="http://127.0.0.1:9"), {})

    def cursor_for(self, since: datetime) -> str:
        return f"since:{since.date()}"

    def fetch(self, cursor: str | None) -> Iterator[Page]:
        self.cursors.append(cursor)
        for index, page in enumerate(self.pages):
            self.during(index)
            yield page


def pages(n: int) -> list[Page]:
    return [Page([solved(i)], f"c{i}", records=1, newest=AT) for i in range(n)]


@pytest.fixture
def runner(redis_store: RedisStore, config: Config) -> Runner:
    return Runner(redis_store, config, now=lambda: AT + timedelta(minutes=5))


def test_second_runner_on_the_same_connector_does_not_run(runner, redis_store, config):
    other = Runner(redis_store, config)
    seen: list[str] = []
    first = Scripted(
        pages(2), during=lambda i: seen.append(other.run(Scripted(pages(1))).status) if i == 1 else None
    )
    assert runner.run(first).status == "ok"
    assert seen == ["locked"]


def test_lock_of_a_dead_runner_is_taken_over_after_it_expires(runner, redis_store):
    sync_state_for(redis_store).acquire("scripted", "dead-runner", 0.05)
    deadline = time.monotonic() + 5
    while (report := runner.run(Scripted(pages(1)))).status == "locked":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert report.status == "ok"


def test_runner_that_lost_its_lock_stops_without_saving_its_cursor(redis_store, config):
    state = sync_state_for(redis_store)

    def lose_lock(index: int) -> None:
        if index == 1:
            time.sleep(0.1)
            assert state.acquire("scripted", "newcomer", 30)

    report = Runner(redis_store, config).run(Scripted(pages(3), during=lose_lock), lock_ttl_seconds=0.05)
    assert report.status == "error" and "LockLost" in report.error
    assert state.cursor("scripted") == "c0"


def test_cursor_is_saved_only_after_the_page_is_stored(runner, redis_store):
    state = sync_state_for(redis_store)
    observed: list[tuple[Any, bool]] = []
    connector = Scripted(
        pages(2),
        during=lambda i: observed.append(
            (state.cursor("scripted"), redis_store.record("scripted", "t0") is not None)
        ),
    )
    runner.run(connector)
    assert observed == [(None, False), ("c0", True)]


def test_run_starts_from_the_saved_cursor(runner):
    runner.run(Scripted(pages(2)))
    connector = Scripted([])
    runner.run(connector)
    assert connector.cursors == ["c1"]


def test_backfill_starts_from_the_cursor_for_since(runner):
    connector = Scripted([])
    runner.run(connector, since=AT)
    assert connector.cursors == ["since:2026-11-02"]


def test_page_without_a_cursor_keeps_the_saved_one(runner, redis_store):
    runner.run(Scripted([Page([solved(1)], "c1"), Page([solved(2)], None)]))
    assert sync_state_for(redis_store).cursor("scripted") == "c1"


def test_health_records_the_counts_of_the_last_run(runner, redis_store):
    runner.run(Scripted([Page([solved(1), solved(2)], "c1", [Skipped("x", "bad")], records=3, newest=AT)]))
    health = sync_state_for(redis_store).health()["scripted"]
    assert {k: health[k] for k in ("status", "records", "events", "skipped", "new", "lag_seconds")} == {
        "status": "ok",
        "records": "3",
        "events": "2",
        "skipped": "1",
        "new": "2",
        "lag_seconds": "300",
    }
    assert json.loads(health["skipped_sample"]) == [["x", "bad"]]


def test_health_keeps_the_last_success_after_a_failure(runner, redis_store):
    runner.run(Scripted(pages(1)))

    def fail(index: int) -> None:
        raise AuthError("scripted: the source refused the credentials (HTTP 401)")

    runner.run(Scripted(pages(1), during=fail))
    health = sync_state_for(redis_store).health()["scripted"]
    assert (health["status"], health["last_success_at"]) == (
        "auth_failed",
        (AT + timedelta(minutes=5)).isoformat(),
    )


def test_unexpected_exception_is_reported_not_raised(runner):
    def boom(index: int) -> None:
        raise KeyError("tickets")

    report = runner.run(Scripted(pages(1), during=boom))
    assert report.status == "error" and "KeyError" in report.error


def test_lock_is_released_after_a_failed_run(runner, redis_store):
    def boom(index: int) -> None:
        raise RuntimeError("source down")

    runner.run(Scripted(pages(1), during=boom))
    assert sync_state_for(redis_store).acquire("scripted", "next", 30)


def test_stop_request_ends_the_run_after_the_page_in_hand(redis_store, config):
    report = Runner(redis_store, config, should_stop=lambda: True).run(Scripted(pages(3)))
    assert (report.status, report.pages, sync_state_for(redis_store).cursor("scripted")) == (
        "stopped",
        1,
        "c0",
    )


def test_interrupted_wait_ends_the_run_as_stopped_without_an_error(runner, redis_store):
    def interrupt(index: int) -> None:
        if index == 1:
            raise Interrupted("stopping")

    report = runner.run(Scripted(pages(2), during=interrupt))
    health = sync_state_for(redis_store).health()["scripted"]
    assert (report.status, report.error, health["status"], "last_error" in health) == (
        "stopped",
        None,
        "stopped",
        False,
    )


def test_runner_stores_into_the_in_process_store_too(config):
    store = MemoryStore()
    Runner(store, config).run(Scripted(pages(2)))
    assert store.figures("tickets_solved", "2026-11", "agent")["ada"].count == 2
    assert sync_state_for(store).cursor("scripted") == "c1"
