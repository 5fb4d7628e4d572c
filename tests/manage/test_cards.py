"""The figure cards at the top of /manage: a change is coloured by whether it is for the better, by the
same rule as the TV's tiles (`Metric.improved`)."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.layouts.manage.cards import overview_cards
from dashboard.services.manage.filters import Filters
from dashboard.services.manage.overview import Summary, ViewScope
from kpi.config import load_config
from kpi.model.viewer import Viewer


def first_card_detail(metric: str, value: float, previous: float) -> tuple[str, str]:
    filters = Filters(metric=metric, period="week", anchor=date(2026, 11, 24), today=date(2026, 11, 24))
    scope = ViewScope(Viewer("ada", "admin", frozenset()), ["Support"])
    cards = overview_cards(filters, load_config().metric(metric), Summary(value, previous, 10, 10), scope, 0)
    detail = cards[0].children[2]
    return detail.children, detail.className


@pytest.mark.parametrize(
    "metric, value, previous, tone",
    [
        ("tickets_solved", 120.0, 100.0, "up"),
        ("tickets_solved", 80.0, 100.0, "down"),
        ("avg_handle_time", 280.0, 300.0, "up"),
        ("avg_handle_time", 320.0, 300.0, "down"),
        ("nps", 12.0, 12.0, ""),
        ("csat", 4.224, 4.216, ""),
    ],
)
def test_a_change_is_coloured_for_the_better_or_the_worse_by_the_metric_s_direction(
    metric: str, value: float, previous: float, tone: str
) -> None:
    _, class_name = first_card_detail(metric, value, previous)
    assert class_name == f"mg-card-detail {tone}".strip()


def test_a_fall_reads_with_one_kind_of_minus_sign() -> None:
    text, _ = first_card_detail("revenue", 987_654_321.0, 1_000_000_000.0)
    assert text == "−€12,345,679 (−1.2%) vs previous"
