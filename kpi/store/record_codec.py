"""How a record is kept in Redis: one compact text value per record, in a shared bucket hash.

A record lives in ``recs:<source>:<n>`` (a hash; `kpi.store.keys.record_bucket` picks ``n`` from the id
alone, so a correction that moves the record to another day still finds it) under the field ``<id>``. Its
value is nine fields separated by ``\\x1e`` (never in an id, a contribution or compact JSON), in this order:

| field | holds |
|---|---|
| ``v`` | version: microseconds since 1970 in fixed-width base 36 (sorts like the versions) |
| ``h`` | content hash |
| ``d`` | ``1`` if retracted |
| ``c`` | the contribution applied (kpi.model.contributions encoding, buckets shortened: see upsert.lua) |
| ``l`` | the linked record's reference (``<bucket key>\\t<id>``) or empty |
| ``x`` | the linked metric lines |
| ``a`` | the link contribution applied |
| ``q`` | ``1`` if records may link to this one |
| ``e`` | the event, compact (`encode_event`) |

Small values in a hash of at most ``hash-max-listpack-entries`` fields of at most
``hash-max-listpack-value`` bytes are kept as one listpack (no per-field pointers); see docs/production.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from kpi.model.events import Event

SEP = "\x1e"
FIELD_SEP = "\t"
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_VERSION_WIDTH = 12
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _base36(number: int, width: int = 0) -> str:
    digits = ""
    while number:
        number, digit = divmod(number, 36)
        digits = _DIGITS[digit] + digits
    return (digits or "0").rjust(width, "0")


def pack_version(version: str) -> str:
    """A 20-digit version (`kpi.model.events.version_of`) as 12 base-36 digits that sort the same."""
    return _base36(int(version), _VERSION_WIDTH) if version else ""


def unpack_version(packed: str) -> str:
    return f"{int(packed, 36):020d}"


def _moment(moment: datetime) -> str:
    """Microseconds since 1970 in base 36, then the UTC offset in minutes when not zero."""
    delta = moment - _EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    offset = int((moment.utcoffset() or timedelta()).total_seconds() // 60)
    sign = "-" if micros < 0 else ""
    return sign + _base36(abs(micros)) + (f"{offset:+d}" if offset else "")


def _moment_of(text: str) -> datetime:
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("-")
    cut = max(body.find("+"), body.find("-"))
    number, offset = (body[:cut], int(body[cut:])) if cut > 0 else (body, 0)
    zone = timezone(timedelta(minutes=offset)) if offset else timezone.utc
    return (_EPOCH + timedelta(microseconds=sign * int(number, 36))).astimezone(zone)


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def encode_event(event: Event) -> str:
    """The event without its source and id (the record's key holds them), tab-separated, short forms."""
    fields = (
        event.type,
        event.agent_id,
        event.agent_name if event.agent_name is not None else "\x1f",
        event.team or "",
        _number(event.value),
        _moment(event.occurred_at),
        _moment(event.updated_at) if event.updated_at else "",
        json.dumps(event.attributes, separators=(",", ":")) if event.attributes else "",
        "1" if event.deleted else "",
    )
    return FIELD_SEP.join(fields)


def decode_event(source: str, record_id: str, text: str) -> Event:
    """The event `encode_event` encoded."""
    kind, agent, name, team, value, occurred, updated, attributes, deleted = text.split(FIELD_SEP)
    fields = {
        "source": source,
        "id": record_id,
        "type": kind,
        "agent_id": agent,
        "agent_name": None if name == "\x1f" else name,
        "team": team or None,
        "value": float(value),
        "occurred_at": _moment_of(occurred),
        "updated_at": _moment_of(updated) if updated else None,
        "attributes": json.loads(attributes) if attributes else {},
        "deleted": deleted == "1",
    }
    return Event.model_construct(**fields)


@dataclass(frozen=True)
class PackedRecord:
    """A record's stored value, split into its fields (see the module's table)."""

    version: str
    content_hash: str
    deleted: bool
    contribution: str
    link_ref: str
    link_lines: str
    applied: str
    linkable: str
    event: str

    @classmethod
    def parse(cls, value: str) -> PackedRecord:
        v, h, d, c, link, x, a, q, e = value.split(SEP, 8)
        return cls(unpack_version(v), h, d == "1", c, link, x, a, q or "0", e)
