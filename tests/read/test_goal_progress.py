"""One goal-progress rule for the TV, /manage and the API: totals have a pace, levels are met or not."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from kpi.config import Config, parse_config
from kpi.config.goals import Goal
from kpi.ingest.pipeline import ingest_events
from kpi.model.events import Event
from kpi.read.goal_progress import goal_progress, goals_progress
from kpi.store import RedisStore

NOW = datetime(2026, 11, 25, 13, 0, tzinfo=timezone.utc)
"""A Wednesday, 14:00 in Oslo."""
METRICS = {
    "tickets_solved": {"type": "ticket_solved", "aggregation": "count"},
    "csat": {"type": "csat_rating", "aggregation": "mean", "unit": "/5", "decimals": 2},
    "avg_handle_time": {"type": "call_handled", "aggregation": "mean", "unit": "s", "lower_is_better": True},
    "nps": {"type": "nps_response", "aggregation": "nps"},
}


def _config(**extra: Any) -> Config:
    data: dict[str, Any] = {"timezone": "Europe/Oslo", "metrics": METRICS, **extra}
    return parse_config(data, "test")


def _write(store: RedisStore, config: Config, kind: str, values: list[float], team: str = "Support") -> None:
    events = [
        Event(
            source="t",
            id=f"{kind}-{team}-{n}-{len(values)}",
            type=kind,
            agent_id=f"{team}-a{n % 3}",
            team=team,
            value=value,
            occurred_at=NOW - timedelta(minutes=n % 50),
        )
        for n, value in enumerate(values)
    ]
    ingest_events(store, config, events, now=NOW)


def test_a_running_total_without_events_is_zero_and_behind_the_pace(redis_store: RedisStore) -> None:
    config = _config(office_hours=None)
    progress = goal_progress(redis_store, config, Goal("Support", "tickets_solved", "day", 100), NOW)
    assert (progress.value, progress.fraction, progress.status) == (0.0, 0.0, "behind")
    assert progress.expected == pytest.approx(14 / 24)


def test_a_level_without_events_has_no_data_rather_than_a_status(redis_store: RedisStore) -> None:
    config = _config()
    for metric in ("csat", "avg_handle_time"):
        progress = goal_progress(redis_store, config, Goal("Support", metric, "month", 4.3), NOW)
        assert (progress.value, progress.status, progress.words) == (None, "no_data", "No data yet")


def test_a_mean_has_no_bar_and_no_pace_marker_only_met_or_missed(redis_store: RedisStore) -> None:
    config = _config()
    _write(redis_store, config, "csat_rating", [5, 4, 4, 4])
    progress = goal_progress(redis_store, config, Goal("Support", "csat", "month", 4.3), NOW)
    assert (progress.fraction, progress.expected, progress.running_total) == (None, None, False)
    assert (progress.value, progress.status, progress.words, progress.good) == (
        4.25,
        "missed",
        "Off target",
        False,
    )


def test_lower_is_better_is_met_at_or_below_the_target(redis_store: RedisStore) -> None:
    config = _config()
    _write(redis_store, config, "call_handled", [290, 302], team="Phones")
    goal = Goal("Phones", "avg_handle_time", "month", 300)
    assert goal_progress(redis_store, config, goal, NOW).status == "met"
    _write(redis_store, config, "call_handled", [330], team="Phones")
    assert goal_progress(redis_store, config, goal, NOW).status == "missed"


def test_a_level_reached_at_the_shown_precision_is_met(redis_store: RedisStore) -> None:
    """23 fives and 54 fours average 4.2987, which every screen shows as 4.30: a 4.30 target is met."""
    config = _config()
    _write(redis_store, config, "csat_rating", [5] * 23 + [4] * 54)
    progress = goal_progress(redis_store, config, Goal("Support", "csat", "month", 4.3), NOW)
    assert progress.value == pytest.approx(4.2987, abs=1e-4)
    assert (progress.status, progress.words) == ("met", "Target met")


def test_a_duration_is_compared_in_the_whole_seconds_it_is_shown_in(redis_store: RedisStore) -> None:
    config = _config()
    _write(redis_store, config, "call_handled", [300, 301], team="Phones")
    progress = goal_progress(redis_store, config, Goal("Phones", "avg_handle_time", "month", 300), NOW)
    assert progress.value == 300.5 and progress.status == "met"


def test_pace_counts_office_hours_only(redis_store: RedisStore) -> None:
    """At 14:00 with office hours 08:00–17:00, two thirds of the working day have passed."""
    config = _config(office_hours={"start": "08:00", "end": "17:00"})
    goal = Goal("Support", "tickets_solved", "day", 100)
    _write(redis_store, config, "ticket_solved", [1] * 62)
    progress = goal_progress(redis_store, config, goal, NOW)
    assert progress.expected == pytest.approx(6 / 9)
    assert (progress.fraction, progress.status) == (0.62, "behind")
    _write(redis_store, config, "ticket_solved", [1] * 2)
    assert goal_progress(redis_store, config, goal, NOW).status == "on_track"


def test_a_running_total_past_its_target_is_done_whatever_the_time(redis_store: RedisStore) -> None:
    config = _config()
    _write(redis_store, config, "ticket_solved", [1] * 12)
    progress = goal_progress(redis_store, config, Goal("Support", "tickets_solved", "week", 10), NOW)
    assert (progress.fraction, progress.status, progress.words) == (1.2, "done", "Goal reached")


def test_goals_can_be_chosen_by_period_team_and_metric_in_config_order(redis_store: RedisStore) -> None:
    goals = {
        "Support": {"tickets_solved": {"day": 10, "week": 50}, "csat": {"month": 4.3}},
        "Phones": {"avg_handle_time": {"month": 300}},
    }
    config = _config(goals=goals)
    everything = goals_progress(redis_store, config, NOW)
    assert [(p.goal.team, p.goal.metric, p.goal.period) for p in everything] == [
        ("Support", "tickets_solved", "day"),
        ("Support", "tickets_solved", "week"),
        ("Support", "csat", "month"),
        ("Phones", "avg_handle_time", "month"),
    ]
    assert [p.goal.period for p in goals_progress(redis_store, config, NOW, period="week")] == ["week"]
    assert [p.goal.team for p in goals_progress(redis_store, config, NOW, teams=frozenset({"Phones"}))] == [
        "Phones"
    ]
    chosen = goals_progress(redis_store, config, NOW, metric="tickets_solved", limit=1)
    assert [(p.goal.metric, p.goal.period) for p in chosen] == [("tickets_solved", "day")]


def test_a_past_day_is_measured_in_its_own_bucket_with_the_whole_period_elapsed(
    redis_store: RedisStore,
) -> None:
    config = _config(goals={"Support": {"tickets_solved": {"day": 10}}})
    (progress,) = goals_progress(redis_store, config, NOW, day=date(2026, 11, 20))
    assert (progress.bucket, progress.expected, progress.status) == ("2026-11-20", 1.0, "behind")
