"""The Redis store: the only module that knows Wallboard's Redis key names.

Every key of a namespace carries the hash tag ``{namespace}``, so each upsert (one Lua function call that
touches the record, its boards, the agents hash and the version counter) stays inside one Redis
Cluster hash slot. One namespace is one company's floor; a cluster spreads namespaces, not boards.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Collection, Iterator, Mapping, Sequence

import redis
from redis.exceptions import ClusterDownError, RedisClusterException

from kpi.model.agents import Agent
from kpi.model.columns import Columns
from kpi.model.contributions import SCALE, Contribution, Figures, Outcome, Scope, contribution_of
from kpi.model.events import Event
from kpi.model.metrics import Aggregation, MetricCatalog
from kpi.model.periods import local_day
from kpi.store import redis_migrate, redis_rescore, redis_retention
from kpi.store.base import (
    Progress,
    Rescored,
    StoredRecord,
    StoreUnavailable,
    Swept,
    released,
)
from kpi.store.clients import Client, on_node_of
from kpi.store.keys import Keys
from kpi.store.record_codec import PackedRecord, encode_event, pack_hash
from kpi.store.record_names import RecordNames
from kpi.store.redis_ahead import RANKED_BY, AheadReader
from kpi.store.redis_figures import COUNTERS, BoardRead, all_columns, figures_from, read_columns
from kpi.store.redis_tallies import read_tallies
from kpi.store.script_args import ScriptArgs
from kpi.store.upsert_library import UpsertFunctions

CHUNK = 500
"""Events per batch call: enough to amortise round trips, few enough not to stall readers."""

REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError, ClusterDownError, RedisClusterException)
"""What redis-py raises when the server, or no node of a cluster, can be reached (after its own retries).
`RedisClusterException` also covers a slot without a node ("cannot be connected", a slot not covered)."""


def call_redis(func, *args, **kwargs):  # noqa: ANN001, ANN201 - a thin wrapper over redis-py calls
    """Call redis-py, turning "Redis is down" into `StoreUnavailable`."""
    try:
        return func(*args, **kwargs)
    except REDIS_DOWN as exc:
        raise StoreUnavailable(f"Redis is unreachable: {exc}") from exc


class RedisStore:
    """Live figures in Redis, written by one Lua function call per record version (or batch of them)."""

    kind = "redis"

    def __init__(self, client: Client, namespace: str = "main") -> None:
        self.client = client
        self.namespace = namespace
        self.keys = Keys(namespace)
        self.functions = UpsertFunctions(client, self.keys.data_version)
        self._ahead = AheadReader(client, self.keys)
        self.script_args = ScriptArgs.of(self.keys)
        self.names = RecordNames(client, self.keys.names)

    def upsert(
        self, events: Sequence[Event], config: MetricCatalog, *, today: date | None = None
    ) -> list[Outcome]:
        outcomes: list[Outcome] = []
        day = (today or local_day(datetime.now(timezone.utc), config.zone)).isoformat()
        try:
            for start in range(0, len(events), CHUNK):
                outcomes.extend(self._upsert_chunk(events[start : start + CHUNK], config, day))
        except REDIS_DOWN as exc:
            raise StoreUnavailable(f"Redis is unreachable: {exc}") from exc
        return outcomes

    def _upsert_chunk(self, events: Sequence[Event], config: MetricCatalog, today: str) -> list[Outcome]:
        """`upsert` of at most `CHUNK` events; `today` the writer's office-local day (ISO)."""
        now = datetime.now(timezone.utc)
        gone = [released(event, config, now) for event in events]
        kept = [event for event, old in zip(events, gone) if not old]

        calls = [self.script_input(e, contribution_of(e, config, e.team), today=today) for e in kept]
        if len(calls) == 1:
            applied = iter([self.functions.single(*calls[0])])
        else:
            applied = iter(self.run_batch(calls))
        return [Outcome.RELEASED if old else Outcome(next(applied)) for old in gone]

    def script_input(
        self,
        event: Event,
        contribution: Contribution | None,
        *,
        rescore_of: str | None = None,
        today: str = "",
    ) -> tuple[list[str], list[str]]:
        """upsert.lua's keys and arguments for `event`.

        Args:
            rescore_of: for a rescore, the content hash the record was read with: the script re-derives
                it in place, and skips it if a correction changed it since. A rescore keeps the stored
                version, event and agent, so the arguments for those are left empty.
            today: the office-local day (ISO); a figure of a day before it also moves its metric's
                ``@past`` version ('' counts every day as past).
        """
        if rescore_of is None:
            return self.script_args.upsert(event, contribution, today)
        encoded = encode_event(event, in_head=contribution is not None and not event.deleted)
        return self.script_args.rescore(event, contribution, pack_hash(rescore_of), encoded)

    def run_batch(self, calls: Sequence[tuple[list[str], list[str]]]) -> list[str]:
        """Run upsert.lua once per call, all in one script run (atomic, one round trip); their outcomes.

        Keys and arguments that every call shares are sent once (see upsert_batch.lua).
        """
        if not calls:
            return []
        first_keys, first_args = calls[0]
        keys_varying = [i for i, key in enumerate(first_keys) if any(c[0][i] != key for c in calls)]
        args_varying = [i for i, arg in enumerate(first_args) if any(c[1][i] != arg for c in calls)]
        head = [str(len(calls)), str(len(first_keys)), str(len(first_args))]
        head += [",".join(str(i + 1) for i in keys_varying), ",".join(str(i + 1) for i in args_varying)]
        keys = [*first_keys, *(c[0][i] for c in calls for i in keys_varying)]
        args = [*head, *first_args, *(c[1][i] for c in calls for i in args_varying)]
        return self.functions.batch(keys, args)

    def read_buckets(self, keys: Sequence[str]) -> list[tuple[str, str, PackedRecord]]:
        """Every record in the record buckets `keys`, in one round trip: (source, id, stored value)."""
        pipe = self.client.pipeline(transaction=False)
        for key in keys:
            pipe.hgetall(key)
        found = []
        for key, records in zip(keys, pipe.execute() if keys else []):
            source = key[len(self.keys.record_prefix) :].rpartition(":")[0]
            found.extend((source, record_id, self.parse_record(v)) for record_id, v in records.items())
        return found

    def parse_record(self, value: str) -> PackedRecord:
        """A stored value, its event as `encode_event` wrote it (ids read from the names hash)."""
        return PackedRecord.parse(value, self.names)

    def record_count(self) -> int:
        """How many records (live or retracted) the namespace holds."""
        lengths = self.client.pipeline(transaction=False)
        for keys in self.record_buckets(per_chunk=1000):
            for key in keys:
                lengths.hlen(key)
        return sum(lengths.execute()) if len(lengths) else 0

    def record_buckets(self, per_chunk: int = 64) -> Iterator[list[str]]:
        """The keys of every record bucket of the namespace, `per_chunk` at a time (a scan)."""
        batch: list[str] = []
        node = on_node_of(self.client, self.keys.data_version)
        for key in self.client.scan_iter(match=f"{self.keys.record_prefix}*", count=1000, **node):
            batch.append(key)
            if len(batch) == per_chunk:
                yield batch
                batch = []
        if batch:
            yield batch

    def rescore(
        self, config: MetricCatalog, *, since: datetime | None = None, progress: Progress | None = None
    ) -> Rescored:
        try:
            return redis_rescore.rescore(self, config, since, progress)
        except REDIS_DOWN as exc:
            raise StoreUnavailable(f"Redis is unreachable: {exc}") from exc

    def migrate_records(self) -> int:
        """Move records of the old layout into buckets (`redis_migrate`); how many were moved."""
        return call_redis(redis_migrate.migrate, self)

    def sweep_retention(self, config: MetricCatalog, now: datetime) -> Swept:
        return call_redis(redis_retention.sweep, self, config, now)

    def sweep_retention_if_due(self, config: MetricCatalog, now: datetime) -> Swept | None:
        return call_redis(redis_retention.sweep_if_due, self, config, now)

    def data_version(self) -> int:
        return int(call_redis(self.client.get, self.keys.data_version) or 0)

    def versions(self, parts: Sequence[str]) -> dict[str, int]:
        if not parts:
            return {}
        found = call_redis(self.client.hmget, self.keys.versions, list(parts))
        return {part: int(value or 0) for part, value in zip(parts, found)}

    def ranked(
        self,
        metric: str,
        bucket: str,
        scope: Scope,
        *,
        ascending: bool,
        start: int,
        count: int,
        aggregation: Aggregation | None = None,
    ) -> list[tuple[str, float]]:
        if aggregation is None:
            return self._ranked_any(metric, bucket, scope, ascending=ascending, start=start, count=count)
        counter, scale = RANKED_BY[aggregation]
        rows = call_redis(
            self.client.zrange,
            self.keys.board(metric, bucket, scope, counter),
            start,
            start + count - 1,
            desc=not ascending,
            withscores=True,
        )
        return [(member, float(score) / scale) for member, score in rows]

    def _ranked_any(
        self, metric: str, bucket: str, scope: Scope, *, ascending: bool, start: int, count: int
    ) -> list[tuple[str, float]]:
        """`ranked` of a board of unknown aggregation: its ranking set, else its sums, else its counts."""
        pipe = self.client.pipeline(transaction=False)
        for counter in ("r", "s", "n"):
            pipe.zrange(
                self.keys.board(metric, bucket, scope, counter),
                start,
                start + count - 1,
                desc=not ascending,
                withscores=True,
            )
        for counter, rows in zip("rsn", call_redis(pipe.execute)):
            if rows:
                scale = SCALE if counter == "s" else 1
                return [(member, float(score) / scale) for member, score in rows]
        return []

    def figures(
        self,
        metric: str,
        bucket: str,
        scope: Scope,
        members: Sequence[str] | None = None,
        *,
        aggregation: Aggregation | None = None,
    ) -> dict[str, Figures]:
        return self.figures_by_bucket(metric, [bucket], scope, members, aggregation=aggregation)[bucket]

    def figures_by_bucket(
        self,
        metric: str,
        buckets: Sequence[str],
        scope: Scope,
        members: Sequence[str] | None = None,
        *,
        aggregation: Aggregation | None = None,
    ) -> dict[str, dict[str, Figures]]:
        return self.figures_by_metric({metric: aggregation}, buckets, scope, members)[metric]

    def figures_by_metric(
        self,
        metrics: Mapping[str, Aggregation | None],
        buckets: Sequence[str],
        scope: Scope,
        members: Sequence[str] | None = None,
    ) -> dict[str, dict[str, dict[str, Figures]]]:
        if members is not None and not members:
            return {metric: {bucket: {} for bucket in buckets} for metric in metrics}
        reads = [
            BoardRead(self.keys, m, scope, buckets, members, aggregation)
            for m, aggregation in metrics.items()
        ]
        pipe = self.client.pipeline(transaction=False)
        for read in reads:
            read.queue(pipe)
        replies = iter(call_redis(pipe.execute))
        return {read.metric: read.parse(replies) for read in reads}

    def figures_summed(
        self, metric: str, buckets: Sequence[str], scope: Scope, *, aggregation: Aggregation
    ) -> dict[str, Figures]:
        """Every member's counters summed over many buckets by Redis itself (ZUNION), in one round trip."""
        if not buckets:
            return {}
        fields = COUNTERS[aggregation]
        pipe = self.client.pipeline(transaction=False)
        for name in fields:
            pipe.zunion([self.keys.board(metric, bucket, scope, name) for bucket in buckets], withscores=True)
        return dict(figures_from(all_columns(fields, call_redis(pipe.execute), []), None))

    def figure_columns(
        self,
        metric: str,
        buckets: Sequence[str],
        scope: Scope,
        *,
        aggregation: Aggregation,
        by_redis: bool = False,
    ) -> Columns:
        """`figures_summed` as columns: cheaper than `Figures` for thousands of members."""
        if not buckets:
            return Columns()
        pipe = self.client.pipeline(transaction=False)
        return call_redis(read_columns, pipe, self.keys, metric, buckets, scope, aggregation, by_redis)

    def ahead_of(
        self,
        metric: str,
        bucket: str,
        scope: Scope,
        scores: Sequence[float],
        *,
        aggregation: Aggregation,
        lower_is_better: bool,
        min_volume: int = 0,
        exclude: Collection[str] = (),
        team: str | None = None,
    ) -> list[int]:
        return call_redis(
            self._ahead.ahead_of,
            metric,
            bucket,
            scope,
            scores,
            aggregation=aggregation,
            lower_is_better=lower_is_better,
            min_volume=min_volume,
            exclude=exclude,
            team=team,
        )

    def rule_tallies(self, days: Sequence[str]) -> dict[tuple[str, str], Figures]:
        return call_redis(read_tallies, self.client, self.keys, days)

    def agents(self, ids: Sequence[str] | None = None) -> dict[str, Agent]:
        key = self.keys.agents
        if ids is None:
            raw = call_redis(self.client.hgetall, key)
        elif not ids:
            return {}
        else:
            raw = dict(zip(ids, call_redis(self.client.hmget, key, list(ids))))
        return {agent_id: _agent_from(agent_id, value) for agent_id, value in raw.items() if value}

    def live_events(self) -> Iterator[Event]:
        try:
            for keys in self.record_buckets():
                for source, record_id, stored in self.read_buckets(keys):
                    if not stored.deleted:
                        yield stored.event_of(source, record_id, self.names)
        except REDIS_DOWN as exc:
            raise StoreUnavailable(f"Redis is unreachable: {exc}") from exc

    def record(self, source: str, record_id: str) -> StoredRecord | None:
        value = call_redis(self.client.hget, self.keys.record(source, record_id), record_id)
        if value is None:
            return None
        stored = self.parse_record(value)
        event = stored.event_of(source, record_id, self.names)
        return StoredRecord(stored.version, event.content_hash, stored.deleted, event.to_json())

    def ping(self) -> bool:
        try:
            return bool(self.client.ping(**on_node_of(self.client, self.keys.data_version)))
        except REDIS_DOWN:
            return False

    def memory_bytes(self) -> int:
        """Redis's own figure for the memory it uses (for benchmarks)."""
        node = on_node_of(self.client, self.keys.data_version)
        return int(call_redis(self.client.info, "memory", **node)["used_memory"])


def _agent_from(agent_id: str, value: str) -> Agent:
    seen, name, team = (value.split("\t") + ["", ""])[:3]
    return Agent(agent_id, name or agent_id, team or None, seen)
