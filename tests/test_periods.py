"""Period buckets: day, ISO week, month, quarter and year, cut in the office's time zone."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from kpi.config import ConfigError, OfficeHours, parse_config
from kpi.model.periods import (
    PERIODS,
    BucketError,
    Period,
    bucket_of,
    buckets_of,
    check_period,
    current_bucket,
    days_between,
    elapsed_fraction,
    previous_bucket,
    span_of,
)

OSLO = ZoneInfo("Europe/Oslo")
UTC = timezone.utc


def utc(text: str) -> datetime:
    """An aware UTC datetime from ISO text without offset."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# --- which bucket an event is in -------------------------------------------------------------------------


def test_pe001_periods_are_day_week_month_quarter_year() -> None:
    """Five periods, from shortest to longest."""
    assert PERIODS == ("day", "week", "month", "quarter", "year")


def test_pe002_labels_follow_the_documented_format() -> None:
    """Buckets are written 2026-11-24, 2026-W48, 2026-11, 2026-Q4 and 2026."""
    assert buckets_of(utc("2026-11-24T12:00:00"), OSLO) == {
        "day": "2026-11-24",
        "week": "2026-W48",
        "month": "2026-11",
        "quarter": "2026-Q4",
        "year": "2026",
    }


def test_pe003_sunday_2330_utc_is_monday_in_oslo() -> None:
    """An event at 23:30 UTC on a Sunday counts for Monday, and the next ISO week, in Oslo."""
    sunday_night = utc("2026-11-22T23:30:00")
    assert sunday_night.weekday() == 6
    assert buckets_of(sunday_night, OSLO)["day"] == "2026-11-23"
    assert buckets_of(sunday_night, OSLO)["week"] == "2026-W48"
    assert buckets_of(sunday_night, UTC)["day"] == "2026-11-22"
    assert buckets_of(sunday_night, UTC)["week"] == "2026-W47"


def test_pe004_offset_of_the_event_does_not_matter() -> None:
    """The same instant written with different offsets lands in the same buckets."""
    a = datetime.fromisoformat("2026-11-22T23:30:00+00:00")
    b = datetime.fromisoformat("2026-11-22T18:30:00-05:00")
    assert buckets_of(a, OSLO) == buckets_of(b, OSLO)


def test_pe005_summer_time_is_two_hours_ahead_in_oslo() -> None:
    """In summer Oslo is UTC+2: 22:30 UTC is already the next day, 21:59 UTC is not."""
    assert buckets_of(utc("2026-07-14T22:30:00"), OSLO)["day"] == "2026-07-15"
    assert buckets_of(utc("2026-07-14T21:59:59"), OSLO)["day"] == "2026-07-14"


def test_pe006_new_year_in_oslo_moves_every_bucket_but_the_week() -> None:
    """23:30 UTC on 31 December is next year's day, month, quarter and year, but ISO week 53."""
    assert buckets_of(utc("2026-12-31T23:30:00"), OSLO) == {
        "day": "2027-01-01",
        "week": "2026-W53",
        "month": "2027-01",
        "quarter": "2027-Q1",
        "year": "2027",
    }


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (date(2026, 12, 28), "2026-W53"),
        (date(2027, 1, 3), "2026-W53"),
        (date(2027, 1, 4), "2027-W01"),
        (date(2024, 12, 30), "2025-W01"),
        (date(2021, 1, 3), "2020-W53"),
    ],
)
def test_pe007_iso_weeks_cross_year_boundaries(day: date, week: str) -> None:
    """ISO weeks start on Monday and belong to the year of their Thursday."""
    assert bucket_of(day, "week") == week


@pytest.mark.parametrize(
    ("month", "quarter"),
    [(1, "Q1"), (3, "Q1"), (4, "Q2"), (6, "Q2"), (7, "Q3"), (9, "Q3"), (10, "Q4"), (12, "Q4")],
)
def test_pe008_quarter_labels(month: int, quarter: str) -> None:
    """Quarters are three calendar months each."""
    assert bucket_of(date(2026, month, 15), "quarter") == f"2026-{quarter}"


def test_pe009_unknown_period_is_refused() -> None:
    """A period that is not one of the five is a BucketError naming the choices."""
    with pytest.raises(BucketError, match="day, week, month, quarter, year"):
        bucket_of(date(2026, 1, 1), "fortnight")  # type: ignore[arg-type]
    with pytest.raises(BucketError, match="fortnight"):
        check_period("fortnight")


def test_pe010_bucket_error_is_a_value_error() -> None:
    """Callers that catch ValueError also catch bad buckets."""
    assert issubclass(BucketError, ValueError)


# --- what a bucket covers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "bucket", "first", "last"),
    [
        ("day", "2026-11-24", date(2026, 11, 24), date(2026, 11, 24)),
        ("week", "2026-W48", date(2026, 11, 23), date(2026, 11, 29)),
        ("week", "2026-W53", date(2026, 12, 28), date(2027, 1, 3)),
        ("month", "2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("month", "2028-02", date(2028, 2, 1), date(2028, 2, 29)),
        ("month", "2026-12", date(2026, 12, 1), date(2026, 12, 31)),
        ("quarter", "2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("quarter", "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("year", "2026", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_pe020_span_of_gives_first_and_last_day(period: Period, bucket: str, first: date, last: date) -> None:
    """A bucket's span is its first and last calendar day, inclusive."""
    span = span_of(period, bucket)
    assert (span.first, span.last) == (first, last)
    assert span.days == (last - first).days + 1


@pytest.mark.parametrize(
    ("period", "bucket"),
    [
        ("day", "2026-11-24"),
        ("week", "2026-W01"),
        ("week", "2026-W53"),
        ("month", "2026-01"),
        ("quarter", "2026-Q3"),
        ("year", "2026"),
    ],
)
def test_pe021_span_round_trips_with_bucket_of(period: Period, bucket: str) -> None:
    """Every day of a bucket's span is in that bucket."""
    span = span_of(period, bucket)
    assert {bucket_of(d, period) for d in days_between(span.first, span.last)} == {bucket}


@pytest.mark.parametrize(
    ("period", "bucket"),
    [
        ("day", "2026-11"),
        ("day", "24.11.2026"),
        ("week", "2026-48"),
        ("week", "2026-W5"),
        ("month", "2026-1"),
        ("quarter", "2026-Q5"),
        ("quarter", "2026-q4"),
        ("year", "26"),
    ],
)
def test_pe022_label_of_the_wrong_shape_is_refused_with_an_example(period: Period, bucket: str) -> None:
    """A label that does not fit the period says how to write one."""
    with pytest.raises(BucketError, match=f"is not a {period}; write it like"):
        span_of(period, bucket)


@pytest.mark.parametrize(
    ("period", "bucket"),
    [
        ("day", "2026-02-30"),
        ("week", "2025-W53"),
        ("week", "2026-W00"),
        ("month", "2026-13"),
        ("month", "2026-00"),
    ],
)
def test_pe023_label_of_a_day_that_does_not_exist_is_refused(period: Period, bucket: str) -> None:
    """Well-formed labels of impossible days, weeks or months are refused too."""
    with pytest.raises(BucketError, match="is not a real"):
        span_of(period, bucket)


def test_pe024_span_of_unknown_period_is_refused() -> None:
    """span_of checks the period first."""
    with pytest.raises(BucketError, match="unknown period"):
        span_of("hour", "2026-11-24T10")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("period", "bucket", "previous"),
    [
        ("day", "2026-03-01", "2026-02-28"),
        ("day", "2027-01-01", "2026-12-31"),
        ("week", "2027-W01", "2026-W53"),
        ("week", "2026-W48", "2026-W47"),
        ("month", "2026-01", "2025-12"),
        ("quarter", "2027-Q1", "2026-Q4"),
        ("quarter", "2026-Q3", "2026-Q2"),
        ("year", "2027", "2026"),
    ],
)
def test_pe030_previous_bucket(period: Period, bucket: str, previous: str) -> None:
    """The bucket just before, across month, year and ISO-year boundaries."""
    assert previous_bucket(period, bucket) == previous


def test_pe031_previous_of_a_bad_label_is_refused() -> None:
    """previous_bucket validates its input like span_of."""
    with pytest.raises(BucketError):
        previous_bucket("week", "2026-W54")


def test_pe040_current_bucket_is_in_the_office_zone() -> None:
    """'Now' is read on the office's calendar."""
    now = utc("2026-11-22T23:30:00")
    assert current_bucket("day", now, OSLO) == "2026-11-23"
    assert current_bucket("week", now, OSLO) == "2026-W48"
    assert current_bucket("day", now, UTC) == "2026-11-22"


# --- how much of a bucket has passed ---------------------------------------------------------------------


def test_pe050_elapsed_fraction_of_a_day_at_noon_is_half() -> None:
    """At 12:00 in Oslo half of the Oslo day has passed."""
    noon = datetime(2026, 11, 24, 12, 0, tzinfo=OSLO)
    assert elapsed_fraction("day", "2026-11-24", noon, OSLO) == pytest.approx(0.5)
    assert elapsed_fraction("day", "2026-11-24", noon.astimezone(UTC), OSLO) == pytest.approx(0.5)


def test_pe051_elapsed_fraction_of_a_week_on_thursday_midnight() -> None:
    """Monday to Wednesday are three sevenths of an ISO week."""
    thursday = datetime(2026, 11, 26, 0, 0, tzinfo=OSLO)
    assert elapsed_fraction("week", "2026-W48", thursday, OSLO) == pytest.approx(3 / 7)


def test_pe052_elapsed_fraction_is_zero_before_and_one_after() -> None:
    """A bucket that has not started has 0 elapsed; one that ended has 1."""
    assert elapsed_fraction("month", "2026-12", utc("2026-11-24T12:00:00"), OSLO) == 0.0
    assert elapsed_fraction("month", "2026-10", utc("2026-11-24T12:00:00"), OSLO) == 1.0


def test_pe053_elapsed_fraction_starts_at_local_midnight() -> None:
    """At 23:30 UTC on 31 December the Oslo year 2027 has just begun and 2026 is over."""
    moment = utc("2026-12-31T23:30:00")
    assert 0.0 < elapsed_fraction("year", "2027", moment, OSLO) < 0.001
    assert elapsed_fraction("year", "2026", moment, OSLO) == 1.0
    assert elapsed_fraction("year", "2026", moment, UTC) == pytest.approx(1 - 0.5 / (365 * 24))


def test_pe060_days_between_is_inclusive() -> None:
    """A series from the 1st to the 3rd has three days."""
    assert days_between(date(2026, 2, 27), date(2026, 3, 1)) == [
        date(2026, 2, 27),
        date(2026, 2, 28),
        date(2026, 3, 1),
    ]
    assert days_between(date(2026, 3, 1), date(2026, 2, 27)) == []


def test_pe100_elapsed_fraction_counts_real_hours_on_a_daylight_saving_day() -> None:
    """On 29 March 2026 Oslo has 23 hours; at 12:00 local, 11 of them have passed."""
    oslo = ZoneInfo("Europe/Oslo")
    noon = datetime(2026, 3, 29, 12, 0, tzinfo=oslo)
    assert elapsed_fraction("day", "2026-03-29", noon, oslo) == pytest.approx(11 / 23)


def _office(start: str = "08:00", end: str = "17:00", days: list[str] | None = None) -> OfficeHours:
    return OfficeHours.model_validate({"start": start, "end": end, **({"days": days} if days else {})})


def test_pe101_with_office_hours_a_day_is_half_done_halfway_through_the_working_day() -> None:
    """08:00–17:00: at 12:30 on Tuesday 24 November, 4.5 of 9 working hours have passed."""
    oslo = ZoneInfo("Europe/Oslo")
    at = datetime(2026, 11, 24, 12, 30, tzinfo=oslo)
    assert elapsed_fraction("day", "2026-11-24", at, oslo, _office()) == pytest.approx(0.5)


def test_pe102_with_office_hours_a_week_counts_working_days_only() -> None:
    """Monday done (9 h) and half of Tuesday (4.5 h) of five 9-hour days: 13.5 / 45."""
    oslo = ZoneInfo("Europe/Oslo")
    at = datetime(2026, 11, 24, 12, 30, tzinfo=oslo)
    assert elapsed_fraction("week", "2026-W48", at, oslo, _office()) == pytest.approx(13.5 / 45)
    assert elapsed_fraction("week", "2026-W48", at, oslo) == pytest.approx((1 + 12.5 / 24) / 7)


def test_pe103_before_opening_nothing_and_after_closing_everything_of_the_day_has_passed() -> None:
    oslo = ZoneInfo("Europe/Oslo")
    early = datetime(2026, 11, 24, 7, 0, tzinfo=oslo)
    late = datetime(2026, 11, 24, 20, 0, tzinfo=oslo)
    assert elapsed_fraction("day", "2026-11-24", early, oslo, _office()) == 0.0
    assert elapsed_fraction("day", "2026-11-24", late, oslo, _office()) == 1.0


def test_pe104_a_day_without_working_hours_falls_back_to_the_calendar() -> None:
    """Sunday 29 November is not a working day: its pace is the plain share of the day."""
    oslo = ZoneInfo("Europe/Oslo")
    noon = datetime(2026, 11, 29, 12, 0, tzinfo=oslo)
    assert elapsed_fraction("day", "2026-11-29", noon, oslo, _office()) == pytest.approx(0.5)


def test_pe105_office_hours_must_end_after_they_start() -> None:
    with pytest.raises(ConfigError, match="office_hours"):
        parse_config(
            {
                "metrics": {"t": {"type": "ticket_solved", "aggregation": "count"}},
                "office_hours": {"start": "18:00", "end": "08:00"},
            },
            "test.yaml",
        )
