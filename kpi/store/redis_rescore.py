"""``rescore`` on Redis: re-derive every stored record's contribution with today's rules, fast.

One chunk of records at a time: one read of a few record buckets, the contributions computed in Python,
and one run of the upsert library's batch function *per chunk* (upsert_batch.lua runs upsert.lua's one
call per record, so the rules of an upsert stay in one place). Records whose contribution, link and
linkability would not change are not sent at all; they are compared, and sent, in the stored (short) form
of a contribution (`kpi.store.rescore_forms`), with the lines that move, so the script neither expands nor
packs one. While Redis applies one read's chunks, Python computes the next read's (a writer thread).

Each record is sent with the content hash it was read with; the script skips it ('stale') when a
correction changed the record in between, so a rescore never overwrites a newer version.
"""

from __future__ import annotations

import gc
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Iterator, Sequence

from kpi.model.contributions import ContributionCache
from kpi.model.events import Event
from kpi.model.metrics import MetricCatalog
from kpi.store.base import Progress, Rescored
from kpi.store.record_codec import PackedRecord, encode_event
from kpi.store.rescore_forms import ShortForms

if TYPE_CHECKING:
    from kpi.store.redis_store import RedisStore

CHUNK = 500
"""Records per script run: a run stays under about a tenth of a second."""
ROWS_PER_READ = 8000
"""Records read in one round trip (whole buckets), then sorted by time: the records of a chunk share days,
so its board cells are few (each is read and written once per chunk)."""


@dataclass(frozen=True)
class _Row:
    """A stored record as read: its event and what its stored version contributes now."""

    event: Event
    packed_hash: str
    contribution: str
    link_key: str
    link_lines: str
    linkable: str


def rescore(
    store: RedisStore, config: MetricCatalog, since: datetime | None, progress: Progress | None
) -> Rescored:
    """See `kpi.store.base.Store.rescore`.

    Redis applies one read's chunks (a writer thread) while Python reads and computes the next read's:
    the next read is asked for right after the chunks are queued, on another connection, so Redis answers
    it between two chunks instead of after all of them.
    """
    with _no_cycle_collection():
        return _rescore(store, config, since, progress)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused: a rescore makes millions of short-lived objects without cycles
    (reference counting frees them), and every full collection would walk all the process holds — about
    a third of the rescore's Python time when measured."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _rescore(
    store: RedisStore, config: MetricCatalog, since: datetime | None, progress: Progress | None
) -> Rescored:
    groups, total = _read_groups(store)
    done = records = changed = 0
    queued: list[Future[int]] = []
    cache, forms = ContributionCache(config), _forms(store)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rescore-writer") as writer:
        for read, rows in _reads(store, groups, forms):
            rows = [row for row in rows if since is None or row.event.occurred_at >= since]
            rows.sort(key=lambda row: row.event.occurred_at)
            calls = [call for row in rows if (call := _call_if_changed(store, row, cache, forms)) is not None]
            changed += sum(future.result() for future in queued)
            queued = [writer.submit(_write, store, calls[i : i + CHUNK]) for i in range(0, len(calls), CHUNK)]
            done, records = done + read, records + len(rows)
            if progress is not None:
                progress(done, max(total, done))
        changed += sum(future.result() for future in queued)
    if progress is not None:
        progress(done, max(total, done))
    return Rescored(records, changed)


def _read_groups(store: RedisStore) -> tuple[list[list[str]], int]:
    """The record bucket keys in groups of about `ROWS_PER_READ` records, and how many records there are."""
    keys = [key for batch in store.record_buckets(per_chunk=1000) for key in batch]
    pipe = store.client.pipeline(transaction=False)
    for key in keys:
        pipe.hlen(key)
    lengths = pipe.execute() if keys else []
    groups: list[list[str]] = [[]]
    size = 0
    for key, length in zip(keys, lengths):
        if size >= ROWS_PER_READ:
            groups.append([])
            size = 0
        groups[-1].append(key)
        size += length
    return [group for group in groups if group], sum(lengths)


def _reads(store: RedisStore, groups: list[list[str]], forms: ShortForms) -> Iterator[tuple[int, list[_Row]]]:
    """The live records of each group of buckets (one round trip each), with how many records it read."""
    for keys in groups:
        found = store.read_buckets(keys)
        yield (
            len(found),
            [
                _row_of(source, record_id, stored, forms)
                for source, record_id, stored in found
                if not stored.deleted
            ],
        )


def _row_of(source: str, record_id: str, stored: PackedRecord, forms: ShortForms) -> _Row:
    head = forms.full_head(stored.contribution) if stored.contribution else ""
    return _Row(
        stored.decoded(source, record_id, head),
        stored.packed_hash,
        stored.contribution,
        stored.link_ref,
        stored.link_lines,
        stored.linkable,
    )


def _forms(store: RedisStore) -> ShortForms:
    def ids_of(names: Sequence[str]) -> list[str]:
        return list(store.run_batch([store.script_args.name_ids(list(names))])[0])

    return ShortForms(lambda: store.client.hgetall(store.keys.names), ids_of)


def _call_if_changed(
    store: RedisStore, row: _Row, contributions: ContributionCache, forms: ShortForms
) -> tuple[list[str], list[str]] | None:
    """The script's keys and arguments for `row`, or None when the rules leave its figures as they are.

    Mirrors the script's own test (contribution, link and linkability unchanged), on the contributions'
    stored forms; a team still to be resolved by the script is sent in full (no team was credited yet).
    The event is sent only when the record gets a contribution or loses it (its agent and team are then
    written another way); else the script keeps the stored one.
    """
    event = row.event
    contribution = contributions.of(event, event.team)
    if (contribution is not None) == (row.contribution != ""):
        encoded_event = ""
    else:
        encoded_event = encode_event(event, in_head=contribution is not None)
    args = store.script_args
    if contribution is None:
        new = ""
    elif contribution.team is not None:
        new = forms.short(contribution, contribution.team)
    elif row.contribution:
        new = forms.short(contribution, forms.full_head(row.contribution).split("\t")[1])
    else:
        return args.rescore(event, contribution, row.packed_hash, encoded_event)
    link = contribution.link if contribution else None
    link_key = store.keys.record_ref(event.source, link.target) if link else ""
    link_lines = link.encode() if link else ""
    linkable = "1" if contribution and contribution.linkable else "0"
    if (new, link_key, link_lines, linkable) == (
        row.contribution,
        row.link_key,
        row.link_lines,
        row.linkable,
    ):
        return None
    change = forms.change(row.contribution, new)
    return args.rescore_short(event, contribution, row.packed_hash, encoded_event, change)


def _write(store: RedisStore, calls: list[tuple[list[str], list[str]]]) -> int:
    """Run the script over `calls` in one go; how many records it changed."""
    outcomes = store.run_batch(calls)
    return sum(1 for outcome in outcomes if outcome == "updated")
