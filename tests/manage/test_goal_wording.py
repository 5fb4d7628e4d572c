"""How the goals tab of ``/manage`` words each goal, without a store: the TV's rule and words."""

from __future__ import annotations

from dashboard.services.manage.goals import goal_wording
from kpi.config.goals import Goal
from kpi.model.metrics import Metric
from kpi.read.goal_progress import GoalProgress

DEALS = Metric(name="deals", type="deal_won", aggregation="count", label="Deals won")
CSAT = Metric(name="csat", type="rating", aggregation="mean", label="CSAT", unit="/5", decimals=2)
HANDLE = Metric(
    name="aht", type="call", aggregation="mean", label="Handle time", unit="s", lower_is_better=True
)


def _running(target: float, value: float, expected: float = 0.5, status: str = "on_track") -> GoalProgress:
    goal = Goal("Sales", DEALS.name, "week", target)
    return GoalProgress(goal, DEALS, "2026-W48", value, value / target, expected, status)  # type: ignore[arg-type]


def _level(metric: Metric, target: float, value: float, status: str) -> GoalProgress:
    goal = Goal("Sales", metric.name, "month", target)
    return GoalProgress(goal, metric, "2026-11", value, None, None, status)  # type: ignore[arg-type]


def test_mgw001_a_count_ahead_of_its_pace_is_on_track_with_a_pace_mark() -> None:
    wording = goal_wording(_running(100, 60, expected=0.5))
    assert wording.team == "Sales" and wording.what == " · Deals won · week 2026-W48"
    assert wording.figures == "60 of 100 · 60% · on track" and wording.status == "On track"
    assert wording.good and wording.fill_percent == 60.0 and wording.pace_percent == 50.0


def test_mgw002_a_count_behind_its_pace_is_behind_pace() -> None:
    wording = goal_wording(_running(100, 40, status="behind"))
    assert wording.figures == "40 of 100 · 40% · behind pace" and not wording.good


def test_mgw003_a_bar_past_its_target_stays_full() -> None:
    assert goal_wording(_running(100, 150, status="done")).fill_percent == 100.0


def test_mgw004_a_mean_is_met_or_off_target_without_a_bar_or_pace_mark() -> None:
    met = goal_wording(_level(CSAT, 4.3, 4.5, "met"))
    assert met.figures == "4.50/5 of 4.30/5 · target met"
    assert (met.fill_percent, met.pace_percent, met.good) == (None, None, True)
    missed = goal_wording(_level(CSAT, 4.3, 4.0, "missed"))
    assert missed.figures == "4.00/5 of 4.30/5 · off target" and not missed.good


def test_mgw005_a_duration_reads_as_minutes_and_seconds_as_on_the_tv() -> None:
    assert goal_wording(_level(HANDLE, 300, 280, "met")).figures == "4:40 min of 5:00 min · target met"
    assert goal_wording(_level(HANDLE, 300, 320, "missed")).figures == "5:20 min of 5:00 min · off target"


def test_mgw006_a_level_without_data_says_so() -> None:
    goal = Goal("Sales", CSAT.name, "month", 4.3)
    wording = goal_wording(GoalProgress(goal, CSAT, "2026-11", None, None, None, "no_data"))
    assert wording.figures == "– of 4.30/5 · no data yet" and not wording.good
