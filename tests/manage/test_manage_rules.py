"""Rules the manager pages show: one rank rule for chart and card, text sizes, whole-number axes, grid."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Iterator

import pytest

from dashboard.layouts.manage.charts.agent import agent_metrics_figure, agent_ranks_figure, agent_share_figure
from dashboard.layouts.manage.charts.overview import (
    agents_figure,
    distribution_figure,
    teams_figure,
    trend_figure,
)
from dashboard.layouts.manage.charts.satisfaction import responses_figure, score_figure
from dashboard.layouts.manage.charts.style import DAY_MS, TEXT_PX, count_axis, date_axis
from dashboard.layouts.manage.ranking import RANKING_GRID_OPTIONS, ranking_columns
from dashboard.services.manage import overview as data
from dashboard.services.manage.agent import agent_detail
from kpi.config import Config
from kpi.model.contributions import Figures
from kpi.model.viewer import Viewer
from kpi.read.rankings import rank_among
from kpi.read.windows import Window, window_of
from kpi.store import RedisStore

ADMIN = Viewer("ada", "admin", frozenset())
TODAY = date(2026, 11, 24)
MONTH = window_of("month", TODAY)
OCTOBER = Window(date(2026, 10, 1), date(2026, 10, 31))


def test_rank_among_shares_ties_and_leaves_out_small_volumes(manage_config: Config) -> None:
    csat = manage_config.metric("csat")  # a mean, min_volume 5
    team = {
        "a": Figures(count=5, total=25.0),
        "b": Figures(count=6, total=30.0),
        "c": Figures(count=9, total=36.0),
        "d": Figures(count=2, total=10.0),
    }
    assert rank_among(team, "a", csat) == (1, 3)
    assert rank_among(team, "b", csat) == (1, 3)
    assert rank_among(team, "c", csat) == (3, 3)
    assert rank_among(team, "d", csat) == (None, 3)


@pytest.mark.parametrize("agent", ["s1", "s2", "s3", "p1"])
def test_a_days_rank_on_the_chart_equals_that_days_card(
    seeded_store: RedisStore, manage_config: Config, agent: str
) -> None:
    day = date(2026, 11, 23)
    window = Window(day, day)
    detail = agent_detail(seeded_store, manage_config, ADMIN, agent, "day", window, window.shifted_back(1))
    assert detail is not None
    last = detail.series[detail.series["x"] == max(detail.series["x"])].set_index("metric")
    card = detail.summary.set_index("metric")
    assert card["rank"].notna().any()
    for metric in manage_config.metrics:
        assert (last.loc[metric, "rank"], last.loc[metric, "ranked"]) == pytest.approx(
            (card.loc[metric, "rank"], card.loc[metric, "ranked"]), nan_ok=True
        ), metric


def _font_sizes(node: Any, key: str = "") -> Iterator[tuple[str, float]]:
    if isinstance(node, dict):
        if key.endswith("font") and "size" in node:
            yield key, node["size"]
        for child_key, child in node.items():
            yield from _font_sizes(child, child_key)
    elif isinstance(node, list):
        for child in node:
            yield from _font_sizes(child, key)


def _every_manage_figure(store: RedisStore, config: Config) -> list[dict[str, Any]]:
    scope = data.view_scope(store, ADMIN)
    teams = scope.visible_teams
    nps, calls = config.metric("nps"), config.metric("calls_handled")
    ranking = data.full_ranking(store, config, scope, nps.name, MONTH, OCTOBER)
    frame = data.satisfaction(store, config, scope, nps.name, "month", MONTH, TODAY)
    detail = agent_detail(store, config, ADMIN, "s1", "month", MONTH, OCTOBER, today=TODAY)
    assert detail is not None
    return [
        trend_figure(data.team_trend(store, config, scope, calls.name, "month", MONTH, TODAY), calls, teams),
        teams_figure(data.team_values(store, config, scope, nps.name, MONTH), nps, teams),
        agents_figure(ranking[ranking["team"] == "Support"], nps, "Support", teams),
        distribution_figure(ranking, nps, teams),
        score_figure(frame, nps),
        responses_figure(frame, nps),
        agent_metrics_figure(detail.series, config, "#000", detail.active_metrics),
        agent_ranks_figure(detail.series, config, "day"),
        agent_share_figure(detail.summary),
    ]


def test_no_manager_chart_has_text_under_14_px(seeded_store: RedisStore, manage_config: Config) -> None:
    for figure in _every_manage_figure(seeded_store, manage_config):
        layout = figure["layout"]
        assert layout["font"]["size"] >= TEXT_PX
        small = [(key, size) for key, size in _font_sizes(figure) if size < TEXT_PX]
        assert not small, small


def test_count_axes_tick_whole_numbers() -> None:
    small = count_axis(2)
    assert small["dtick"] == 1 and small["tickformat"] == ",d"
    assert "dtick" not in count_axis(400) and count_axis(400)["tickformat"] == ",d"


def test_date_axes_tick_on_whole_days() -> None:
    two_days = date_axis([date(2026, 12, 1), date(2026, 12, 2)])
    month = date_axis([date(2026, 11, 1) + timedelta(days=n) for n in range(30)])
    assert two_days["dtick"] == DAY_MS and "%H" not in two_days["tickformat"]
    assert month["dtick"] % DAY_MS == 0 and month["dtick"] >= DAY_MS
    assert date_axis([date(2026, 1, 1), date(2026, 11, 1)])["dtick"] == "M1"


def test_ranking_grid_page_size_is_one_it_offers(manage_config: Config) -> None:
    assert RANKING_GRID_OPTIONS["paginationPageSize"] in RANKING_GRID_OPTIONS["paginationPageSizeSelector"]


def test_ranking_grid_shows_volume_only_when_it_is_not_the_value(manage_config: Config) -> None:
    fields = {
        m: [c["field"] for c in ranking_columns(manage_config.metric(m))] for m in ("tickets_solved", "csat")
    }
    assert "count" not in fields["tickets_solved"] and "count" in fields["csat"]


def test_ranking_grid_colours_change_and_change_percent_alike(manage_config: Config) -> None:
    columns = {c["field"]: c for c in ranking_columns(manage_config.metric("avg_handle_time"))}
    assert columns["change_pct"]["cellClassRules"] == columns["change"]["cellClassRules"]
    assert columns["change"]["cellClassRules"]["mg-up"] == "params.value < 0"  # lower handle time is better
