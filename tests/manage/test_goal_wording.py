"""How the goals tab of ``/manage`` words each goal, without a store."""

from __future__ import annotations

from dashboard.services.manage.goals import GoalProgress, goal_wording, of_team
from kpi.model.metrics import Metric

DEALS = Metric(name="deals", type="deal_won", aggregation="count", label="Deals won")
CSAT = Metric(name="csat", type="rating", aggregation="mean", label="CSAT", unit="/5", decimals=2)
HANDLE = Metric(
    name="aht", type="call", aggregation="mean", label="Handle time", unit="s", lower_is_better=True
)


def _goal(
    metric: Metric, target: float, actual: float, elapsed: float = 0.5, team: str = "Sales"
) -> GoalProgress:
    return GoalProgress(
        team,
        metric.name,
        metric.label,
        "week",
        "2026-W48",
        target,
        actual,
        elapsed,
        metric.lower_is_better,
        metric.aggregation in ("count", "sum"),
    )


def test_mgw001_a_count_ahead_of_its_pace_is_on_pace_with_a_pace_mark() -> None:
    wording = goal_wording(_goal(DEALS, 100, 60, elapsed=0.5), DEALS)
    assert wording.team == "Sales" and wording.what == " · Deals won · week 2026-W48"
    assert wording.figures == "60 of 100 · 60% · on pace"
    assert wording.on_pace and wording.fill_percent == 60.0 and wording.pace_percent == 50.0


def test_mgw002_a_count_behind_its_pace_is_behind_pace() -> None:
    wording = goal_wording(_goal(DEALS, 100, 40, elapsed=0.5), DEALS)
    assert wording.figures == "40 of 100 · 40% · behind pace" and not wording.on_pace


def test_mgw003_a_bar_past_its_target_stays_full() -> None:
    assert goal_wording(_goal(DEALS, 100, 150), DEALS).fill_percent == 100.0


def test_mgw004_a_mean_is_on_or_off_target_without_a_pace_mark() -> None:
    met = goal_wording(_goal(CSAT, 4.3, 4.5), CSAT)
    assert met.figures == "4.50/5 of 4.30/5 · 105% · on target" and met.pace_percent is None
    missed = goal_wording(_goal(CSAT, 4.3, 4.0), CSAT)
    assert missed.figures == "4.00/5 of 4.30/5 · 93% · off target" and not missed.on_pace


def test_mgw005_lower_is_better_is_on_target_at_or_under_it() -> None:
    assert goal_wording(_goal(HANDLE, 300, 280), HANDLE).figures == "280 s of 300 s · 107% · on target"
    assert goal_wording(_goal(HANDLE, 300, 320), HANDLE).figures == "320 s of 300 s · 94% · off target"


def test_mgw006_the_goals_of_the_chosen_team_only() -> None:
    goals = [_goal(DEALS, 10, 5, team="Sales"), _goal(DEALS, 10, 5, team="Support")]
    assert of_team(goals, None) == goals
    assert [g.team for g in of_team(goals, "Support")] == ["Support"]
    assert of_team(goals, "Nobody") == []
