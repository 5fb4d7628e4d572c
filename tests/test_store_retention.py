"""Retention (issue #13): records older than ``retention.days`` are released, their day figures deleted,
and later corrections to them change nothing; week, month, quarter and year figures stay."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kpi.config import Config, parse_config
from kpi.ingest.game_round import game_round
from kpi.model.contributions import Outcome
from kpi.model.events import Event
from kpi.store import RedisStore, Store

pytestmark = pytest.mark.cluster

NOW = datetime.now(timezone.utc).replace(hour=12, minute=0, second=0, microsecond=0)
CONFIG: Config = parse_config(
    {
        "timezone": "UTC",
        "retention": {"days": 30},
        "metrics": {"revenue": {"type": "deal_won", "aggregation": "sum"}},
    },
    "retention test config",
)


def deal(record_id: str, days_ago: int, value: float = 100, updated_days_ago: int | None = None) -> Event:
    occurred = NOW - timedelta(days=days_ago)
    updated = None if updated_days_ago is None else NOW - timedelta(days=updated_days_ago)
    return Event.model_validate(
        {
            "source": "crm",
            "id": record_id,
            "type": "deal_won",
            "agent_id": "ana",
            "team": "North",
            "value": value,
            "occurred_at": occurred.isoformat(),
            "updated_at": updated.isoformat() if updated else None,
        }
    )


def revenue(store: Store, bucket: str) -> float | None:
    figures = store.figures("revenue", bucket, "agent").get("ana")
    return figures.value("sum") if figures else None


def test_re001_an_event_older_than_the_retention_is_released_and_not_stored(store: Store) -> None:
    assert store.upsert([deal("d1", 31)], CONFIG) == [Outcome.RELEASED]
    assert store.record("crm", "d1") is None


def test_re002_a_correction_dated_beyond_the_retention_is_released_and_changes_nothing(store: Store) -> None:
    store.upsert([deal("d1", 20)], CONFIG)
    month = (NOW - timedelta(days=20)).strftime("%Y-%m")
    moved = deal("d1", 40, value=999, updated_days_ago=0)
    assert store.upsert([moved], CONFIG) == [Outcome.RELEASED]
    assert revenue(store, month) == 100 and store.record("crm", "d1").version < moved.version


def test_re003_the_sweep_releases_old_records_and_deletes_their_day_figures(store: Store) -> None:
    store.upsert([deal("old", 20), deal("new", 2)], CONFIG)
    old_day = (NOW - timedelta(days=20)).date()
    swept = store.sweep_retention(CONFIG, NOW + timedelta(days=15))
    assert swept.records == 1
    assert store.record("crm", "old") is None and store.record("crm", "new") is not None
    assert revenue(store, old_day.isoformat()) is None


def test_re004_week_month_and_year_figures_stay_after_the_sweep(store: Store) -> None:
    store.upsert([deal("old", 20)], CONFIG)
    old_day = (NOW - timedelta(days=20)).date()
    store.sweep_retention(CONFIG, NOW + timedelta(days=15))
    iso_year, week, _ = old_day.isocalendar()
    buckets = [f"{iso_year}-W{week:02d}", old_day.strftime("%Y-%m"), str(old_day.year)]
    assert [revenue(store, bucket) for bucket in buckets] == [100, 100, 100]


def test_re005_a_second_sweep_finds_nothing_more(store: Store) -> None:
    store.upsert([deal("old", 20), deal("new", 2)], CONFIG)
    store.sweep_retention(CONFIG, NOW + timedelta(days=15))
    assert store.sweep_retention(CONFIG, NOW + timedelta(days=15)).records == 0


def test_re006_the_daily_sweep_runs_once_a_day(store: Store) -> None:
    store.upsert([deal("old", 20), deal("new", 2)], CONFIG)
    later = NOW + timedelta(days=15)
    assert store.sweep_retention_if_due(CONFIG, later).records == 1
    assert store.sweep_retention_if_due(CONFIG, later + timedelta(hours=5)) is None


def test_re007_the_daily_sweep_runs_again_the_next_day(store: Store) -> None:
    store.upsert([deal("older", 22), deal("old", 20)], CONFIG)
    store.sweep_retention_if_due(CONFIG, NOW + timedelta(days=9))
    assert store.record("crm", "old") is not None
    assert store.sweep_retention_if_due(CONFIG, NOW + timedelta(days=11)).records == 1
    assert store.record("crm", "old") is None


def test_re008_the_daily_sweep_waits_while_another_process_runs_it(redis_client) -> None:  # noqa: ANN001
    store = RedisStore(redis_client)
    store.upsert([deal("old", 20)], CONFIG)
    redis_client.set(store.keys.retention_sweeping, "1", ex=60)
    assert store.sweep_retention_if_due(CONFIG, NOW + timedelta(days=15)) is None
    assert store.record("crm", "old") is not None
    redis_client.delete(store.keys.retention_sweeping)
    assert store.sweep_retention_if_due(CONFIG, NOW + timedelta(days=15)).records == 1


def test_re009_the_game_round_sweeps_beyond_the_retention(store: Store) -> None:
    store.upsert([deal("old", 20), deal("new", 2)], CONFIG)
    played = game_round(store, CONFIG, NOW + timedelta(days=15))
    assert played.swept is not None and played.swept.records == 1
    assert game_round(store, CONFIG, NOW + timedelta(days=15, minutes=1)).swept is None
