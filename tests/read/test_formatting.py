"""One formatting of figures for the TV, /manage and /me: units, m:ss durations, decimals, signs."""

from __future__ import annotations

import pytest

from kpi.config import load_config
from kpi.read.formatting import (
    at_shown_precision,
    change_text,
    change_words,
    format_value,
    number_text,
    period_change_text,
)


@pytest.mark.parametrize(
    "metric, value, compact, text",
    [
        ("revenue", 987_654_321.0, True, "€988M"),
        ("revenue", 987_654_321.0, False, "€987,654,321"),
        ("avg_handle_time", 296.4, False, "4:56 min"),
        ("avg_handle_time", 59.6, False, "1:00 min"),
        ("csat", 4.2987, False, "4.30/5"),
        ("nps", -12.4, False, "-12"),
        ("tickets_solved", 0.0, False, "0"),
        ("csat", None, False, "–"),
    ],
)
def test_a_figure_reads_the_same_everywhere(
    metric: str, value: float | None, compact: bool, text: str
) -> None:
    assert str(format_value(value, load_config().metric(metric), compact=compact)) == text


def test_decimals_can_be_asked_for_an_average_per_agent() -> None:
    assert str(format_value(12.345, load_config().metric("tickets_solved"), decimals=1)) == "12.3"


@pytest.mark.parametrize(
    "metric, value, shown",
    [("csat", 4.29871, 4.30), ("avg_handle_time", 300.4, 300.0), ("nps", 29.6, 30.0), ("revenue", 9.4, 9.0)],
)
def test_the_precision_a_status_is_decided_at_is_the_one_on_screen(
    metric: str, value: float, shown: float
) -> None:
    assert at_shown_precision(value, load_config().metric(metric)) == pytest.approx(shown)


@pytest.mark.parametrize(
    "value, text",
    [
        (999.0, "999"),
        (1234.0, "1.23k"),
        (45_600.0, "45.6k"),
        (999_999.0, "1M"),
        (987_000_000.0, "987M"),
        (1_200_000_000.0, "1.2B"),
        (-1_234_567.0, "-1.23M"),
    ],
)
def test_a_compact_figure_keeps_three_significant_digits(value: float, text: str) -> None:
    assert number_text(value, 0, compact=True) == text


@pytest.mark.parametrize("value", [10.0**n for n in range(13)] + [999.5, 99_950.0, 999_949.0, 123_456_789.0])
def test_a_compact_figure_is_at_most_five_characters(value: float) -> None:
    assert len(number_text(value, 0, compact=True)) <= 5


def test_a_long_duration_reads_in_hours_when_compact() -> None:
    assert str(format_value(1e9, load_config().metric("avg_handle_time"), compact=True)) == "278k h"


def test_a_rating_change_reads_in_points_with_its_decimals() -> None:
    assert change_text(0.4, False, 2) == "+0.40 pts"


@pytest.mark.parametrize(
    ("change", "nps", "decimals", "words"),
    [
        (-9.2, True, None, "▼ 9 pts"),
        (0.12, False, None, "▲ 12%"),
        (0.4, False, 2, "▲ 0.40 pts"),
        (0.3, True, None, "= 0 pts"),
    ],
)
def test_a_change_carries_its_sign_in_the_arrow_only(
    change: float, nps: bool, decimals: int | None, words: str
) -> None:
    assert change_words(change, nps, decimals) == words


@pytest.mark.parametrize(
    "metric, value, previous, text",
    [
        ("tickets_solved", 1_234.0, 1_000.0, "+234 (+23.4%) vs previous"),
        ("revenue", 987_654_321.0, 1_000_000_000.0, "−€12,345,679 (−1.2%) vs previous"),
        ("nps", -12.0, 5.0, "−17 pts vs previous"),
        ("avg_handle_time", 296.4, 300.0, "−0:04 min vs previous"),
        ("tickets_solved", 5.0, 0.0, "+5 vs previous"),
        ("csat", None, 4.2, "no figure to compare"),
        ("csat", 4.224, 4.216, "no change vs previous"),
        ("csat", 4.226, 4.214, "+0.02/5 vs previous"),
    ],
)
def test_a_managers_card_writes_a_change_against_the_previous_period(
    metric: str, value: float | None, previous: float, text: str
) -> None:
    assert period_change_text(load_config().metric(metric), value, previous) == text


@pytest.mark.parametrize(
    "metric, change, improved",
    [
        ("tickets_solved", 3.0, True),
        ("tickets_solved", -0.5, False),
        ("avg_handle_time", -4.0, True),
        ("avg_handle_time", 4.0, False),
        ("nps", 0.0, None),
        ("csat", 1e-12, None),
    ],
)
def test_whether_a_change_is_for_the_better_depends_on_the_metric_s_direction(
    metric: str, change: float, improved: bool | None
) -> None:
    assert load_config().metric(metric).improved(change) is improved
