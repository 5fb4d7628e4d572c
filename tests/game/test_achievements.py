"""Every kind of achievement awarded from an event history, once, with its original date."""

from __future__ import annotations

from datetime import timedelta

from kpi.ingest.achievements import evaluate_achievements
from kpi.ingest.pipeline import ingest_events
from kpi.store.awards import awards_for
from kpi.store.base import Store
from tests.game.support import (
    MONDAY,
    at,
    event,
    grounds,
    ingest_and_evaluate,
    make_config,
    tickets,
    working_days,
)

SATURDAY = MONDAY + timedelta(days=5)
NEXT_MONDAY = MONDAY + timedelta(days=7)


def _held(store: Store, scope: str, member: str) -> dict[str, object]:
    return awards_for(store).held([(scope, member)])[(scope, member)]


def test_a_lifetime_milestone_is_dated_the_day_the_target_was_reached(store: Store) -> None:
    config = make_config({"ten": {"kind": "milestone", "metric": "tickets_solved", "target": 10}})
    history = [t for day in working_days(MONDAY, 4) for t in tickets("ann", day, 3)]
    ingest_events(store, config, history)
    awards = evaluate_achievements(store, config, at(NEXT_MONDAY))
    assert grounds(awards) == {("ten", "agent", "ann", "", MONDAY + timedelta(days=3))}
    assert evaluate_achievements(store, config, at(NEXT_MONDAY)) == []


def test_a_period_target_on_a_count_is_earned_once_in_each_period_that_reaches_it(store: Store) -> None:
    config = make_config(
        {"busy": {"kind": "period_target", "metric": "tickets_solved", "target": 4, "period": "day"}}
    )
    history = tickets("ann", MONDAY, 5) + tickets("ann", MONDAY + timedelta(days=1), 3)
    history += tickets("ann", MONDAY + timedelta(days=2), 4)
    awards = ingest_and_evaluate(store, config, history, at(MONDAY + timedelta(days=2), 18))
    assert {a.occurrence for a in awards} == {"2026-11-02", "2026-11-04"}
    assert (
        ingest_and_evaluate(store, config, tickets("ann", MONDAY, 2), at(MONDAY + timedelta(days=2), 19))
        == []
    )
    assert len(_held(store, "agent", "ann")) == 2


def test_a_mean_is_judged_only_when_its_period_has_closed(store: Store) -> None:
    config = make_config(
        {
            "delight": {
                "kind": "period_target",
                "metric": "csat",
                "target": 4.5,
                "period": "week",
                "repeat": True,
            }
        }
    )
    ratings = [event("csat_rating", "ann", MONDAY, value=5), event("csat_rating", "ann", MONDAY, value=4.5)]
    assert ingest_and_evaluate(store, config, ratings, at(MONDAY + timedelta(days=3))) == []
    awards = evaluate_achievements(store, config, at(NEXT_MONDAY, 0))
    assert grounds(awards) == {("delight", "agent", "ann", "2026-W45", SATURDAY + timedelta(days=1))}


def test_weekly_champion_goes_to_the_top_of_the_closed_week_ties_share_it_once_per_week(store: Store) -> None:
    config = make_config({"champ": {"kind": "champion", "metric": "tickets_solved", "period": "week"}})
    week1 = tickets("ann", MONDAY, 5) + tickets("bob", MONDAY, 3)
    week2 = tickets("ann", NEXT_MONDAY, 4) + tickets("bob", NEXT_MONDAY, 4) + tickets("cy", NEXT_MONDAY, 1)
    assert ingest_and_evaluate(store, config, week1, at(MONDAY + timedelta(days=4))) == []
    awards = ingest_and_evaluate(store, config, week2, at(NEXT_MONDAY + timedelta(days=7)), sweep=True)
    assert {(a.member, a.occurrence) for a in awards} == {
        ("ann", "2026-W45"),
        ("ann", "2026-W46"),
        ("bob", "2026-W46"),
    }
    assert all(a.earned_on.weekday() == 6 for a in awards)
    assert evaluate_achievements(store, config, at(NEXT_MONDAY + timedelta(days=8))) == []


def test_a_champion_needs_the_metrics_minimum_volume(store: Store) -> None:
    config = make_config({"best_csat": {"kind": "champion", "metric": "csat", "period": "week"}})
    history = [event("csat_rating", "ann", MONDAY, value=5)]  # one rating: below csat's min_volume of 2
    history += [event("csat_rating", "bob", MONDAY, value=v) for v in (4, 5)]
    awards = ingest_and_evaluate(store, config, history, at(NEXT_MONDAY), sweep=True)
    assert {a.member for a in awards} == {"bob"}


def test_a_streak_counts_working_days_so_weekends_and_holidays_do_not_break_it(store: Store) -> None:
    holiday = NEXT_MONDAY + timedelta(days=1)
    config = make_config(
        {"steady": {"kind": "streak", "metric": "tickets_solved", "days": 6}}, holidays=[holiday.isoformat()]
    )
    days = [d for d in working_days(MONDAY, 9) if d != holiday]
    history = [t for day in days for t in tickets("ann", day)]
    awards = ingest_and_evaluate(store, config, history, at(NEXT_MONDAY + timedelta(days=7)))
    # Mon-Fri of week 1, then (weekend and holiday skipped) the Monday of week 2 is the 6th day.
    assert grounds(awards) == {("steady", "agent", "ann", NEXT_MONDAY.isoformat(), NEXT_MONDAY)}


def test_a_missed_working_day_breaks_a_streak_and_a_new_run_earns_it_again(store: Store) -> None:
    config = make_config({"steady": {"kind": "streak", "metric": "tickets_solved", "days": 3}})
    days = working_days(MONDAY, 10)
    history = [t for day in days if day != days[3] for t in tickets("ann", day)]
    awards = ingest_and_evaluate(store, config, history, at(days[-1] + timedelta(days=3)))
    assert sorted(a.earned_on for a in awards) == [days[2], days[6]]


def test_a_mean_streak_counts_a_day_only_once_it_is_over(store: Store) -> None:
    config = make_config({"stars": {"kind": "streak", "metric": "csat", "days": 2, "at_least": 4.5}})
    history = [event("csat_rating", "ann", day, value=5) for day in working_days(MONDAY, 2)]
    assert ingest_and_evaluate(store, config, history, at(MONDAY + timedelta(days=1), 17)) == []
    awards = evaluate_achievements(store, config, at(MONDAY + timedelta(days=2), 9))
    assert [a.earned_on for a in awards] == [MONDAY + timedelta(days=1)]


def test_every_channel_is_earned_the_day_the_last_channel_came_in(store: Store) -> None:
    config = make_config(
        {
            "rounder": {
                "kind": "every_channel",
                "channels": {"email": "by_email", "chat": "by_chat"},
                "period": "month",
            }
        }
    )
    history = tickets("ann", MONDAY, 2, channel="email") + tickets(
        "ann", MONDAY + timedelta(days=2), 1, channel="chat"
    )
    history += tickets("bob", MONDAY, 3, channel="email")
    awards = ingest_and_evaluate(store, config, history, at(NEXT_MONDAY), sweep=True)
    assert grounds(awards) == {("rounder", "agent", "ann", "2026-11", MONDAY + timedelta(days=2))}


def test_work_on_a_weekend_or_a_holiday_is_a_save(store: Store) -> None:
    holiday = MONDAY + timedelta(days=2)
    config = make_config(
        {"save": {"kind": "save", "metric": "tickets_solved"}}, holidays=[holiday.isoformat()]
    )
    history = tickets("ann", MONDAY) + tickets("ann", holiday) + tickets("ann", SATURDAY, 2)
    awards = ingest_and_evaluate(store, config, history, at(NEXT_MONDAY))
    assert sorted(a.earned_on for a in awards) == [holiday, SATURDAY]


def test_a_personal_best_beats_every_earlier_week_after_enough_history(store: Store) -> None:
    config = make_config({"pb": {"kind": "personal_best", "metric": "tickets_solved", "min_history": 2}})
    per_week = [3, 4, 2, 5, 5, 6]
    history = [t for w, n in enumerate(per_week) for t in tickets("ann", MONDAY + timedelta(weeks=w), n)]
    awards = ingest_and_evaluate(store, config, history, at(MONDAY + timedelta(weeks=7)))
    # Week 3 (2 earlier weeks: best 4) beat with 2? no; week 4 with 5: yes; week 5 ties: no; week 6: yes.
    assert sorted(a.occurrence for a in awards) == ["2026-W48", "2026-W50"]


def test_a_team_achievement_is_held_by_the_team(store: Store) -> None:
    config = make_config(
        {
            "together": {"kind": "milestone", "metric": "tickets_solved", "target": 6, "team": True},
            "goals": {"kind": "team_goal", "period": "week"},
        },
        goals={"Support": {"tickets_solved": {"week": 5}}, "Sales": {"revenue": {"week": 100}}},
    )
    history = tickets("ann", MONDAY, 3) + tickets("bob", MONDAY + timedelta(days=1), 3)
    history += [event("deal_won", "sal", MONDAY, value=50, team="Sales")]
    awards = ingest_and_evaluate(store, config, history, at(NEXT_MONDAY))
    assert grounds(awards) == {
        ("together", "team", "Support", "", MONDAY + timedelta(days=1)),
        ("goals", "team", "Support", "2026-W45", SATURDAY + timedelta(days=1)),
    }
    assert _held(store, "agent", "ann") == {}


def test_a_level_up_is_an_award_dated_the_day_lifetime_points_reached_it(store: Store) -> None:
    config = make_config({})
    history = [
        event("points_earned", "ann", MONDAY, value=60),
        event("points_earned", "ann", SATURDAY, value=50),
    ]
    awards = ingest_and_evaluate(store, config, history, at(NEXT_MONDAY))
    assert [(a.badge, a.name, a.earned_on) for a in awards] == [("level-1", "Pro", SATURDAY)]


def test_an_unconfigured_level_metric_awards_no_level(store: Store) -> None:
    config = make_config({}, levels={"metric": "points"})
    awards = ingest_and_evaluate(
        store, config, [event("points_earned", "ann", MONDAY, value=900)], at(SATURDAY)
    )
    assert awards == []
