"""A metric's past version (`PAST`): it moves only when a figure of a day before the writer's today changes,
the same on the in-process store and Redis (every test that takes the `store` fixture runs on both)."""

from __future__ import annotations

from datetime import date

import pytest

from kpi.config import Config
from kpi.model.events import Event
from kpi.store import Store
from kpi.store.base import PAST

pytestmark = pytest.mark.cluster
"""Also on a three-master Redis Cluster (tests/conftest.py)."""

TODAY = date(2026, 11, 24)
LAST_WEEK = "2026-11-17T10:00:00+01:00"
PARTS = ["tickets_solved", "tickets_solved" + PAST]


def ticket(
    record_id: str, at: str, *, updated: str = "2026-11-24T12:00:00+00:00", deleted: bool = False
) -> Event:
    return Event.model_validate(
        {
            "source": "desk",
            "id": record_id,
            "type": "ticket_solved",
            "agent_id": "a1",
            "team": "north",
            "occurred_at": at,
            "updated_at": updated,
            "deleted": deleted,
        }
    )


def moved(store: Store, config: Config, events: list[Event]) -> dict[str, int]:
    """How far each of `PARTS` moves when `events` are written on `TODAY`."""
    before = store.versions(PARTS)
    store.upsert(events, config, today=TODAY)
    after = store.versions(PARTS)
    return {part: after[part] - before[part] for part in PARTS}


def test_a_write_dated_today_moves_the_metric_but_not_its_past_version(store: Store, config: Config) -> None:
    assert moved(store, config, [ticket("t1", "2026-11-24T10:00:00+01:00")]) == {PARTS[0]: 1, PARTS[1]: 0}


def test_a_late_correction_dated_last_week_moves_both_versions(store: Store, config: Config) -> None:
    assert moved(store, config, [ticket("t1", LAST_WEEK)]) == {PARTS[0]: 1, PARTS[1]: 1}


def test_a_retraction_of_an_old_record_moves_the_past_version(store: Store, config: Config) -> None:
    store.upsert([ticket("t1", LAST_WEEK)], config, today=TODAY)
    gone = ticket("t1", LAST_WEEK, updated="2026-11-24T13:00:00+00:00", deleted=True)
    assert moved(store, config, [gone]) == {PARTS[0]: 1, PARTS[1]: 1}


def test_moving_an_old_record_to_today_moves_the_past_version(store: Store, config: Config) -> None:
    store.upsert([ticket("t1", LAST_WEEK)], config, today=TODAY)
    today = ticket("t1", "2026-11-24T10:00:00+01:00", updated="2026-11-24T13:00:00+00:00")
    assert moved(store, config, [today]) == {PARTS[0]: 1, PARTS[1]: 1}


def test_a_write_without_a_day_counts_against_the_clock(store: Store, config: Config) -> None:
    store.upsert([ticket("t1", "2026-11-24T10:00:00+01:00")], config)
    assert store.versions(PARTS) == {PARTS[0]: 1, PARTS[1]: 1}
