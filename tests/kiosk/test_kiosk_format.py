"""How the kiosk writes numbers and draws the NPS chart (issue #3)."""

from __future__ import annotations

from datetime import date, timedelta
from xml.etree import ElementTree

import pytest

from dashboard.layouts.kiosk.chart import BOTTOM, HEIGHT, LABEL_WIDTH, TOP, WIDTH, trend_svg
from kpi.config import load_config
from kpi.read.formatting import change_text, format_value, money
from kpi.read.trends import NpsTrend


@pytest.mark.parametrize(
    "metric, value, text",
    [
        ("revenue", 440950.0, "€441k"),
        ("revenue", 2416050.0, "€2.42M"),
        ("revenue", 9870.0, "€9.87k"),
        ("avg_handle_time", 305.4, "5:05 min"),
        ("csat", 4.2871, "4.29/5"),
        ("nps", 26.9, "+27"),
        ("nps", -0.2, "0"),
        ("tickets_solved", None, "–"),
    ],
)
def test_kfmt001_figures_carry_their_unit(metric: str, value: float | None, text: str) -> None:
    assert str(format_value(value, load_config().metric(metric), compact=True)) == text


def test_kfmt002_amounts_and_changes() -> None:
    assert str(money(15440, "EUR")) == "€15,440" and str(money(900, "NOK")) == "900 kr"
    assert change_text(0.123, False) == "+12%" and change_text(-0.004, False) == "-0.4%"
    assert change_text(4.4, True) == "+4 pts"


def test_kfmt003_the_trend_chart_is_well_formed_svg() -> None:
    days = [date(2026, 9, 1) + timedelta(days=n) for n in range(60)]
    rolling = [None] * 3 + [20.0 + n % 7 for n in range(57)]
    trend = NpsTrend(days, [None, 100.0] + [30.0] * 58, rolling, 7, 25.0, 20.0, 10, 5, 2)
    root = ElementTree.fromstring(trend_svg(trend))
    assert root.tag.endswith("svg") and root.find("{http://www.w3.org/2000/svg}polyline") is not None
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Sep" in labels and "Oct" in labels
    empty = NpsTrend(days, [None] * 60, [None] * 60, 7, None, None, 0, 0, 0)
    assert ElementTree.fromstring(trend_svg(empty)).find("{http://www.w3.org/2000/svg}polyline") is None


def _svg_items(trend: NpsTrend, tag: str) -> list[ElementTree.Element]:
    return list(ElementTree.fromstring(trend_svg(trend)).iter("{http://www.w3.org/2000/svg}" + tag))


def test_kfmt004_the_nps_axis_covers_every_daily_point() -> None:
    days = [date(2026, 9, 1) + timedelta(days=n) for n in range(82)]
    daily = [(-100.0 if n % 11 == 0 else 100.0 if n % 13 == 0 else 30.0) for n in range(82)]
    trend = NpsTrend(days, daily, [30.0] * 82, 7, 30.0, 28.0, 10, 5, 2)
    ys = sorted(float(c.get("cy")) for c in _svg_items(trend, "circle") if c.get("r") == "4")
    assert len(set(ys)) == 3 and ys[0] > TOP - 1 and ys[-1] < HEIGHT - BOTTOM + 1


def test_kfmt005_the_last_month_label_fits_the_chart() -> None:
    days = [date(2026, 9, 3) + timedelta(days=n) for n in range(90)]
    trend = NpsTrend(days, [30.0] * 90, [30.0] * 90, 7, 30.0, 28.0, 10, 5, 2)
    last = [t for t in _svg_items(trend, "text") if t.text == "Dec"][0]
    x = float(last.get("x"))
    assert x <= WIDTH if last.get("text-anchor") == "end" else x + LABEL_WIDTH <= WIDTH
