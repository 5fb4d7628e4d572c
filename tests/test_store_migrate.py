"""``wallboard migrate`` (issue #13): records of the old layout (a hash per record) move into the compact
buckets without moving a figure, and later versions then apply by the right delta."""

from __future__ import annotations

import pytest

from kpi.config import Config
from kpi.model.contributions import Outcome, contribution_of
from kpi.model.events import Event
from kpi.store import RedisStore
from kpi.store.record_codec import is_legacy
from tests.nine_fields import as_nine_fields

pytestmark = pytest.mark.cluster


def deal(value: float, updated_at: str = "2026-11-24T10:00:00+01:00") -> Event:
    return Event.model_validate(
        {
            "source": "crm",
            "id": "d1",
            "type": "deal_won",
            "agent_id": "ana",
            "agent_name": "Ana A.",
            "team": "North",
            "value": value,
            "occurred_at": "2026-11-24T09:00:00+01:00",
            "updated_at": updated_at,
            "attributes": {"channel": "phone"},
        }
    )


def as_old_layout(store: RedisStore, event: Event, config: Config) -> None:
    """What a release before the compact layout kept of `event`: its figures and one hash."""
    store.upsert([event], config)
    store.client.hdel(store.keys.record("crm", "d1"), "d1")
    contribution = contribution_of(event, config, event.team)
    store.client.hset(
        f"{store.keys.legacy_record_prefix}crm:d1",
        mapping={
            "v": event.version,
            "h": event.content_hash,
            "d": "0",
            "c": contribution.encode() if contribution else "",
            "e": event.to_json(),
            "l": "",
            "x": "",
            "a": "",
            "q": "1" if contribution and contribution.linkable else "0",
        },
    )


def revenue(store: RedisStore) -> float | None:
    found = store.figures("revenue", "2026-11", "agent").get("ana")
    return found.value("sum") if found else None


def test_mi001_a_migrated_record_keeps_its_version_event_and_figures(
    redis_store: RedisStore, config: Config
) -> None:
    as_old_layout(redis_store, deal(100), config)
    assert redis_store.migrate_records() == 1
    stored = redis_store.record("crm", "d1")
    assert stored is not None and Event.model_validate_json(stored.event_json) == deal(100)
    assert revenue(redis_store) == 100
    assert not redis_store.client.exists(f"{redis_store.keys.legacy_record_prefix}crm:d1")


def test_mi002_a_correction_after_the_migration_moves_the_figure_by_the_delta(
    redis_store: RedisStore, config: Config
) -> None:
    as_old_layout(redis_store, deal(100), config)
    redis_store.migrate_records()
    assert redis_store.upsert([deal(250, "2026-11-24T11:00:00+01:00")], config) == [Outcome.UPDATED]
    assert revenue(redis_store) == 250


def test_mi003_migrating_again_moves_nothing(redis_store: RedisStore, config: Config) -> None:
    as_old_layout(redis_store, deal(100), config)
    redis_store.migrate_records()
    assert (redis_store.migrate_records(), revenue(redis_store)) == (0, 100)


# --- bucket values of the layout before the short one (nine fields) --------------------------------------


def stored_value(store: RedisStore) -> str:
    return store.client.hget(store.keys.record("crm", "d1"), "d1")


def test_mi010_a_value_of_the_layout_before_is_read_as_it_was(
    redis_store: RedisStore, config: Config
) -> None:
    redis_store.upsert([deal(100)], config)
    as_nine_fields(redis_store, "crm", "d1")
    stored = redis_store.record("crm", "d1")
    assert is_legacy(stored_value(redis_store))
    assert stored is not None and Event.model_validate_json(stored.event_json) == deal(100)


def test_mi011_the_same_record_again_is_unchanged_on_a_value_of_the_layout_before(
    redis_store: RedisStore, config: Config
) -> None:
    redis_store.upsert([deal(100)], config)
    as_nine_fields(redis_store, "crm", "d1")
    assert redis_store.upsert([deal(100)], config) == [Outcome.UNCHANGED]


def test_mi012_a_correction_of_a_value_of_the_layout_before_moves_the_delta_and_writes_it_short(
    redis_store: RedisStore, config: Config
) -> None:
    redis_store.upsert([deal(100)], config)
    as_nine_fields(redis_store, "crm", "d1")
    assert redis_store.upsert([deal(250, "2026-11-24T11:00:00+01:00")], config) == [Outcome.UPDATED]
    assert (revenue(redis_store), is_legacy(stored_value(redis_store))) == (250, False)


def test_mi013_migrate_converts_a_value_of_the_layout_before_once_without_moving_a_figure(
    redis_store: RedisStore, config: Config
) -> None:
    redis_store.upsert([deal(100)], config)
    as_nine_fields(redis_store, "crm", "d1")
    assert redis_store.migrate_records() == 1
    assert redis_store.migrate_records() == 0
    stored = redis_store.record("crm", "d1")
    assert stored is not None and Event.model_validate_json(stored.event_json) == deal(100)
    assert (revenue(redis_store), is_legacy(stored_value(redis_store))) == (100, False)
    assert "{" not in stored_value(redis_store)


def test_mi014_a_rescore_over_a_value_of_the_layout_before_moves_no_figure_and_writes_it_short(
    redis_store: RedisStore, config: Config
) -> None:
    redis_store.upsert([deal(100)], config)
    as_nine_fields(redis_store, "crm", "d1")
    redis_store.rescore(config)
    stored = redis_store.record("crm", "d1")
    assert stored is not None and Event.model_validate_json(stored.event_json) == deal(100)
    assert (revenue(redis_store), is_legacy(stored_value(redis_store))) == (100, False)
    assert redis_store.rescore(config).changed == 0
