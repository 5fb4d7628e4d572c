"""How a record is kept in Redis: one compact text value per record, in a shared bucket hash.

A record lives in ``recs:<source>:<n>`` (a hash; `kpi.store.keys.record_bucket` picks ``n`` from the id
alone, so a correction that moves the record to another day still finds it) under the field ``<id>``. Its
value is nine fields separated by ``\\x1e`` (never in an id, a contribution or compact JSON), in this order:

| field | holds |
|---|---|
| ``v`` | version: microseconds since 1970 in fixed-width base 36 (sorts like the versions) |
| ``h`` | content hash, 6 bits a character (`pack_hash`) |
| ``d`` | ``1`` if retracted |
| ``c`` | the contribution applied, short (upsert.lua's pack_c; `expand_contribution`) |
| ``l`` | the linked record's reference (``<bucket key>\\t<id>``) or empty |
| ``x`` | the linked metric lines |
| ``a`` | the link contribution applied |
| ``q`` | ``1`` if records may link to this one |
| ``e`` | the event, compact (`encode_event`), written with ``c`` |

Small values in a hash of at most ``hash-max-listpack-entries`` fields of at most
``hash-max-listpack-value`` bytes are kept as one listpack (no per-field pointers); see docs/production.md.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

from kpi.model.events import Event, stored_event
from kpi.model.periods import bucket_of

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


_HASH_DIGITS = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
"""64 digits in ASCII order: a packed content hash sorts like the hex one (upsert.lua compares them)."""


_TO_ORDERED = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", _HASH_DIGITS)
_FROM_ORDERED = str.maketrans(
    _HASH_DIGITS, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)


def pack_hash(digest: str) -> str:
    """A hex content hash (24 digits) as 16 characters of 6 bits, order kept (base 64 in `_HASH_DIGITS`)."""
    return base64.b64encode(bytes.fromhex(digest)).decode().translate(_TO_ORDERED)


def unpack_hash(packed: str) -> str:
    return base64.b64decode(packed.translate(_FROM_ORDERED)).hex()


def _micros(moment: datetime) -> int:
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _moment(moment: datetime, base: int = 0) -> str:
    """Microseconds since `base` (since 1970 by default) in base 36, then ``@<UTC offset in minutes>``
    when the offset is not zero."""
    diff = _micros(moment) - base
    offset = int((moment.utcoffset() or timedelta()).total_seconds() // 60)
    text = ("-" if diff < 0 else "") + (_base36(abs(diff)) if diff else "")
    return text + (f"@{offset}" if offset else "")


def _moment_of(text: str, base: int = 0) -> datetime:
    number, _, offset = text.partition("@")
    sign = -1 if number.startswith("-") else 1
    micros = base + sign * int(number.lstrip("-") or "0", 36)
    zone = timezone(timedelta(minutes=int(offset))) if offset else timezone.utc
    return (_EPOCH + timedelta(microseconds=micros)).astimezone(zone)


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def encode_event(event: Event, *, in_head: bool) -> str:
    """The event without its source and id (the record's key holds them), tab-separated, short forms.

    Args:
        in_head: the record's stored contribution is written with this event and names its agent (and
            team, when the event has one), so those are written ``=`` here.
    """
    occurred = _micros(event.occurred_at)
    fields = (
        event.type,
        "=" if in_head else event.agent_id,
        event.agent_name if event.agent_name is not None else "\x1f",
        "=" if in_head and event.team else event.team or "",
        _number(event.value),
        _moment(event.occurred_at),
        "=" + _moment(event.updated_at, occurred) if event.updated_at else "",
        json.dumps(event.attributes, separators=(",", ":")) if event.attributes else "",
        "1" if event.deleted else "",
    )
    return FIELD_SEP.join(fields)


def decode_event(source: str, record_id: str, text: str, contribution: str = "") -> Event:
    """The event `encode_event` encoded; `contribution` is the record's stored one (its head)."""
    kind, agent, name, team, value, occurred, updated, attributes, deleted = text.split(FIELD_SEP)
    head = contribution.partition("\n")[0].split("\t")
    occurred_at = _moment_of(occurred)
    fields = {
        "source": source,
        "id": record_id,
        "type": kind,
        "agent_id": head[0] if agent == "=" else agent,
        "agent_name": None if name == "\x1f" else name,
        "team": head[1] if team == "=" else team or None,
        "value": float(value),
        "occurred_at": occurred_at,
        "updated_at": _moment_of(updated[1:], _micros(occurred_at)) if updated else None,
        "attributes": json.loads(attributes) if attributes else {},
        "deleted": deleted == "1",
    }
    return stored_event(fields)


@lru_cache(maxsize=4096)
def _longer_buckets(day: str) -> str:
    """``,<month>,<quarter>,<year>`` of an ISO day (what upsert.lua's pack_c leaves out)."""
    found = date.fromisoformat(day)
    return "," + ",".join(bucket_of(found, period) for period in ("month", "quarter", "year"))


def expand_contribution(short: str, names: Mapping[str, str]) -> str:
    """A stored (short) contribution in full, as `Contribution.encode` writes it (the inverse of
    upsert.lua's pack_c; `names` maps a line's id to its ``metric<TAB>aggregation``)."""
    if not short:
        return ""
    head, *lines = short.split("\n")
    agent, team, buckets = head.split("\t")
    days = buckets.split(",")
    if len(days) == 2:
        buckets += _longer_buckets(days[0])
    out = ["\t".join((agent, team, buckets))]
    for line in lines:
        ident, *numbers = line.split("\t")
        figures = (numbers or ["1"]) + ["0"] * (4 - len(numbers or ["1"]))
        out.append("\t".join((names[ident], *figures)))
    return "\n".join(out)


@dataclass(frozen=True)
class PackedRecord:
    """A record's stored value, split into its fields (see the module's table); the version and the
    content hash stay packed until asked for (a rescore sends the packed hash back as it was read)."""

    packed_version: str
    packed_hash: str
    deleted: bool
    contribution: str
    link_ref: str
    link_lines: str
    applied: str
    linkable: str
    event: str

    @property
    def version(self) -> str:
        return unpack_version(self.packed_version)

    @property
    def content_hash(self) -> str:
        return unpack_hash(self.packed_hash)

    @classmethod
    def parse(cls, value: str) -> PackedRecord:
        v, h, d, c, link, x, a, q, e = value.split(SEP, 8)
        return cls(v, h, d == "1", c, link, x, a, q or "0", e)
