"""What each kind of achievement finds in one holder's daily figures: pure functions, no store.

The rules shared by every kind:

- **Everything is derived from the history** as it stands: the same figures always give the same awards
  with the same dates, however and in whatever order they arrived.
- **A running total that only grows** (a count or sum where more is better) is earned during the day it
  gets there: the award is dated the first day the figure reached the target. Anything else (a mean, NPS,
  lower-is-better, a rank) is judged only once its period (or day) has closed, and dated its last day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from kpi.model.contributions import Figures
from kpi.model.metrics import Metric
from kpi.model.periods import Period, bucket_of

Daily = Mapping[date, Figures]
"""One holder's figures of one metric by office-local day (days without events left out)."""


@dataclass(frozen=True)
class Found:
    """One occurrence of an achievement found in the history."""

    occurrence: str
    earned_on: date
    closed: bool
    """Judged when its period (or day) closed, so it became true at the end of `earned_on`."""


@dataclass(frozen=True)
class WorkCalendar:
    """Working days: the office weekdays, except holidays. Days off neither break nor extend a streak."""

    weekdays: frozenset[int]
    holidays: frozenset[date] = frozenset()

    def working(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays


def grows(metric: Metric) -> bool:
    """A count or sum where more is better: it can be reached during an open day or period."""
    return metric.cumulative and not metric.lower_is_better


def reaches(metric: Metric, figures: Figures, target: float, min_volume: int = 1) -> bool:
    """The figure reaches `target` (at most it, when lower is better) on at least `min_volume` events."""
    value = figures.value(metric.aggregation)
    if value is None or figures.count < min_volume:
        return False
    return value <= target if metric.lower_is_better else value >= target


def better(metric: Metric, value: float, than: float | None) -> bool:
    if than is None:
        return True
    return value < than if metric.lower_is_better else value > than


def running(daily: Daily, days: Iterable[date]) -> list[Figures]:
    """The figures summed from the first of `days` up to each day."""
    total, out = Figures(), []
    for day in days:
        total = total + daily.get(day, Figures())
        out.append(total)
    return out


def first_day(days: Sequence[date], ok: Iterable[bool]) -> date | None:
    return next((day for day, good in zip(days, ok) if good), None)


def buckets(period: Period, days: Sequence[date]) -> dict[str, list[date]]:
    """`days` grouped by their bucket of `period`, in order."""
    grouped: dict[str, list[date]] = {}
    for day in days:
        grouped.setdefault(bucket_of(day, period), []).append(day)
    return grouped


def milestone(
    daily: Daily, days: Sequence[date], metric: Metric, target: float, min_volume: int
) -> list[Found]:
    """The first day the lifetime figure reached `target`."""
    ok = (reaches(metric, f, target, min_volume) for f in running(daily, days))
    day = first_day(days, ok)
    return [Found("", day, False)] if day else []


def in_bucket(
    daily: Daily, bucket: str, span: list[date], today: date, metric: Metric, test: Callable[[Figures], bool]
) -> Found | None:
    """Whether `test` holds for the bucket's figure: as it grows (first day true), else once it closed."""
    if grows(metric):
        day = first_day(span, (test(f) for f in running(daily, span)))
        return Found(bucket, day, False) if day else None
    if span[-1] < today and test(sum((daily.get(d, Figures()) for d in span), Figures())):
        return Found(bucket, span[-1], True)
    return None


def period_targets(
    daily: Daily,
    days: Sequence[date],
    today: date,
    metric: Metric,
    *,
    target: float,
    min_volume: int,
    period: Period,
    repeat: bool,
) -> list[Found]:
    """Each period whose figure reached `target` (only the first unless `repeat`)."""
    found = []
    for bucket, span in buckets(period, days).items():
        hit = in_bucket(daily, bucket, span, today, metric, lambda f: reaches(metric, f, target, min_volume))
        if hit:
            found.append(hit)
            if not repeat:
                break
    return found


def streaks(
    daily: Daily,
    days: Sequence[date],
    today: date,
    metric: Metric,
    calendar: WorkCalendar,
    *,
    length: int,
    at_least: float,
    min_count: int,
    repeat: bool,
) -> list[Found]:
    """Each run of working days that count reaching `length`, dated its `length`-th day.

    A day counts when its figure reaches `at_least` on at least `min_count` events. Today does not break a
    run before it is over; a mean's day counts only once it is over.
    """
    found, run = [], 0
    live = grows(metric)
    for day in days:
        if not calendar.working(day):
            continue
        counts = reaches(metric, daily.get(day, Figures()), at_least, min_count)
        if day == today and not (counts and live):
            break
        run = run + 1 if counts else 0
        if run == length:
            found.append(Found(day.isoformat(), day, not live))
            if not repeat:
                break
    return found


def every_channel(
    dailies: Sequence[Daily], days: Sequence[date], *, period: Period, repeat: bool
) -> list[Found]:
    """Each period in which every channel has at least one event, dated the day the last one came in."""
    found = []
    for bucket, span in buckets(period, days).items():
        counts = [[f.count for f in running(daily, span)] for daily in dailies]
        day = first_day(span, (all(c[i] >= 1 for c in counts) for i in range(len(span))))
        if day:
            found.append(Found(bucket, day, False))
            if not repeat:
                break
    return found


def saves(
    daily: Daily,
    days: Sequence[date],
    calendar: WorkCalendar,
    *,
    repeat: bool,
    after_hours: Daily | None = None,
) -> list[Found]:
    """Each day off (weekend or holiday) with at least one event, and each day with at least one event
    outside office hours (`after_hours`: the daily figures of an ``outside_office_hours`` metric)."""
    found = []
    late = after_hours or {}
    for day in days:
        off = not calendar.working(day) and daily.get(day, Figures()).count >= 1
        if off or late.get(day, Figures()).count >= 1:
            found.append(Found(day.isoformat(), day, False))
            if not repeat:
                break
    return found


def personal_bests(
    daily: Daily,
    days: Sequence[date],
    today: date,
    metric: Metric,
    *,
    period: Period,
    min_history: int,
    min_volume: int,
) -> list[Found]:
    """Each period better than every earlier one of the holder's, once `min_history` earlier ones count.

    Periods count toward the history when closed and with at least `min_volume` events.
    """
    found: list[Found] = []
    best: float | None = None
    history = 0
    for bucket, span in buckets(period, days).items():
        if history >= min_history:
            hit = in_bucket(daily, bucket, span, today, metric, _beats(metric, min_volume, best))
            if hit:
                found.append(hit)
        total = sum((daily.get(d, Figures()) for d in span), Figures())
        value = total.value(metric.aggregation)
        if span[-1] < today and value is not None and total.count >= min_volume:
            best = value if better(metric, value, best) else best
            history += 1
    return found


def _beats(metric: Metric, min_volume: int, best: float | None) -> Callable[[Figures], bool]:
    def test(figures: Figures) -> bool:
        value = figures.value(metric.aggregation)
        return figures.count >= min_volume and value is not None and better(metric, value, best)

    return test
