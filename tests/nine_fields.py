"""Rewrite a stored record as the release before the short record layout wrote it (nine fields: a version
in 12 base-36 digits, a 96-bit hash, the head's agent and team in full with its day and week, the event
with its attributes as JSON), to test that such values are read and converted (issue #13)."""

from __future__ import annotations

import base64
import json

from kpi.store import RedisStore
from kpi.store.record_codec import SEP, expand_contribution

DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"
ORDERED = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
    "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz",
)


def _legacy_contribution(store: RedisStore, short: str) -> str:
    if not short:
        return ""
    head = expand_contribution(short, store.names).partition("\n")[0]
    agent, team, buckets = head.split("\t")
    return "\n".join(["\t".join((agent, team, ",".join(buckets.split(",")[:2]))), *short.split("\n")[1:]])


def as_nine_fields(store: RedisStore, source: str, record_id: str) -> None:
    bucket = store.keys.record(source, record_id)
    stored = store.parse_record(store.client.hget(bucket, record_id))
    event = stored.event_of(source, record_id, store.names)
    version = int(stored.version)
    legacy_v = "".join(DIGITS36[version // 36**i % 36] for i in range(12))[::-1]
    hash96 = base64.b64encode(bytes.fromhex(event.content_hash)).decode().translate(ORDERED)
    fields = stored.event.split("\t")
    fields[7] = json.dumps(event.attributes, separators=(",", ":")) if event.attributes else ""
    value = SEP.join(
        (
            legacy_v,
            hash96,
            "1" if stored.deleted else "0",
            _legacy_contribution(store, stored.contribution),
            stored.link_ref,
            stored.link_lines,
            stored.applied,
            stored.linkable,
            "\t".join(fields),
        )
    )
    store.client.hset(bucket, record_id, value)
