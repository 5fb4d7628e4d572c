"""Recurring instances from the definition and the clock, in the office time zone, across DST."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from kpi.game.challenge_calendar import find_instance, instance_on, instances_near
from tests.challenges.support import make_config

WEEKLY = {"id": "weekly", "kind": "race", "metric": "tickets_solved", "recurring": "weekly"}


def _oslo(**extra: object):  # noqa: ANN202
    return make_config({**WEEKLY, **extra}, timezone_name="Europe/Oslo")


def test_the_week_of_the_autumn_dst_change_lasts_169_hours() -> None:
    config = _oslo()
    week = instance_on(config.challenges.definitions[0], date(2026, 10, 21), config.zone)
    assert week is not None and week.id == "weekly:2026-W43"
    assert week.starts_at == datetime(2026, 10, 18, 22, tzinfo=timezone.utc)
    assert week.ends_at == datetime(2026, 10, 25, 23, tzinfo=timezone.utc)
    assert week.ends_at - week.starts_at == timedelta(hours=169)


def test_the_week_of_the_spring_dst_change_lasts_167_hours() -> None:
    config = _oslo()
    week = instance_on(config.challenges.definitions[0], date(2026, 3, 25), config.zone)
    assert week is not None and week.ends_at - week.starts_at == timedelta(hours=167)


def test_the_next_instance_starts_at_local_midnight_after_the_change() -> None:
    config = _oslo()
    just_after = datetime(2026, 10, 25, 23, 30, tzinfo=timezone.utc)
    near = instances_near(config.challenges.definitions[0], just_after, config.zone, recent_days=7)
    states = {i.id: i.phase(just_after, timedelta(hours=1)) for i in near}
    assert states == {
        "weekly:2026-W43": "settling",
        "weekly:2026-W44": "active",
        "weekly:2026-W45": "upcoming",
    }


def test_a_daily_instance_on_the_dst_day_lasts_25_hours() -> None:
    config = make_config({**WEEKLY, "recurring": "daily"}, timezone_name="Europe/Oslo")
    day = instance_on(config.challenges.definitions[0], date(2026, 10, 25), config.zone)
    assert (
        day is not None
        and day.id == "weekly:2026-10-25"
        and day.ends_at - day.starts_at == timedelta(hours=25)
    )


def test_instances_exist_only_within_the_recurring_bounds() -> None:
    config = make_config({**WEEKLY, "recurring": "monthly", "start": "2026-11-01", "end": "2026-12-31"})
    challenge = config.challenges.definitions[0]
    assert instance_on(challenge, date(2026, 10, 15), config.zone) is None
    assert instance_on(challenge, date(2027, 1, 15), config.zone) is None
    assert find_instance(config.challenges, "weekly:2026-12", config.zone) is not None
    assert find_instance(config.challenges, "weekly:2027-01", config.zone) is None
    assert find_instance(config.challenges, "weekly:garbage", config.zone) is None


def test_an_instance_is_listed_without_any_process_running_at_its_start() -> None:
    config = make_config({**WEEKLY, "start": "2026-11-02"})
    later = datetime(2026, 11, 25, 9, tzinfo=timezone.utc)
    ids = [i.id for i in instances_near(config.challenges.definitions[0], later, config.zone, recent_days=35)]
    assert ids == [
        "weekly:2026-W45",
        "weekly:2026-W46",
        "weekly:2026-W47",
        "weekly:2026-W48",
        "weekly:2026-W49",
    ]
