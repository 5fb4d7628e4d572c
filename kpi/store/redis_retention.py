"""The retention sweep on Redis: release records older than the retention, delete day figures that old.

Records are released by removing their field from their bucket (a record changed since it was read is
left alone: the field is removed only if it still holds the value read). Day figures are the day boards
of every configured metric and the day's rule tallies; week, month, quarter and year boards stay. The last
day swept is remembered, so a daily sweep deletes one day of boards.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, get_args

from kpi.model.contributions import SCOPES
from kpi.model.events import Event
from kpi.model.metrics import MetricCatalog
from kpi.model.periods import local_day
from kpi.model.scoring import POINTS_METRIC, POINTS_TEST_METRIC
from kpi.store.base import Swept, oldest_kept_day
from kpi.store.keys import BoardCounter
from kpi.store.record_codec import PackedRecord, contribution_day, decode_event

if TYPE_CHECKING:
    from kpi.store.redis_store import RedisStore

FIRST_SWEEP_DAYS = 3 * 366
"""How far before the retention a first sweep looks for day figures."""
SWEEPING_SECONDS = 3600
"""How long a process may hold the daily sweep before another may take it over (it crashed)."""

_FORGET = """
local gone = 0
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    gone = gone + redis.call('HDEL', KEYS[1], ARGV[i])
  end
end
return gone
"""
"""Remove the fields ARGV[1], ARGV[3], … of the bucket KEYS[1] if they still hold ARGV[2], ARGV[4], …"""


def record_day(stored: PackedRecord, catalog: MetricCatalog) -> date:
    """The office-local day of a stored record: its contribution's day, else its event's."""
    if stored.contribution:
        return contribution_day(stored.contribution)
    event: Event = decode_event("x", "x", stored.event)
    return local_day(event.occurred_at, catalog.zone)


def day_metrics(catalog: MetricCatalog) -> list[str]:
    """Every metric with day boards: the configured ones and the points."""
    named = {metric.name for metrics in catalog.metrics_by_type.values() for metric in metrics}
    return sorted(named | {POINTS_METRIC, POINTS_TEST_METRIC})


def sweep(store: RedisStore, catalog: MetricCatalog, now: datetime) -> Swept:
    """Release the records and delete the day figures older than the retention (see the module)."""
    first_kept = oldest_kept_day(catalog, now)
    forget = store.client.register_script(_FORGET)
    released = 0
    for keys in store.record_buckets():
        old: dict[str, list[str]] = {}
        raw = store.client.pipeline(transaction=False)
        for key in keys:
            raw.hgetall(key)
        for key, records in zip(keys, raw.execute()):
            for record_id, value in records.items():
                if record_day(store.parse_record(value), catalog) < first_kept:
                    old.setdefault(key, []).extend((record_id, value))
        for key, pairs in old.items():
            released += int(forget(keys=[key], args=pairs))
            source = key[len(store.keys.record_prefix) :].rpartition(":")[0]
            store.client.unlink(*(store.keys.dependents(source, rid) for rid in pairs[::2]))
    return Swept(released, _drop_days(store, day_metrics(catalog), first_kept))


def sweep_if_due(store: RedisStore, catalog: MetricCatalog, now: datetime) -> Swept | None:
    """`sweep` when the last one kept an earlier first day than today's, by one process at a time."""
    if (store.client.get(store.keys.retention_swept) or "") >= oldest_kept_day(catalog, now).isoformat():
        return None
    if not store.client.set(store.keys.retention_sweeping, "1", nx=True, ex=SWEEPING_SECONDS):
        return None
    try:
        return sweep(store, catalog, now)
    finally:
        store.client.delete(store.keys.retention_sweeping)


def _drop_days(store: RedisStore, metrics: list[str], first_kept: date) -> int:
    """Delete every day figure from the last sweep (or `FIRST_SWEEP_DAYS` back) up to `first_kept`."""
    marker = store.keys.retention_swept
    last = store.client.get(marker)
    day = date.fromisoformat(last) if last else first_kept - timedelta(days=FIRST_SWEEP_DAYS)
    days = 0
    while day < first_kept:
        bucket = day.isoformat()
        names = [store.keys.rule_tally(bucket)] + [
            store.keys.board(metric, bucket, scope, counter)
            for metric in metrics
            for scope in SCOPES
            for counter in get_args(BoardCounter)
        ]
        store.client.unlink(*names)
        day, days = day + timedelta(days=1), days + 1
    if days:
        store.client.set(marker, first_kept.isoformat())
    return days
