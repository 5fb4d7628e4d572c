"""Date windows for the manager pages: a chosen period, the one before it, and how to read them cheaply.

A window is a run of whole days in the office's time zone. Its figures are read from the fewest stored
buckets that cover it exactly (years, quarters, months, ISO weeks, then days), so a 13-month range costs
about thirty board reads, not four hundred.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, get_args

from kpi.model.periods import Period, bucket_of, span_of

Choice = Literal["day", "week", "month", "custom"]
CHOICES: tuple[Choice, ...] = get_args(Choice)
MAX_DAYS = 800
"""The longest custom window (a little over two years)."""
TREND_MIN_DAYS = 14
"""A trend of a single day is one point: a day's trend shows the 14 days up to it."""


@dataclass(frozen=True)
class Window:
    """The days from `first` to `last`, inclusive."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def shifted_back(self, days: int) -> Window:
        return Window(self.first - timedelta(days=days), self.last - timedelta(days=days))


@dataclass(frozen=True)
class Point:
    """One point of a trend: a stored bucket and the first day it covers."""

    period: Period
    bucket: str
    start: date


def window_of(choice: Choice, anchor: date, first: date | None = None, last: date | None = None) -> Window:
    """The window a filter selects: the day, ISO week or month of `anchor`, or `first`…`last` for custom.

    A custom range that is reversed is swapped, and one longer than `MAX_DAYS` is cut to its last days.
    """
    if choice == "custom":
        first, last = first or anchor, last or anchor
        if first > last:
            first, last = last, first
        if (last - first).days >= MAX_DAYS:
            first = last - timedelta(days=MAX_DAYS - 1)
        return Window(first, last)
    span = span_of(choice, bucket_of(anchor, choice))
    return Window(span.first, span.last)


def previous_window(choice: Choice, window: Window, today: date | None = None) -> Window:
    """The window to compare with: the previous day, week or calendar month, or as many days before.

    While `window` is still running (it contains `today`), only as many days of the previous one count
    ("month to date": 1–24 Nov is compared with 1–24 Oct), so a half-done period is not compared with a
    whole one.
    """
    if choice == "month":
        before = window.first - timedelta(days=1)
        span = span_of("month", bucket_of(before, "month"))
        previous = Window(span.first, span.last)
    else:
        previous = window.shifted_back(window.days)
    if today is not None and window.first <= today < window.last:
        elapsed = (today - window.first).days
        previous = Window(previous.first, min(previous.last, previous.first + timedelta(days=elapsed)))
    return previous


def to_date(window: Window, today: date | None) -> Window:
    """The days of `window` up to `today`: what a running period has covered so far ("1–2 Dec" of December).

    A window that is over, or has not begun, or with no `today` given, is returned whole.
    """
    if today is None or not window.first <= today < window.last:
        return window
    return Window(window.first, today)


def describe(window: Window) -> str:
    """A short human label for a window, e.g. '17–23 Nov 2026', '30 Nov – 6 Dec 2026' or '24 Nov 2026'."""
    first, last = window.first, window.last
    if first == last:
        return f"{last.day} {last:%b %Y}"
    if first.year != last.year:
        return f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"
    if first.month != last.month:
        return f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
    return f"{first.day}–{last.day} {last:%b %Y}"


def describe_comparison(choice: Choice, window: Window, today: date | None) -> str:
    """How every manager view words a comparison: the days covered so far against the days compared with.

    Month to date on 2 Dec reads '1–2 Dec 2026 vs 1–2 Nov 2026', never '1–31 Dec 2026 vs 1–2 Nov 2026'.
    """
    return f"{describe(to_date(window, today))} vs {describe(previous_window(choice, window, today))}"


def trend_window(window: Window) -> Window:
    """The days a trend shows for `window`: the window itself, or `TREND_MIN_DAYS` up to a single day."""
    if window.days > 1:
        return window
    return Window(window.last - timedelta(days=TREND_MIN_DAYS - 1), window.last)


def granularity(window: Window) -> Period:
    """Daily points up to about three months, weekly up to about half a year, monthly beyond."""
    if window.days <= 93:
        return "day"
    if window.days <= 200:
        return "week"
    return "month"


def trend_points(window: Window, period: Period | None = None) -> list[Point]:
    """The buckets of `period` (default: `granularity`) that overlap `window`, oldest first."""
    period = period or granularity(window)
    found: list[Point] = []
    day = window.first
    while day <= window.last:
        bucket = bucket_of(day, period)
        span = span_of(period, bucket)
        found.append(Point(period, bucket, max(span.first, window.first)))
        day = span.last + timedelta(days=1)
    return found


_COVER_ORDER: tuple[Period, ...] = ("year", "quarter", "month", "week")


def covering_buckets(window: Window) -> list[tuple[Period, str]]:
    """The fewest stored buckets whose days are exactly the window's days, oldest first."""
    found: list[tuple[Period, str]] = []
    day = window.first
    while day <= window.last:
        for period in _COVER_ORDER:
            bucket = bucket_of(day, period)
            span = span_of(period, bucket)
            if span.first == day and span.last <= window.last:
                found.append((period, bucket))
                day = span.last + timedelta(days=1)
                break
        else:
            found.append(("day", bucket_of(day, "day")))
            day += timedelta(days=1)
    return found


def trend_windows(choice: Choice, window: Window, today: date | None = None) -> tuple[Window, Window]:
    """The days a trend chart shows for `window`, and the days of its dashed comparison line.

    The trend ends at `today` (no empty future days); the comparison is the previous calendar month for a
    month (to date, as `previous_window`), else as many days just before.
    """
    current = trend_window(to_date(window, today))
    if choice == "month":
        return current, previous_window("month", window, today)
    return current, current.shifted_back(current.days)
