"""What each kiosk view shows, computed over a real Redis (issue #3)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from kiosk_support import NOW, event, make_config

from kpi.config import Config
from kpi.config.screens import LeaderboardView, Screen
from kpi.ingest.pipeline import ingest_events
from kpi.model.periods import current_bucket, elapsed_fraction
from kpi.read.kiosk_views import kpi_tiles, podium, team_goals, view_data
from kpi.read.trends import nps_trend
from kpi.store import RedisStore


def _board(metric: str = "tickets_solved", period: str = "week", **view: object) -> dict:
    return {"type": "leaderboard", "metric": metric, "period": period, **view}


def _config(*views: dict, **sections: object) -> Config:
    screen = {"views": list(views) or [_board()], **sections.pop("screen", {})}
    return make_config(screens={"tv": screen}, **sections)


def _scores(
    store: RedisStore,
    config: Config,
    counts: dict[str, int],
    at: datetime = NOW,
    kind: str = "ticket_solved",
    team: str = "Support",
) -> None:
    events = [event(agent, kind, at=at, team=team) for agent, n in counts.items() for _ in range(n)]
    ingest_events(store, config, events, now=at)


def _podium(store: RedisStore, config: Config, index: int = 0):  # noqa: ANN202 - a Podium
    screen: Screen = config.screens["tv"]
    return podium(store, config, screen, screen.views[index], NOW)


def test_kview001_podium_shows_the_top_n_only(redis_store: RedisStore) -> None:
    config = _config(_board(top_n=3))
    _scores(redis_store, config, {f"a{i:02d}": i + 1 for i in range(12)})
    rows = _podium(redis_store, config).rows
    assert [r.name for r in rows] == ["A11", "A10", "A09"]
    assert [r.rank for r in rows] == [1, 2, 3]


def test_kview002_top_n_is_capped_at_ten_whatever_the_view_object_says(redis_store: RedisStore) -> None:
    config = _config(_board(top_n=10))
    _scores(redis_store, config, {f"a{i:02d}": i + 1 for i in range(15)})
    screen = config.screens["tv"]
    forged = LeaderboardView.model_construct(
        type="leaderboard",
        metric="tickets_solved",
        period="week",
        scope="agent",
        top_n=500,
        team=None,
        seconds=None,
        title="",
    )
    assert len(podium(redis_store, config, screen, forged, NOW).rows) == 10


def test_kview003_hidden_agents_are_removed_before_ranking_and_others_move_up(
    redis_store: RedisStore,
) -> None:
    config = _config(_board(top_n=2), agents={"a3": {"hide_from_screens": True}})
    _scores(redis_store, config, {"a1": 1, "a2": 2, "a3": 5})
    rows = _podium(redis_store, config).rows
    assert [(r.rank, r.name) for r in rows] == [(1, "A2"), (2, "A1")]


def test_kview004_hidden_agents_still_count_in_team_figures(redis_store: RedisStore) -> None:
    config = _config(_board(scope="team"), agents={"a3": {"hide_from_screens": True}})
    _scores(redis_store, config, {"a1": 1, "a3": 5})
    assert [(r.name, r.value) for r in _podium(redis_store, config).rows] == [("Support", 6.0)]


def test_kview005_aliases_replace_names_and_initials_hide_real_names(redis_store: RedisStore) -> None:
    config = _config(_board(), agents={"a1": {"alias": "Captain K"}}, screen={"anonymize": "initials"})
    ingest_events(
        redis_store,
        config,
        [
            event("a1", name="Kari Nordmann"),
            event("a2", name="Ada Lovelace"),
            event("a2", name="Ada Lovelace"),
        ],
        now=NOW,
    )
    assert [r.name for r in _podium(redis_store, config).rows] == ["A. L.", "Captain K"]


def test_kview005b_two_people_of_the_same_short_name_are_told_apart_on_a_podium(
    redis_store: RedisStore,
) -> None:
    config = _config(_board())
    people = [("a1", "Anna Kowalska", 3), ("a2", "Anna Kaminski", 2), ("a3", "Bo Li", 1)]
    events = [event(agent, name=name) for agent, name, count in people for _ in range(count)]
    ingest_events(redis_store, config, events, now=NOW)
    assert [r.name for r in _podium(redis_store, config).rows] == ["Anna Ko.", "Anna Ka.", "Bo L."]


def test_kview006_ties_share_a_place(redis_store: RedisStore) -> None:
    config = _config(_board())
    _scores(redis_store, config, {"a1": 3, "a2": 3, "a3": 1})
    assert [r.rank for r in _podium(redis_store, config).rows] == [1, 1, 3]


def test_kview006b_tied_rows_are_marked_the_same_with_three_or_five_places(redis_store: RedisStore) -> None:
    config = _config(_board(top_n=3), _board(top_n=5))
    _scores(redis_store, config, {"a1": 5, "a2": 3, "a3": 3, "a4": 3, "a5": 1})
    three, five = (_podium(redis_store, config, index).rows for index in (0, 1))
    assert (
        [(r.rank, r.tied) for r in three]
        == [(r.rank, r.tied) for r in five[:3]]
        == [
            (1, False),
            (2, True),
            (2, True),
        ]
    )


def test_kview007_agents_below_min_volume_are_not_ranked(redis_store: RedisStore) -> None:
    config = _config(_board("csat", "month"))
    ratings = [event("few", "csat_rating", value=5) for _ in range(4)]
    ratings += [event("many", "csat_rating", value=3) for _ in range(5)]
    ingest_events(redis_store, config, ratings, now=NOW)
    assert [r.name for r in _podium(redis_store, config).rows] == ["Many"]


def test_kview008_an_empty_bucket_gives_an_empty_podium(redis_store: RedisStore) -> None:
    config = _config(_board())
    _scores(redis_store, config, {"a1": 3}, at=NOW - timedelta(days=14))
    assert _podium(redis_store, config).rows == []


def test_kview009_rank_movement_is_against_the_previous_bucket(
    redis_store: RedisStore, a_week_ago: datetime
) -> None:
    config = _config(_board(top_n=3))
    _scores(redis_store, config, {"a1": 5, "a2": 4, "a3": 3}, at=a_week_ago)
    _scores(redis_store, config, {"a3": 9, "a1": 8, "new": 7})
    rows = _podium(redis_store, config).rows
    assert [(r.name, r.movement, r.new) for r in rows] == [
        ("A3", 2, False),
        ("A1", -1, False),
        ("New", None, True),
    ]


def test_kview010_previous_ranks_ignore_hidden_agents_too(
    redis_store: RedisStore, a_week_ago: datetime
) -> None:
    config = _config(_board(top_n=1), agents={"boss": {"hide_from_screens": True}})
    _scores(redis_store, config, {"boss": 9, "a1": 5}, at=a_week_ago)
    _scores(redis_store, config, {"a1": 1})
    assert _podium(redis_store, config).rows[0].movement == 0


def test_kview011_goal_pace_is_expected_by_now_from_the_elapsed_fraction(redis_store: RedisStore) -> None:
    config = _config(
        {"type": "team_goals", "period": "day"},
        goals={"Support": {"tickets_solved": {"day": 100}}, "Phones": {"calls_handled": {"day": 10}}},
        office_hours=None,
    )
    _scores(redis_store, config, {"a1": 40})
    _scores(redis_store, config, {"p1": 2}, kind="call_handled", team="Phones")
    support, phones = team_goals(redis_store, config, config.screens["tv"].views[0], NOW)
    expected = elapsed_fraction("day", current_bucket("day", NOW, config.zone), NOW, config.zone)
    assert support.expected == pytest.approx(expected) and 0.55 < expected < 0.6
    assert (support.value, support.fraction, support.status) == (40, 0.4, "behind")
    assert (phones.fraction, phones.status) == (0.2, "behind")
    _scores(redis_store, config, {"a1": 20})
    assert team_goals(redis_store, config, config.screens["tv"].views[0], NOW)[0].status == "on_track"
    _scores(redis_store, config, {"a1": 40})
    assert team_goals(redis_store, config, config.screens["tv"].views[0], NOW)[0].status == "done"


def test_kview012_level_goals_are_met_or_missed_lower_is_better_inverted(redis_store: RedisStore) -> None:
    config = _config({"type": "team_goals"}, goals={"Phones": {"avg_handle_time": {"month": 300}}})
    calls = [event(f"p{i}", "call_handled", value=240, team="Phones") for i in range(10)]
    ingest_events(redis_store, config, calls, now=NOW)
    (progress,) = team_goals(redis_store, config, config.screens["tv"].views[0], NOW)
    assert (progress.expected, progress.fraction, progress.status) == (None, None, "met")


def test_kview013_tiles_compare_counts_pro_rata_and_means_directly(redis_store: RedisStore) -> None:
    config = _config(
        {"type": "kpi_tiles", "metrics": ["tickets_solved", "avg_handle_time"], "compare": "yesterday"}
    )
    yesterday = NOW - timedelta(days=1)
    _scores(redis_store, config, {"a1": 100}, at=yesterday)
    _scores(redis_store, config, {"a1": 70})
    ingest_events(
        redis_store,
        config,
        [event("p1", "call_handled", value=300, team="Phones", at=yesterday)]
        + [event("p1", "call_handled", value=200, team="Phones")],
        now=NOW,
    )
    tickets, handle = kpi_tiles(redis_store, config, config.screens["tv"].views[0], NOW)
    fraction = elapsed_fraction(
        "day", current_bucket("day", NOW, config.zone), NOW, config.zone, config.office_hours
    )
    assert tickets.paced and tickets.reference == pytest.approx(100 * fraction)
    assert tickets.change == pytest.approx(70 / (100 * fraction) - 1) and tickets.better is True
    assert tickets.compared_with == "yesterday"
    assert not handle.paced and handle.change == pytest.approx(-1 / 3) and handle.better is True


def test_kview013b_a_change_that_reads_as_nothing_is_neither_good_nor_bad_news(
    redis_store: RedisStore,
) -> None:
    """300.1 s against 300 s is a change of 0.03 %: the tile says "= 0.0%", so it is not coloured as good."""
    config = _config({"type": "kpi_tiles", "metrics": ["avg_handle_time"], "compare": "yesterday"})
    yesterday = NOW - timedelta(days=1)
    calls = [event("p1", "call_handled", value=300, team="Phones", at=yesterday)]
    calls += [event("p1", "call_handled", value=300.1, team="Phones")]
    ingest_events(redis_store, config, calls, now=NOW)
    (handle,) = kpi_tiles(redis_store, config, config.screens["tv"].views[0], NOW)
    assert handle.change == pytest.approx(0.1 / 300)
    assert handle.change_words() == "= 0.0%" and handle.better is None


def test_kview014_nps_tile_change_is_in_points(redis_store: RedisStore, a_week_ago: datetime) -> None:
    config = _config({"type": "kpi_tiles", "metrics": ["nps"], "period": "week"})
    answers = [event("a", "nps_response", value=v, at=a_week_ago) for v in (10, 10, 0, 8, 8)]
    answers += [event("a", "nps_response", value=v) for v in (10, 10, 10, 8, 0)]
    ingest_events(redis_store, config, answers, now=NOW)
    (tile,) = kpi_tiles(redis_store, config, config.screens["tv"].views[0], NOW)
    assert (tile.value, tile.reference, tile.change, tile.better) == (40.0, 20.0, 20.0, True)


def test_kview015_nps_trend_has_daily_points_and_a_rolling_line(redis_store: RedisStore) -> None:
    config = _config({"type": "nps_trend", "days": 14, "rolling_days": 7})
    answers = []
    for back in range(14):
        day = NOW - timedelta(days=back)
        score = 10 if back < 7 else 0
        answers += [event(f"a{back}", "nps_response", value=score, at=day) for _ in range(5)]
    answers.append(event("late", "nps_response", value=0, at=NOW))
    ingest_events(redis_store, config, answers, now=NOW)
    trend = nps_trend(redis_store, config, config.screens["tv"].views[0], NOW)
    assert len(trend.days) == len(trend.daily) == len(trend.rolling) == 14
    assert trend.daily[0] == -100 and trend.daily[-1] == pytest.approx(100 * 4 / 6)
    assert trend.rolling[6] == -100
    assert trend.latest == pytest.approx((35 - 1) * 100 / 36)
    assert trend.previous == -100
    assert (trend.promoters, trend.passives, trend.detractors) == (35, 0, 1)


def test_kview016_view_data_dispatches_on_the_view_type(redis_store: RedisStore) -> None:
    config = make_config()
    for screen in config.screens.values():
        for view in screen.views:
            assert view_data(redis_store, config, screen, view, NOW) is not None


def test_kview017_previous_ranks_skip_low_volumes_and_share_tied_places(
    redis_store: RedisStore, a_week_ago: datetime
) -> None:
    config = _config(_board("csat", "week", top_n=3))
    before = [event("few", "csat_rating", value=5, at=a_week_ago) for _ in range(4)]
    before += [event(who, "csat_rating", value=4, at=a_week_ago) for who in ("x", "y") for _ in range(5)]
    before += [event("z", "csat_rating", value=3, at=a_week_ago) for _ in range(5)]
    now = [
        event(who, "csat_rating", value=score)
        for who, score in (("z", 5), ("x", 4), ("y", 3))
        for _ in range(5)
    ]
    ingest_events(redis_store, config, before + now, now=NOW)
    rows = _podium(redis_store, config).rows
    assert [(r.name, r.rank, r.movement) for r in rows] == [("Z", 1, 2), ("X", 2, -1), ("Y", 3, -2)]


def test_kview018_a_team_leaderboard_ranks_only_that_teams_agents(
    redis_store: RedisStore, a_week_ago: datetime
) -> None:
    config = _config(_board(team="Phones"))
    _scores(redis_store, config, {"s1": 9}, team="Support")
    _scores(redis_store, config, {"p1": 2, "p2": 3}, team="Phones", at=a_week_ago)
    _scores(redis_store, config, {"p1": 4, "p2": 1}, team="Phones")
    rows = _podium(redis_store, config).rows
    assert [(r.name, r.rank, r.movement) for r in rows] == [("P1", 1, 1), ("P2", 2, -1)]


def test_kview100_goal_pace_counts_office_hours_only_when_configured(redis_store: RedisStore) -> None:
    """At 14:00 in Oslo with office hours 08:00–17:00, two thirds of the working day have passed."""
    config = _config(
        {"type": "team_goals", "period": "day"},
        goals={"Support": {"tickets_solved": {"day": 100}}},
        office_hours={"start": "08:00", "end": "17:00"},
    )
    _scores(redis_store, config, {"a1": 60})
    (support,) = team_goals(redis_store, config, config.screens["tv"].views[0], NOW)
    assert support.expected == pytest.approx(6 / 9)
    assert support.status == "behind"


def test_kview016_a_csat_tile_changes_by_points(redis_store: RedisStore, a_week_ago: datetime) -> None:
    config = _config({"type": "kpi_tiles", "metrics": ["csat"], "period": "week"})
    ratings = [event("a", "csat_rating", value=4, at=a_week_ago) for _ in range(5)]
    ratings += [event("a", "csat_rating", value=v) for v in (5, 5, 4, 4, 4)]
    ingest_events(redis_store, config, ratings, now=NOW)
    (tile,) = kpi_tiles(redis_store, config, config.screens["tv"].views[0], NOW)
    assert tile.change == pytest.approx(0.4)
