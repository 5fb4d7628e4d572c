"""Period buckets (day, ISO week, month, quarter, year) cut in the office's time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Literal, Protocol, get_args

Period = Literal["day", "week", "month", "quarter", "year"]
PERIODS: tuple[Period, ...] = get_args(Period)

_BUCKET_PATTERNS: dict[Period, re.Pattern[str]] = {
    "day": re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})"),
    "week": re.compile(r"([0-9]{4})-W([0-9]{2})"),
    "month": re.compile(r"([0-9]{4})-([0-9]{2})"),
    "quarter": re.compile(r"([0-9]{4})-Q([1-4])"),
    "year": re.compile(r"([0-9]{4})"),
}
_EXAMPLES: dict[Period, str] = {
    "day": "2026-11-24",
    "week": "2026-W48",
    "month": "2026-11",
    "quarter": "2026-Q4",
    "year": "2026",
}


class BucketError(ValueError):
    """A period or bucket label that does not parse."""


def bucket_of(day: date, period: Period) -> str:
    """The label of the bucket of `period` that contains `day`."""
    if period == "day":
        return day.isoformat()
    if period == "week":
        iso_year, iso_week, _ = day.isocalendar()
        return f"{iso_year}-W{iso_week:02d}"
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    if period == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if period == "year":
        return str(day.year)
    raise BucketError(f"unknown period {period!r}; use one of {', '.join(PERIODS)}")


def local_day(moment: datetime, zone: tzinfo) -> date:
    """The calendar day of `moment` in the office's time zone."""
    return moment.astimezone(zone).date()


def buckets_of(moment: datetime, zone: tzinfo) -> dict[Period, str]:
    """Every bucket label that `moment` falls in, one per period."""
    return dict(_buckets_of_day(local_day(moment, zone)))


@lru_cache(maxsize=4096)
def _buckets_of_day(day: date) -> tuple[tuple[Period, str], ...]:
    """The labels of `day`, computed once per day (a rescore asks for the same days again and again)."""
    return tuple((period, bucket_of(day, period)) for period in PERIODS)


def check_period(period: str) -> Period:
    """Return `period` if it names a period, else raise `BucketError`."""
    if period not in PERIODS:
        raise BucketError(f"unknown period {period!r}; use one of {', '.join(PERIODS)}")
    return period  # type: ignore[return-value]


@dataclass(frozen=True)
class Span:
    """The first and last day of a bucket, inclusive."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def span_of(period: Period, bucket: str) -> Span:
    """The days covered by a bucket label; raise `BucketError` if the label does not fit the period."""
    match = _BUCKET_PATTERNS[check_period(period)].fullmatch(bucket)
    if not match:
        raise BucketError(f"bucket {bucket!r} is not a {period}; write it like {_EXAMPLES[period]}")
    parts = [int(p) for p in match.groups()]
    try:
        if period == "day":
            first = last = date(*parts)
        elif period == "week":
            first = date.fromisocalendar(parts[0], parts[1], 1)
            last = first + timedelta(days=6)
        elif period == "month":
            first = date(parts[0], parts[1], 1)
            last = _month_end(parts[0], parts[1])
        elif period == "quarter":
            first = date(parts[0], 3 * parts[1] - 2, 1)
            last = _month_end(parts[0], 3 * parts[1])
        else:
            first, last = date(parts[0], 1, 1), date(parts[0], 12, 31)
    except ValueError as exc:
        raise BucketError(f"bucket {bucket!r} is not a real {period}: {exc}") from exc
    return Span(first, last)


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def previous_bucket(period: Period, bucket: str) -> str:
    """The bucket just before `bucket` (for 'since last week' comparisons)."""
    return bucket_of(span_of(period, bucket).first - timedelta(days=1), period)


def current_bucket(period: Period, now: datetime, zone: tzinfo) -> str:
    """The bucket that contains `now` in the office's time zone."""
    return bucket_of(local_day(now, zone), check_period(period))


class WorkingHours(Protocol):
    """Daily working hours on some weekdays (see `kpi.config.OfficeHours`)."""

    start: time
    end: time

    @property
    def weekdays(self) -> frozenset[int]: ...


def elapsed_fraction(
    period: Period, bucket: str, now: datetime, zone: tzinfo, hours: WorkingHours | None = None
) -> float:
    """How much of a bucket has passed at `now` (0 before it starts, 1 after it ends); used for pace.

    With `hours`, only working time counts, so that at lunch on a Tuesday a week is a quarter done, not
    a fifth; a bucket without working time (a Sunday) falls back to the calendar.
    """
    return span_elapsed(span_of(period, bucket), now, zone, hours)


def span_elapsed(span: Span, now: datetime, zone: tzinfo, hours: WorkingHours | None = None) -> float:
    """How much of the days of `span` has passed at `now`, as `elapsed_fraction` counts it for a bucket."""
    if hours is not None:
        worked = _working_fraction(span, now.astimezone(zone), hours)
        if worked is not None:
            return worked
    start = datetime.combine(span.first, datetime.min.time(), zone)
    end = datetime.combine(span.last + timedelta(days=1), datetime.min.time(), zone)
    # Aware datetimes sharing a tzinfo subtract as wall-clock times; in UTC, a 23-hour DST day is 23 hours.
    start, end = start.astimezone(timezone.utc), end.astimezone(timezone.utc)
    total = (end - start).total_seconds()
    done = (now.astimezone(timezone.utc) - start).total_seconds()
    return min(1.0, max(0.0, done / total))


def _working_fraction(span: Span, local_now: datetime, hours: WorkingHours) -> float | None:
    """Working seconds passed over working seconds in `span`, or None when the span has none."""
    day_length = _seconds(hours.end) - _seconds(hours.start)
    workdays = [d for d in days_between(span.first, span.last) if d.weekday() in hours.weekdays]
    if not workdays:
        return None
    today, clock = local_now.date(), _seconds(local_now.time())
    done = sum(day_length for d in workdays if d < today)
    if today in workdays:
        done += min(day_length, max(0, clock - _seconds(hours.start)))
    return done / (day_length * len(workdays))


def _seconds(moment: time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def days_between(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, inclusive."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
