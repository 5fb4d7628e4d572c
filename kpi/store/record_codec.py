"""How a record is kept in Redis: one compact text value per record, in a shared bucket hash.

A record lives in ``recs:<source>:<n>`` (a hash; `kpi.store.keys.record_bucket` picks ``n`` from the id
alone, so a correction that moves the record to another day still finds it) under the field ``<id>``. Its
value is five fields separated by ``\\x1e`` (never in an id, a contribution or an encoded event), and three
more only when the record links to another one:

| field | holds |
|---|---|
| ``v`` | version: microseconds since 1970, 9 digits of 6 bits (`pack_version`, sorts like the versions) |
| ``h`` | the first 64 bits of the content hash, 11 digits of 6 bits (`pack_hash`) |
| ``f`` | flags: ``0`` + 1 if retracted + 2 if records may link to this one |
| ``c`` | the contribution applied, short (upsert.lua's pack_c; `expand_contribution`) |
| ``e`` | the event, short (upsert.lua's pack_e; `unpack_event`) |
| ``l`` | the linked record's reference (``<bucket key>\\t<id>``) |
| ``x`` | the linked metric lines |
| ``a`` | the link contribution applied |

Short forms use the ``names`` hash (text → id, ``\\x1f<id>`` → text, given by upsert.lua): a contribution's
metric lines, agent and team, and an event's type, agent name and attribute keys are written as ids. A
value of nine fields is of the layout before (release 0.x, `_legacy`): both are read; upsert.lua rewrites
a record in the short layout when it writes it, and ``wallboard migrate`` converts the rest.

Small values in a hash of at most ``hash-max-listpack-entries`` fields of at most
``hash-max-listpack-value`` bytes are kept as one listpack (no per-field pointers); see docs/production.md.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from kpi.model.events import Event, stored_event
from kpi.model.periods import bucket_of

SEP = "\x1e"
FIELD_SEP = "\t"
PAIR_SEP = "\x1f"
"""Between an attribute's key and value, and between attributes (never raw in JSON text)."""
NONE = "\x1f"
"""An agent name or team that the event does not have (control characters are never in one)."""
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_HASH_DIGITS = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
"""64 digits in ASCII order: packed versions and hashes sort like the numbers (upsert.lua compares them)."""
_VERSION_WIDTH = 9
_HASH_WIDTH = 11
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_UNIX_DAY = date(1970, 1, 1).toordinal()

_TO_ORDERED = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", _HASH_DIGITS)
_FROM_ORDERED = str.maketrans(
    _HASH_DIGITS, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)


_TRIPLES = 36**3
_TRIPLE_DIGITS = tuple(a + b + c for a in _DIGITS for b in _DIGITS for c in _DIGITS)
"""Every three base-36 digits, in order: a number is converted three digits per division."""


def _base36(number: int, width: int = 0) -> str:
    pieces = []
    while number >= _TRIPLES:
        number, low = divmod(number, _TRIPLES)
        pieces.append(_TRIPLE_DIGITS[low])
    pieces.append(_TRIPLE_DIGITS[number].lstrip("0") or "0")
    return "".join(reversed(pieces)).rjust(width, "0")


def _base64(number: int, width: int) -> str:
    digits = ""
    for _ in range(width):
        number, digit = divmod(number, 64)
        digits = _HASH_DIGITS[digit] + digits
    return digits


def _of_base64(packed: str) -> int:
    standard = packed.translate(_FROM_ORDERED)
    return int.from_bytes(base64.b64decode("A" * (-len(standard) % 4) + standard), "big")


def pack_version(version: str) -> str:
    """A 20-digit version (`kpi.model.events.version_of`) as 9 digits of 6 bits that sort the same."""
    return _base64(int(version), _VERSION_WIDTH) if version else ""


def unpack_version(packed: str) -> str:
    return f"{_of_base64(packed):020d}"


def pack_hash(digest: str) -> str:
    """The first 64 bits of a hex content hash as 11 digits of 6 bits, order kept.

    A content hash only tells two contents of the *same* record apart (at one version: a duplicate, or
    which of two wins); two different contents of one record share 64 bits with a chance of 2⁻⁶⁴ — across
    a billion records with ten versions each, about 3·10⁻⁹.
    """
    return base64.b64encode(bytes.fromhex(digest)[:8]).decode().rstrip("=").translate(_TO_ORDERED)


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
    moment = _EPOCH + timedelta(microseconds=base + (int(number, 36) if number not in ("", "-") else 0))
    return moment.astimezone(_zone(int(offset))) if offset else moment


@lru_cache(maxsize=256)
def _zone(minutes: int) -> timezone:
    return timezone(timedelta(minutes=minutes))


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def encode_attributes(attributes: Mapping[str, Any]) -> str:
    """``<key as JSON>\\x1f<value as JSON>``, joined by ``\\x1f`` (upsert.lua swaps the keys for ids)."""
    return PAIR_SEP.join(f"{_json(key)}{PAIR_SEP}{_json(value)}" for key, value in attributes.items())


def decode_attributes(text: str) -> dict[str, Any]:
    if not text:
        return {}
    if text.startswith("{"):
        return json.loads(text)
    pieces = text.split(PAIR_SEP)
    return json.loads("{" + ",".join(map(":".join, zip(pieces[::2], pieces[1::2]))) + "}")


def encode_event(event: Event, *, in_head: bool) -> str:
    """The event without its source and id (the record's key holds them), tab-separated, short forms;
    what upsert.lua takes (its pack_e shortens it further when it stores it).

    Args:
        in_head: the record's stored contribution is written with this event and names its agent (and
            team, when the event has one), so those are written ``=`` here.
    """
    occurred = _micros(event.occurred_at)
    fields = (
        event.type,
        "=" if in_head else event.agent_id,
        event.agent_name if event.agent_name is not None else NONE,
        "=" if in_head and event.team else event.team or "",
        _number(event.value),
        _moment(event.occurred_at),
        "=" + _moment(event.updated_at, occurred) if event.updated_at else "",
        encode_attributes(event.attributes),
        "1" if event.deleted else "",
    )
    return FIELD_SEP.join(fields)


def decode_event(source: str, record_id: str, text: str, contribution: str = "") -> Event:
    """The event `encode_event` encoded; `contribution` is the record's stored one in full (its head)."""
    kind, agent, name, team, value, occurred, updated, attributes, deleted = text.split(FIELD_SEP)
    fields = (kind, agent, name, team, value, _moment_of(occurred), updated, deleted)
    return _event(source, record_id, contribution, fields, decode_attributes(attributes))


def decode_short_event(
    source: str,
    record_id: str,
    short: str,
    packed_version: str,
    names: Mapping[str, str],
    contribution: str = "",
) -> Event:
    """`decode_event` of `unpack_event(short, packed_version, names)`, without the text in between."""
    pieces = short.split(FIELD_SEP)
    kind, value, occurred, name, attributes, updated, agent, team, deleted = pieces + [""] * (9 - len(pieces))
    elided = occurred[:1] in ("", "@")
    occurred_at = _moment_of(occurred, _of_base64(packed_version)) if elided else _moment_of(occurred)
    if attributes and not attributes.startswith("{"):
        pairs = attributes.split(PAIR_SEP)
        found = json.loads("{" + ",".join(names[k] + ":" + v for k, v in zip(pairs[::2], pairs[1::2])) + "}")
    else:
        found = decode_attributes(attributes)
    team = "" if team == NONE else team or "="
    fields = (
        names[kind],
        agent or "=",
        names[name] if name else NONE,
        team,
        value,
        occurred_at,
        updated,
        deleted,
    )
    return _event(source, record_id, contribution, fields, found)


def _event(source: str, record_id: str, contribution: str, fields: tuple[Any, ...], attributes: Any) -> Event:
    """The event of decoded `fields`: kind, agent, name, team, value, occurred_at, updated, deleted."""
    kind, agent, name, team, value, occurred_at, updated, deleted = fields
    head = contribution.partition("\n")[0].split("\t")
    return stored_event(
        {
            "source": source,
            "id": record_id,
            "type": kind,
            "agent_id": head[0] if agent == "=" else agent,
            "agent_name": None if name == NONE else name,
            "team": head[1] if team == "=" else team or None,
            "value": float(value),
            "occurred_at": occurred_at,
            "updated_at": _moment_of(updated[1:], _micros(occurred_at)) if updated else None,
            "attributes": attributes,
            "deleted": deleted == "1",
        }
    )


def unpack_event(short: str, packed_version: str, names: Mapping[str, str]) -> str:
    """The event as `encode_event` wrote it, from the stored short form (the inverse of upsert.lua's
    pack_e: type, value, occurred (empty digits: the version's), name, attributes, updated, agent, team,
    deleted; trailing empty fields left out; ids from the names hash)."""
    pieces = short.split(FIELD_SEP)
    kind, value, occurred, name, attributes, updated, agent, team, deleted = pieces + [""] * (9 - len(pieces))
    if occurred[:1] in ("", "@"):
        occurred = _base36(_of_base64(packed_version)) + occurred
    if attributes and not attributes.startswith("{"):
        pairs = attributes.split(PAIR_SEP)
        pairs[::2] = [names[ident] for ident in pairs[::2]]
        attributes = PAIR_SEP.join(pairs)
    fields = (
        names[kind],
        agent or "=",
        names[name] if name else NONE,
        "" if team == NONE else team or "=",
        value,
        occurred,
        updated,
        attributes,
        deleted,
    )
    return FIELD_SEP.join(fields)


@lru_cache(maxsize=4096)
def _buckets_of_day(day: str) -> str:
    """``<day>,<week>,<month>,<quarter>,<year>``: the buckets a contribution of an ISO day goes to."""
    found = date.fromisoformat(day)
    return ",".join(bucket_of(found, period) for period in ("day", "week", "month", "quarter", "year"))


def _day_of_number(number: str) -> str:
    return date.fromordinal(_UNIX_DAY + int(number, 36)).isoformat()


def _short_head(head: str, names: Mapping[str, str]) -> tuple[str, str, str]:
    """Agent, team and buckets of a stored contribution's head (either layout)."""
    agent, team, buckets = head.split("\t")
    if not buckets.startswith("~") and ("," in buckets or "-" in buckets):
        # the layout before: agent and team in full, day and week (or every bucket)
        days = buckets.split(",")
        if len(days) == 2:
            buckets = _buckets_of_day(days[0])
        return agent, team, buckets
    if buckets.startswith("~"):
        buckets = buckets[1:]
    else:
        buckets = _buckets_of_day(_day_of_number(buckets))
    return names[agent], names[team] if team else "", buckets


def full_head(head: str, names: Mapping[str, str]) -> str:
    """A stored contribution's head (either layout) in full: ``agent<TAB>team<TAB>every bucket``."""
    return FIELD_SEP.join(_short_head(head, names))


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def short_buckets(buckets: Sequence[str]) -> str:
    """A contribution's buckets as upsert.lua's c_texts stores them: the day's number (base 36) when they
    are that day's usual five, else ``~`` and the list."""
    joined = ",".join(buckets)
    day = buckets[0] if buckets else ""
    if _ISO_DAY.fullmatch(day) and joined == _buckets_of_day(day):
        return _base36(date.fromisoformat(day).toordinal() - _UNIX_DAY)
    return "~" + joined


def contribution_day(short: str) -> date:
    """The day (first bucket) of a stored contribution, read without the names hash."""
    buckets = short.partition("\n")[0].split("\t")[2]
    if "," in buckets or "-" in buckets:
        return date.fromisoformat(buckets.lstrip("~").split(",")[0])
    return date.fromisoformat(_day_of_number(buckets))


def expand_contribution(short: str, names: Mapping[str, str]) -> str:
    """A stored (short) contribution in full, as `Contribution.encode` writes it (the inverse of
    upsert.lua's pack_c; `names` maps an id to its text, e.g. a line's ``metric<TAB>aggregation``)."""
    if not short:
        return ""
    head, _, body = short.partition("\n")
    return full_head(head, names) + (expand_body("\n" + body, names) if body else "")


def expand_body(body: str, names: Mapping[str, str]) -> str:
    """A stored contribution's metric lines (what follows its head, each after a newline) in full."""
    out = []
    for line in body.split("\n")[1:]:
        ident, *numbers = line.split("\t")
        figures = (numbers or ["1"]) + ["0"] * (4 - len(numbers or ["1"]))
        out.append("\t".join((names[ident], *figures)))
    return "".join(f"\n{line}" for line in out)


@dataclass(frozen=True)
class PackedRecord:
    """A record's stored value, split into its fields (see the module's table); the version and the
    content hash stay packed until asked for (a rescore sends the packed hash back as it was read), the
    contribution stays short (`expand_contribution`) and the event as stored until asked for."""

    packed_version: str
    packed_hash: str
    deleted: bool
    contribution: str
    link_ref: str
    link_lines: str
    applied: str
    linkable: str
    stored_event: str
    """Short (upsert.lua's pack_e) when `names` is given, else as `encode_event` wrote it."""
    names: Mapping[str, str] | None = field(default=None, compare=False, repr=False)

    @property
    def version(self) -> str:
        return unpack_version(self.packed_version)

    @property
    def event(self) -> str:
        """The event as `encode_event` wrote it."""
        if self.names is None:
            return self.stored_event
        return unpack_event(self.stored_event, self.packed_version, self.names)

    def event_of(self, source: str, record_id: str, names: Mapping[str, str]) -> Event:
        """The event this record holds."""
        return self.decoded(source, record_id, expand_contribution(self.contribution, names))

    def decoded(self, source: str, record_id: str, contribution: str = "") -> Event:
        """The event this record holds; `contribution` is its stored one in full (its head)."""
        if self.names is None:
            return decode_event(source, record_id, self.stored_event, contribution)
        return decode_short_event(
            source, record_id, self.stored_event, self.packed_version, self.names, contribution
        )

    @classmethod
    def parse(cls, value: str, names: Mapping[str, str]) -> PackedRecord:
        """A stored value of either layout; `names` maps the names hash's ids to their texts."""
        fields = value.split(SEP)
        if len(fields) == 9:
            return _legacy(fields)
        v, h, flags, c, e, link, x, a = fields + [""] * (8 - len(fields))
        bits = int(flags)
        return cls(v, h, bool(bits & 1), c, link, x, a, "1" if bits & 2 else "0", e, names)


def _legacy(fields: list[str]) -> PackedRecord:
    """A value of the layout before: version in 12 base-36 digits, a 96-bit hash, nine fields."""
    v, h, d, c, link, x, a, q, e = fields
    ordered = _HASH_DIGITS.index(h[_HASH_WIDTH - 1])
    short_hash = h[: _HASH_WIDTH - 1] + _HASH_DIGITS[ordered - ordered % 4]
    return PackedRecord(_base64(int(v, 36), _VERSION_WIDTH), short_hash, d == "1", c, link, x, a, q or "0", e)


def is_legacy(value: str) -> bool:
    """A stored value of the layout before (``wallboard migrate`` converts it)."""
    return value.count(SEP) == 8
