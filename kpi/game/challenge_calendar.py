"""When a challenge runs: its instances, computed from the definition and the clock alone (no cron).

A one-off challenge has one instance, id ``<id>``. A recurring one has an instance per day, ISO week or
month of the office time zone, id ``<id>:<bucket>`` (``weekly:2026-W48``). An instance starts at local
midnight of its first day and ends at local midnight after its last day, so a week across a DST change
lasts 167 or 169 hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Literal

from kpi.game.challenges import Challenge, ChallengeSettings, Recurrence
from kpi.model.periods import Period, Span, bucket_of, local_day, span_of

Phase = Literal["upcoming", "active", "settling", "ended"]
"""Before the start; running; ended but still within the grace period; ended and fixable."""
PERIOD_OF: dict[Recurrence, Period] = {"daily": "day", "weekly": "week", "monthly": "month"}
RECENT_DAYS = 35
"""Recurring instances that ended this many days ago or less are still listed and settled."""


@dataclass(frozen=True)
class Instance:
    """One run of a challenge over whole days of the office time zone."""

    challenge: Challenge
    key: str
    """The bucket of a recurring instance (``2026-W48``), ``""`` for a one-off challenge."""
    first: date
    last: date
    starts_at: datetime
    ends_at: datetime

    @property
    def id(self) -> str:
        return f"{self.challenge.id}:{self.key}" if self.key else self.challenge.id

    @property
    def span(self) -> Span:
        return Span(self.first, self.last)

    def phase(self, now: datetime, grace: timedelta) -> Phase:
        """Where the instance stands at `now`, with the challenge's grace period."""
        if now < self.starts_at:
            return "upcoming"
        if now < self.ends_at:
            return "active"
        return "settling" if now < self.ends_at + grace else "ended"


def midnight(day: date, zone: tzinfo) -> datetime:
    """The start of `day` in the office time zone, in UTC."""
    return datetime.combine(day, time(0), zone).astimezone(timezone.utc)


def instance_of(challenge: Challenge, first: date, last: date, key: str, zone: tzinfo) -> Instance:
    return Instance(
        challenge, key, first, last, midnight(first, zone), midnight(last + timedelta(days=1), zone)
    )


def instance_on(challenge: Challenge, day: date, zone: tzinfo) -> Instance | None:
    """The instance whose days include `day`, or None (outside a one-off, or outside the recurring bounds)."""
    if challenge.recurring is None:
        assert challenge.start is not None and challenge.end is not None
        if challenge.start <= day <= challenge.end:
            return instance_of(challenge, challenge.start, challenge.end, "", zone)
        return None
    period = PERIOD_OF[challenge.recurring]
    bucket = bucket_of(day, period)
    span = span_of(period, bucket)
    if challenge.start is not None and span.first < challenge.start:
        return None
    if challenge.end is not None and span.first > challenge.end:
        return None
    return instance_of(challenge, span.first, span.last, bucket, zone)


def instances_near(
    challenge: Challenge, now: datetime, zone: tzinfo, recent_days: int = RECENT_DAYS
) -> list[Instance]:
    """The running instance, the next one, and those that ended at most `recent_days` ago; oldest first."""
    if challenge.recurring is None:
        assert challenge.start is not None and challenge.end is not None
        one = instance_of(challenge, challenge.start, challenge.end, "", zone)
        return [one] if one.ends_at >= now - timedelta(days=recent_days) else []
    period = PERIOD_OF[challenge.recurring]
    today = local_day(now, zone)
    found: list[Instance] = []
    day = span_of(period, bucket_of(today - timedelta(days=recent_days), period)).first
    upcoming = 0
    while upcoming < 1:
        instance = instance_on(challenge, day, zone)
        if instance is not None and instance.ends_at >= now - timedelta(days=recent_days):
            found.append(instance)
            upcoming += instance.starts_at > now
        day = span_of(period, bucket_of(day, period)).last + timedelta(days=1)
        if challenge.end is not None and day > challenge.end:
            break
    return found


def find_instance(settings: ChallengeSettings, instance_id: str, zone: tzinfo) -> Instance | None:
    """The instance named by `instance_id` (``<id>`` or ``<id>:<bucket>``), or None."""
    challenge_id, _, key = instance_id.partition(":")
    challenge = settings.by_id(challenge_id)
    if challenge is None or bool(key) != (challenge.recurring is not None):
        return None
    if not key:
        return instance_on(challenge, challenge.start, zone)  # type: ignore[arg-type]
    try:
        span = span_of(PERIOD_OF[challenge.recurring], key)  # type: ignore[index]
    except ValueError:
        return None
    instance = instance_on(challenge, span.first, zone)
    return instance if instance is not None and instance.key == key else None


def current_or_latest(challenge: Challenge, now: datetime, zone: tzinfo) -> Instance | None:
    """The running instance, else the latest that ended, else the next one."""
    near = instances_near(challenge, now, zone)
    started = [i for i in near if i.starts_at <= now]
    return started[-1] if started else (near[0] if near else None)
