"""The watermark cursor: resume an incremental read from the newest change seen, less an overlap.

Vendors whose API filters on a change time (HubSpot ``hs_lastmodifieddate``, Salesforce
``SystemModstamp``, a generic JSON ``watermark_field``, Aircall ``started_at``) remember the newest
value they saw and start the next read a little before it: the vendor's index lags, and records
sharing the last instant must not be missed. Re-reading is harmless because upserts are idempotent.

Each vendor keeps its own cursor layout in Redis; this helper only does the arithmetic and renders
times in the form the vendor writes them, so a cursor saved before it existed reads the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from connectors.core.records import dig, parse_time

TimeFormat = Literal["iso", "epoch_seconds", "epoch_millis"]


def newest(records: Iterable[Any], field: str) -> datetime | None:
    """The newest readable time at the dotted `field` of `records`.

    A record without one is passed over here: mapping it reports it as skipped.
    """
    found = []
    for record in records:
        try:
            found.append(parse_time(dig(record, field)))
        except (KeyError, TypeError, ValueError):
            continue
    return max(found, default=None)


@dataclass(frozen=True)
class Watermark:
    """The change-time field of a stream, how far before its newest value a read resumes, and its format.

    Attributes:
        field: dotted path of the change time in a record (``properties.hs_lastmodifieddate``).
        overlap_seconds: how far before the newest change seen the next read starts.
        format: how the vendor writes a time: ISO 8601 (``...Z``), epoch seconds or epoch milliseconds.
    """

    field: str
    overlap_seconds: float = 0.0
    format: TimeFormat = "iso"

    def newest(self, records: Iterable[Any]) -> datetime | None:
        """The newest change time among `records` (None when none has a readable one)."""
        return newest(records, self.field)

    def advance(self, high: datetime, records: Iterable[Any]) -> tuple[datetime, datetime | None]:
        """`high` moved up to the newest change in `records`, and that newest change."""
        found = self.newest(records)
        return (max(high, found) if found else high), found

    def resume(self, high: datetime, floor: datetime | None = None) -> datetime:
        """Where the next read starts: `overlap_seconds` before `high`, never before `floor`."""
        start = high - timedelta(seconds=self.overlap_seconds)
        return max(floor, start) if floor is not None else start

    def render(self, moment: datetime) -> str | int:
        """`moment` as the vendor writes it (epoch values truncated to whole units)."""
        if self.format == "epoch_seconds":
            return int(moment.timestamp())
        if self.format == "epoch_millis":
            return int(moment.timestamp() * 1000)
        return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")

    def read(self, value: Any) -> datetime:
        """A time written by `render` (or by the vendor) as an aware UTC datetime."""
        if self.format == "epoch_seconds":
            return datetime.fromtimestamp(int(value), UTC)
        if self.format == "epoch_millis":
            return datetime.fromtimestamp(int(value) / 1000, UTC)
        return parse_time(value)
