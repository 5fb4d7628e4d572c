"""Date windows of the manager pages: covers, comparisons, trend points and the URL filters."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from dashboard.services.manage.filters import parse_filters, to_query
from kpi.config import Config
from kpi.model.periods import span_of
from kpi.read.windows import (
    Window,
    covering_buckets,
    describe,
    describe_comparison,
    granularity,
    previous_window,
    to_date,
    trend_points,
    trend_windows,
    window_of,
)


def test_mgw001_cover_is_exact_and_never_overlaps() -> None:
    rng = random.Random(3)
    for _ in range(300):
        first = date(2025, 1, 1) + timedelta(days=rng.randrange(700))
        window = Window(first, first + timedelta(days=rng.randrange(500)))
        days: list[date] = []
        for period, bucket in covering_buckets(window):
            span = span_of(period, bucket)
            days.extend(span.first + timedelta(days=n) for n in range(span.days))
        assert days == [window.first + timedelta(days=n) for n in range(window.days)]


def test_mgw002_thirteen_months_need_few_buckets() -> None:
    assert len(covering_buckets(Window(date(2025, 10, 24), date(2026, 11, 24)))) <= 40
    assert covering_buckets(Window(date(2026, 11, 1), date(2026, 11, 30))) == [("month", "2026-11")]
    assert covering_buckets(Window(date(2026, 1, 1), date(2026, 12, 31))) == [("year", "2026")]


def test_mgw003_period_choices_select_their_bucket() -> None:
    anchor = date(2026, 11, 24)
    assert window_of("day", anchor) == Window(anchor, anchor)
    assert window_of("week", anchor) == Window(date(2026, 11, 23), date(2026, 11, 29))
    assert window_of("month", anchor) == Window(date(2026, 11, 1), date(2026, 11, 30))
    assert window_of("custom", anchor, date(2026, 11, 10), date(2026, 11, 1)) == Window(
        date(2026, 11, 1), date(2026, 11, 10)
    )


def test_mgw004_previous_period_is_compared_to_date_while_running() -> None:
    month = window_of("month", date(2026, 11, 24))
    assert previous_window("month", month) == Window(date(2026, 10, 1), date(2026, 10, 31))
    assert previous_window("month", month, today=date(2026, 11, 24)) == Window(
        date(2026, 10, 1), date(2026, 10, 24)
    )
    week = window_of("week", date(2026, 11, 24))
    assert previous_window("week", week, today=date(2026, 11, 24)) == Window(
        date(2026, 11, 16), date(2026, 11, 17)
    )
    assert previous_window("week", week, today=date(2026, 12, 24)) == Window(
        date(2026, 11, 16), date(2026, 11, 22)
    )


def test_mgw005_trend_of_a_day_shows_two_weeks_and_long_ranges_get_coarser_points() -> None:
    current, previous = trend_windows("day", window_of("day", date(2026, 11, 24)))
    assert current == Window(date(2026, 11, 11), date(2026, 11, 24))
    assert previous == Window(date(2026, 10, 28), date(2026, 11, 10))
    assert granularity(Window(date(2026, 1, 1), date(2026, 3, 1))) == "day"
    assert granularity(Window(date(2026, 5, 1), date(2026, 11, 1))) == "week"
    assert granularity(Window(date(2025, 11, 1), date(2026, 11, 24))) == "month"
    assert granularity(Window(date(2024, 11, 1), date(2026, 11, 24))) == "month"
    weekly = trend_points(Window(date(2026, 5, 1), date(2026, 11, 1)))
    assert weekly[0].start == date(2026, 5, 1) and weekly[0].bucket == "2026-W18"
    monthly = trend_points(Window(date(2025, 11, 10), date(2026, 11, 24)))
    assert [p.bucket for p in monthly][:2] == ["2025-11", "2025-12"]


def test_mgw006_filters_survive_the_url(config: Config) -> None:
    today = date(2026, 11, 24)
    filters = parse_filters(
        {
            "metric": "nps",
            "team": "Support",
            "period": "custom",
            "from": "2026-09-01",
            "to": "2026-11-24",
            "view": "ranking",
        },
        config,
        today,
    )
    assert (
        parse_filters(dict(pair.split("=") for pair in to_query(filters)[1:].split("&")), config, today)
        == filters
    )
    assert to_query(filters) == (
        "?metric=nps&period=custom&from=2026-09-01&to=2026-11-24&team=Support&view=ranking"
    )


@pytest.mark.parametrize(
    "query",
    [{"metric": "nope"}, {"period": "fortnight"}, {"date": "yesterday"}, {"view": "<script>"}, {"team": ""}],
)
def test_mgw007_bad_filter_values_fall_back_to_defaults(config: Config, query: dict[str, str]) -> None:
    filters = parse_filters(query, config, date(2026, 11, 24))
    assert filters.metric in config.metrics and filters.period == "week"
    assert filters.anchor == date(2026, 11, 24) and filters.view == "overview" and filters.team is None


def test_mgw008_windows_read_well() -> None:
    assert describe(Window(date(2026, 11, 17), date(2026, 11, 23))) == "17–23 Nov 2026"
    assert describe(Window(date(2026, 10, 28), date(2026, 11, 3))) == "28 Oct – 3 Nov 2026"
    assert describe(Window(date(2026, 11, 24), date(2026, 11, 24))) == "24 Nov 2026"


def test_mgw009_month_to_date_reads_as_the_days_covered_on_both_sides() -> None:
    today = date(2026, 12, 2)
    december = window_of("month", today)
    assert describe_comparison("month", december, today) == "1–2 Dec 2026 vs 1–2 Nov 2026"
    assert describe_comparison("month", window_of("month", date(2026, 11, 5)), today) == (
        "1–30 Nov 2026 vs 1–31 Oct 2026"
    )


def test_mgw010_every_view_words_a_comparison_through_the_same_function(config: Config) -> None:
    filters = parse_filters({"period": "week", "date": "2026-12-01"}, config, date(2026, 12, 2))
    assert filters.comparison == describe_comparison("week", filters.window, date(2026, 12, 2))
    assert filters.comparison == "30 Nov – 2 Dec 2026 vs 23–25 Nov 2026"
    assert describe(filters.shown) == "30 Nov – 2 Dec 2026"


def test_mgw011_a_running_periods_trend_ends_today() -> None:
    today = date(2026, 12, 2)
    current, previous = trend_windows("month", window_of("month", today), today)
    assert current == Window(date(2026, 12, 1), today)
    assert previous == Window(date(2026, 11, 1), date(2026, 11, 2))
    assert to_date(window_of("month", date(2026, 11, 5)), today) == window_of("month", date(2026, 11, 5))
