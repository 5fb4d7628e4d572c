"""An in-process store with the same behaviour as the Redis store, for the demo and single-process runs."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import astuple, dataclass, field, replace
from datetime import date, datetime, timezone
from typing import Collection, Iterator, Mapping, Sequence

from kpi.model.agents import Agent
from kpi.model.columns import Columns
from kpi.model.contributions import (
    Cell,
    Contribution,
    Figures,
    Outcome,
    Scope,
    ahead_counts,
    contribution_of,
    rank_score,
)
from kpi.model.events import Event
from kpi.model.metrics import Aggregation, MetricCatalog
from kpi.model.periods import local_day
from kpi.store.base import (
    AGENTS_PART,
    PAST,
    Progress,
    Rescored,
    StoredRecord,
    Swept,
    oldest_kept_day,
    released,
)
from kpi.store.team_resolver import TeamResolver

BoardKey = tuple[str, str, Scope]
RecordKey = tuple[str, str]
_Swap = tuple[Contribution | None, ...]


@dataclass
class _Record:
    stored: StoredRecord
    contribution: Contribution | None
    """The record's own contribution, its team resolved."""
    applied: Contribution | None = None
    """Its link parts as applied under the linked record's head (see upsert.lua)."""


def _head(contribution: Contribution | None) -> tuple[object, ...] | None:
    """What records linking to this one take from it: the agent, team and buckets, and whether it counts."""
    if contribution is None:
        return None
    return (contribution.agent, contribution.team, contribution.buckets, contribution.linkable)


@dataclass
class _Board:
    aggregation: Aggregation = "count"
    figures: dict[str, Figures] = field(default_factory=dict)


def _compare(version: str, digest: str, stored: StoredRecord) -> Outcome | None:
    """STALE or UNCHANGED when the incoming version must not be applied, else None (as upsert.lua)."""
    if version < stored.version:
        return Outcome.STALE
    if digest == stored.content_hash:
        return Outcome.UNCHANGED
    if version == stored.version and digest < stored.content_hash:
        return Outcome.STALE
    return None


def _moved_metrics(old: _Swap, new: _Swap, today: str) -> set[str]:
    """The metrics whose boards a swap of contributions moves, and the `PAST` part of those moved by a
    contribution of a day before `today` ('' counts every day as past) (as ``bumped`` in upsert.lua)."""
    before = Counter((cell, c.day) for c in old if c is not None for cell in c.cells())
    after = Counter((cell, c.day) for c in new if c is not None for cell in c.cells())
    moved = (before - after) + (after - before)
    past = {cell.metric + PAST for cell, day in moved if not today or day < today}
    return {cell.metric for cell, _ in moved} | past


def _target(source: str, contribution: Contribution | None) -> RecordKey | None:
    link = contribution.link if contribution else None
    return (source, link.target) if link else None


def _day_of(record: _Record, config: MetricCatalog) -> str:
    """A record's office-local day (ISO), as the Redis sweep finds it."""
    if record.contribution is not None:
        return record.contribution.day
    event = Event.model_validate_json(record.stored.event_json)
    return local_day(event.occurred_at, config.zone).isoformat()


def _is_day(bucket: str) -> bool:
    return len(bucket) == 10


class MemoryStore:
    """Dictionaries behind one lock; lost when the process ends."""

    kind = "memory"

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._records: dict[tuple[str, str], _Record] = {}
        self._boards: dict[BoardKey, _Board] = defaultdict(_Board)
        self._resolver = TeamResolver({})
        self._dependents: dict[RecordKey, set[RecordKey]] = defaultdict(set)
        self._tallies: dict[str, dict[tuple[str, str], Figures]] = defaultdict(dict)
        self._version = 0
        self._versions: dict[str, int] = defaultdict(int)
        self._moved: set[str] = set()
        """Parts whose data moved since the last version bump (as ``bumped`` in upsert.lua)."""
        self._today = ""  # the office-local day of the write under way ('' in a rescore: all days past)
        self._swept_from = ""  # the first day kept by the last retention sweep

    def upsert(
        self, events: Sequence[Event], config: MetricCatalog, *, today: date | None = None
    ) -> list[Outcome]:
        now = datetime.now(timezone.utc)
        with self._lock:
            self._today = (today or local_day(now, config.zone)).isoformat()
            return [
                Outcome.RELEASED if released(event, config, now) else self._upsert_one(event, config)
                for event in events
            ]

    def _upsert_one(self, event: Event, config: MetricCatalog) -> Outcome:
        old = self._records.get(event.key)
        version, digest = event.version, event.content_hash
        if old is not None:
            verdict = _compare(version, digest, old.stored)
            if verdict is Outcome.UNCHANGED and version > old.stored.version:
                old.stored = replace(old.stored, version=version)
            if verdict is not None:
                return verdict
        was_live = old is not None and not old.stored.deleted
        new = None if event.deleted else contribution_of(event, config, self._resolver.team_for(event))
        self._replace(event.key, old, StoredRecord(version, digest, event.deleted, event.to_json()), new)
        if event.deleted:
            if was_live:
                self._bump()
                return Outcome.RETRACTED
            return Outcome.UNCHANGED
        if self._resolver.observe(event):
            self._moved.add(AGENTS_PART)
        self._bump()
        return Outcome.UPDATED if was_live else Outcome.NEW

    def _bump(self) -> None:
        """Move the data version, and the version of each part that moved since the last bump."""
        self._version += 1
        for part in self._moved:
            self._versions[part] += 1
        self._moved.clear()

    def _replace(
        self, key: RecordKey, old: _Record | None, stored: StoredRecord, new: Contribution | None
    ) -> _Record:
        """Swap a record's contributions (its own and its link's), then re-apply records linking to it."""
        applied = self._linked(key[0], new)
        self._moved |= _moved_metrics(
            (old and old.contribution, old and old.applied), (new, applied), self._today
        )
        for contribution, sign in ((old and old.contribution, -1), (old and old.applied, -1)):
            if contribution is not None:
                self._apply(contribution, sign)
        for contribution in (new, applied):
            if contribution is not None:
                self._apply(contribution, +1)
        old_target, new_target = _target(key[0], old and old.contribution), _target(key[0], new)
        if old_target is not None and old_target != new_target:
            self._dependents[old_target].discard(key)
        if new_target is not None:
            self._dependents[new_target].add(key)
        record = _Record(stored, new, applied)
        self._records[key] = record
        if _head(old and old.contribution) != _head(new):
            self._refresh_dependents(key)
        return record

    def _linked(self, source: str, contribution: Contribution | None) -> Contribution | None:
        """A record's link parts under its target's head, or None while the target is absent or unlinkable."""
        link = contribution.link if contribution else None
        target = self._records.get((source, link.target)) if link else None
        head = target.contribution if target else None
        if link is None or head is None or not head.linkable:
            return None
        return Contribution(head.agent, head.team, head.buckets, link.parts, tallies=link.tallies)

    def _refresh_dependents(self, key: RecordKey) -> None:
        for dependent in sorted(self._dependents.get(key, ())):
            record = self._records[dependent]
            now = self._linked(dependent[0], record.contribution)
            if now != record.applied:
                self._moved |= _moved_metrics((record.applied,), (now,), self._today)
                if record.applied is not None:
                    self._apply(record.applied, -1)
                if now is not None:
                    self._apply(now, +1)
                record.applied = now

    def rescore(
        self, config: MetricCatalog, *, since: datetime | None = None, progress: Progress | None = None
    ) -> Rescored:
        with self._lock:
            keys, self._today = list(self._records), ""
            records = changed = 0
            for done, key in enumerate(keys, 1):
                old = self._records[key]
                event = Event.model_validate_json(old.stored.event_json)
                if not old.stored.deleted and (since is None or event.occurred_at >= since):
                    records += 1
                    new = contribution_of(event, config, self._rescore_team(event, old))
                    if new != old.contribution or self._linked(key[0], new) != old.applied:
                        self._replace(key, old, old.stored, new)
                        changed += 1
                if progress is not None:
                    progress(done, len(keys))
            if changed:
                self._bump()
            return Rescored(records, changed)

    def _apply(self, contribution: Contribution, sign: int) -> None:
        for cell in contribution.cells():
            self._apply_cell(cell, sign)
        day = self._tallies[contribution.day]
        for tally in contribution.tallies:
            key = (contribution.team or "", tally.name)
            now = day.get(key, Figures()) + Figures(sign, sign * tally.total)
            if now.count <= 0:
                day.pop(key, None)
            else:
                day[key] = now

    def _apply_cell(self, cell: Cell, sign: int) -> None:
        board = self._boards[(cell.metric, cell.bucket, cell.scope)]
        board.aggregation = cell.aggregation
        delta = cell.figures
        current = board.figures.get(cell.member, Figures())
        updated = current + Figures(*(sign * n for n in astuple(delta)))
        if updated.count <= 0:
            board.figures.pop(cell.member, None)
        else:
            board.figures[cell.member] = updated

    def _rescore_team(self, event: Event, old: _Record) -> str | None:
        """The team first credited stays (as in upsert.lua): a rescore changes rules, not history."""
        if event.team or old.contribution is None:
            return self._resolver.team_for(event)
        return old.contribution.team

    def sweep_retention(self, config: MetricCatalog, now: datetime) -> Swept:
        first_kept = oldest_kept_day(config, now).isoformat()
        with self._lock:
            old = [key for key, r in self._records.items() if _day_of(r, config) < first_kept]
            for key in old:
                del self._records[key]
                self._dependents.pop(key, None)
            days = {b[1] for b in self._boards if _is_day(b[1]) and b[1] < first_kept} | {
                day for day in self._tallies if day < first_kept
            }
            for board in [b for b in self._boards if b[1] in days]:
                del self._boards[board]
            for day in days:
                self._tallies.pop(day, None)
            self._swept_from = max(self._swept_from, first_kept)
        return Swept(len(old), len(days))

    def sweep_retention_if_due(self, config: MetricCatalog, now: datetime) -> Swept | None:
        with self._lock:
            if self._swept_from >= oldest_kept_day(config, now).isoformat():
                return None
            return self.sweep_retention(config, now)

    def data_version(self) -> int:
        return self._version

    def versions(self, parts: Sequence[str]) -> dict[str, int]:
        with self._lock:
            return {part: self._versions.get(part, 0) for part in parts}

    def touch(self, part: str | None = None) -> None:
        """Move the data version (and `part`'s) without a figure changing (who may be shown changed)."""
        with self._lock:
            if part is not None:
                self._moved.add(part)
            self._bump()

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
        with self._lock:
            board = self._boards.get((metric, bucket, scope))
            if board is None:
                return []
            scored = [(member, rank_score(figs, board.aggregation)) for member, figs in board.figures.items()]
        # Redis orders equal scores by member, descending when the order is descending.
        scored.sort(key=lambda pair: (pair[1], pair[0]), reverse=not ascending)
        return scored[start : start + count]

    def figures(
        self,
        metric: str,
        bucket: str,
        scope: Scope,
        members: Sequence[str] | None = None,
        *,
        aggregation: Aggregation | None = None,
    ) -> dict[str, Figures]:
        with self._lock:
            board = self._boards.get((metric, bucket, scope))
            found = dict(board.figures) if board else {}
        if members is None:
            return found
        return {m: found[m] for m in members if m in found}

    def figures_by_bucket(
        self,
        metric: str,
        buckets: Sequence[str],
        scope: Scope,
        members: Sequence[str] | None = None,
        *,
        aggregation: Aggregation | None = None,
    ) -> dict[str, dict[str, Figures]]:
        return {bucket: self.figures(metric, bucket, scope, members) for bucket in buckets}

    def figures_by_metric(
        self,
        metrics: Mapping[str, Aggregation | None],
        buckets: Sequence[str],
        scope: Scope,
        members: Sequence[str] | None = None,
    ) -> dict[str, dict[str, dict[str, Figures]]]:
        return {metric: self.figures_by_bucket(metric, buckets, scope, members) for metric in metrics}

    def figures_summed(
        self, metric: str, buckets: Sequence[str], scope: Scope, *, aggregation: Aggregation
    ) -> dict[str, Figures]:
        summed: dict[str, Figures] = {}
        for bucket in buckets:
            for member, figures in self.figures(metric, bucket, scope).items():
                summed[member] = summed.get(member, Figures()) + figures
        return summed

    def figure_columns(
        self,
        metric: str,
        buckets: Sequence[str],
        scope: Scope,
        *,
        aggregation: Aggregation,
        by_redis: bool = False,
    ) -> Columns:
        return Columns.of(self.figures_summed(metric, buckets, scope, aggregation=aggregation))

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
        figures = self.figures(metric, bucket, scope)
        known = self.agents(list(figures)) if team is not None else {}

        def takes_place(member: str, found: Figures) -> bool:
            in_team = team is None or (member in known and known[member].team == team)
            return found.count >= min_volume and member not in exclude and in_team

        return ahead_counts(
            figures, scores, aggregation=aggregation, lower_is_better=lower_is_better, takes_place=takes_place
        )

    def rule_tallies(self, days: Sequence[str]) -> dict[tuple[str, str], Figures]:
        summed: dict[tuple[str, str], Figures] = {}
        with self._lock:
            for day in days:
                for key, figures in self._tallies.get(day, {}).items():
                    summed[key] = summed.get(key, Figures()) + figures
        return summed

    def agents(self, ids: Sequence[str] | None = None) -> dict[str, Agent]:
        with self._lock:
            known = self._resolver.known()
        if ids is None:
            return known
        return {i: known[i] for i in ids if i in known}

    def live_events(self) -> Iterator[Event]:
        with self._lock:
            stored = [r.stored for r in self._records.values() if not r.stored.deleted]
        return (Event.model_validate_json(s.event_json) for s in stored)

    def record(self, source: str, record_id: str) -> StoredRecord | None:
        found = self._records.get((source, record_id))
        return found.stored if found else None

    def ping(self) -> bool:
        return True
