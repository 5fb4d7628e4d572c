"""``wallboard migrate``: bring records of older layouts into the short bucket layout (record_codec.py),
without moving a figure.

* One hash ``rec:<source>:<id>`` per record (the first releases): each goes through upsert.lua in
  ``migrate`` mode, which stores it as it was (version, hash, contribution, link, event) unless the record
  is in a bucket already (written by a newer release since, or migrated before), then the old hash is
  deleted. Dependents sets are rewritten to the new references.
* Bucket values of nine fields (the layout before the short one; still read, and rewritten short by any
  write of the record): each goes through upsert.lua in ``convert`` mode, which writes it short unless it
  is short already.

Running it again, or while events arrive, is safe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kpi.model.events import Event
from kpi.store.clients import on_node_of
from kpi.store.record_codec import encode_event, is_legacy, pack_hash, pack_version

if TYPE_CHECKING:
    from kpi.store.redis_store import RedisStore

FIELDS = ("v", "h", "d", "c", "e", "l", "x", "a", "q")


def migrate(store: RedisStore) -> int:
    """Move every old-layout record of the namespace, then convert every bucket value of the layout
    before; how many records were moved or converted."""
    return _move_hashes(store) + _convert_values(store)


def _convert_values(store: RedisStore) -> int:
    converted = 0
    for keys in store.record_buckets():
        read = store.client.pipeline(transaction=False)
        for key in keys:
            read.hgetall(key)
        calls = [
            _convert_call(store, key, record_id, value)
            for key, records in zip(keys, read.execute())
            for record_id, value in records.items()
            if is_legacy(value)
        ]
        for start in range(0, len(calls), 500):
            outcomes = store.run_batch(calls[start : start + 500])
            converted += sum(1 for outcome in outcomes if outcome == "new")
    return converted


def _convert_call(store: RedisStore, bucket: str, record_id: str, value: str) -> tuple[list[str], list[str]]:
    """upsert.lua's keys and arguments in ``convert`` mode: the record's event encoded again (its
    attributes were JSON), and what the script needs to find the record and the names."""
    keys = store.keys
    source = bucket[len(keys.record_prefix) :].rpartition(":")[0]
    stored = store.parse_record(value)
    event = stored.event_of(source, record_id, store.names)
    encoded = encode_event(event, in_head=stored.event.split("\t")[1] == "=")
    args = [keys.board_prefix, *[""] * 4, encoded, *[""] * 7, keys.record_prefix, keys.dependents_prefix]
    args.append("convert")
    return (
        [bucket, keys.agents, keys.data_version, keys.dependents(source, record_id), keys.versions],
        [*args, record_id, keys.names, ""],
    )


def _move_hashes(store: RedisStore) -> int:
    moved = 0
    node = on_node_of(store.client, store.keys.data_version)
    old_keys = list(store.client.scan_iter(match=f"{store.keys.legacy_record_prefix}*", count=1000, **node))
    for start in range(0, len(old_keys), 500):
        chunk = old_keys[start : start + 500]
        read = store.client.pipeline(transaction=False)
        for key in chunk:
            read.hmget(key, list(FIELDS))
        calls = [_call(store, key, dict(zip(FIELDS, values))) for key, values in zip(chunk, read.execute())]
        moved += sum(1 for outcome in store.run_batch([c for c in calls if c]) if outcome == "new")
        _relink_dependents(store, chunk)
        store.client.unlink(*chunk)
    return moved


def _ids_of(store: RedisStore, old_key: str) -> tuple[str, str]:
    source, _, record_id = old_key[len(store.keys.legacy_record_prefix) :].partition(":")
    return source, record_id


def _ref_of(store: RedisStore, old_key: str) -> str:
    return store.keys.record_ref(*_ids_of(store, old_key)) if old_key else ""


def _call(store: RedisStore, key: str, old: dict[str, str | None]) -> tuple[list[str], list[str]] | None:
    if not old["v"] or not old["e"]:
        return None
    event = Event.model_validate_json(old["e"])
    contribution = old["c"] or ""
    keys, args = store.script_input(event, None)
    args[1], args[2], args[3], args[4] = (
        pack_version(old["v"]),
        pack_hash(old["h"] or ""),
        old["d"] or "0",
        contribution,
    )
    args[5] = encode_event(event, in_head=bool(contribution) and not event.deleted)
    args[10], args[11], args[12] = _ref_of(store, old["l"] or ""), old["x"] or "", old["q"] or "0"
    args[15] = "migrate"
    return keys, [*args, old["a"] or ""]


def _relink_dependents(store: RedisStore, old_keys: list[str]) -> None:
    """Each moved record's dependents set lists its dependents' new references."""
    for key in old_keys:
        deps = store.keys.dependents(*_ids_of(store, key))
        members = store.client.smembers(deps)
        stale = [m for m in members if m.startswith(store.keys.legacy_record_prefix)]
        if stale:
            store.client.srem(deps, *stale)
            store.client.sadd(deps, *(_ref_of(store, m) for m in stale))
