"""Each kind of challenge computed from a history in real Redis."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kpi.read.challenges import standings
from kpi.store import RedisStore
from tests.challenges.support import MONDAY, at, event, instance, make_config, tickets, write

FRIDAY = MONDAY + timedelta(days=4)
END = at(MONDAY + timedelta(days=7), 0)


def _places(result) -> dict[str, tuple[int, float | None]]:  # noqa: ANN001
    return {e.id: (e.rank, e.score) for e in result.entries}


def test_race_ranks_by_the_metric_and_ties_share_a_place(redis_store: RedisStore) -> None:
    config = make_config({"id": "sprint", "kind": "race", "metric": "tickets_solved"})
    write(
        redis_store, config, tickets("ann", MONDAY, 5) + tickets("bob", MONDAY, 5) + tickets("cat", FRIDAY, 2)
    )
    result = standings(redis_store, config, instance(config, "sprint"), END)
    assert _places(result) == {"ann": (1, 5.0), "bob": (1, 5.0), "cat": (3, 2.0)}


def test_race_leaves_out_days_outside_the_window(redis_store: RedisStore) -> None:
    config = make_config(
        {
            "id": "sprint",
            "kind": "race",
            "metric": "tickets_solved",
            "start": "2026-11-03",
            "end": "2026-11-05",
        }
    )
    write(
        redis_store,
        config,
        tickets("ann", MONDAY, 9)
        + tickets("ann", MONDAY + timedelta(days=1), 2)
        + tickets("bob", MONDAY + timedelta(days=2), 3),
    )
    result = standings(redis_store, config, instance(config, "sprint"), END)
    assert _places(result) == {"bob": (1, 3.0), "ann": (2, 2.0)}


def test_race_below_minimum_volume_takes_no_place(redis_store: RedisStore) -> None:
    config = make_config({"id": "happy", "kind": "race", "metric": "csat", "min_volume": 3})
    write(
        redis_store,
        config,
        [event("csat_rating", "ann", MONDAY, value=5)]
        + [event("csat_rating", "bob", MONDAY, value=4) for _ in range(3)],
    )
    result = standings(redis_store, config, instance(config, "happy"), END)
    assert _places(result) == {"bob": (1, 4.0), "ann": (0, 5.0)}
    assert result.entry("ann").note == "below minimum volume"


def test_race_on_a_lower_is_better_metric_ranks_the_lowest_first(redis_store: RedisStore) -> None:
    config = make_config({"id": "quick", "kind": "race", "metric": "handle_time"})
    write(
        redis_store,
        config,
        [event("call_handled", "ann", MONDAY, value=300), event("call_handled", "bob", MONDAY, value=200)],
    )
    result = standings(redis_store, config, instance(config, "quick"), END)
    assert _places(result) == {"bob": (1, 200.0), "ann": (2, 300.0)}


def test_participants_filter_keeps_only_the_listed_teams_and_agents(redis_store: RedisStore) -> None:
    config = make_config(
        {
            "id": "s",
            "kind": "race",
            "metric": "tickets_solved",
            "participants": {"teams": ["North"], "agents": ["zed"]},
        }
    )
    write(
        redis_store,
        config,
        tickets("ann", MONDAY, 2, team="North")
        + tickets("bob", MONDAY, 9, team="South")
        + tickets("zed", MONDAY, 1, team="South"),
    )
    assert set(_places(standings(redis_store, config, instance(config, "s"), END))) == {"ann", "zed"}


@pytest.mark.parametrize(("mode", "winner"), [("average", "Small"), ("total", "Big")])
def test_team_vs_team_average_stops_a_larger_team_winning_by_size(
    redis_store: RedisStore, mode: str, winner: str
) -> None:
    config = make_config(
        {
            "id": "tvt",
            "kind": "team_vs_team",
            "metric": "tickets_solved",
            "team_score": mode,
            "participants": {"teams": ["Big", "Small"]},
        }
    )
    big = [t for n in range(4) for t in tickets(f"big{n}", MONDAY, 3, team="Big")]
    small = [t for n in range(2) for t in tickets(f"small{n}", MONDAY, 5, team="Small")]
    write(redis_store, config, big + small)
    result = standings(redis_store, config, instance(config, "tvt"), END)
    assert result.placed()[0].id == winner
    scores = {e.id: (e.score, e.members) for e in result.entries}
    assert scores == (
        {"Big": (3.0, 4), "Small": (5.0, 2)} if mode == "average" else {"Big": (12.0, 4), "Small": (10.0, 2)}
    )


def test_team_vs_team_lists_a_team_without_data_unplaced(redis_store: RedisStore) -> None:
    config = make_config(
        {
            "id": "tvt",
            "kind": "team_vs_team",
            "metric": "tickets_solved",
            "participants": {"teams": ["A", "B"]},
        }
    )
    write(redis_store, config, tickets("ann", MONDAY, 2, team="A"))
    assert _places(standings(redis_store, config, instance(config, "tvt"), END)) == {
        "A": (1, 2.0),
        "B": (0, None),
    }


def test_collaborative_progress_has_a_pace_in_office_hours(redis_store: RedisStore) -> None:
    config = make_config(
        {"id": "together", "kind": "collaborative", "metric": "tickets_solved", "target": 100}
    )
    write(redis_store, config, tickets("ann", MONDAY, 30) + tickets("bob", MONDAY, 10))
    wednesday_noon = at(MONDAY + timedelta(days=2), 12)
    result = standings(redis_store, config, instance(config, "together"), wednesday_noon)
    assert result.progress is not None
    assert (result.progress.value, result.progress.fraction) == (40.0, 0.4)
    assert result.progress.expected == pytest.approx(0.5)
    assert result.progress.status == "behind"
    assert [e.id for e in result.placed()] == ["ann", "bob"]


def test_collaborative_target_reached_is_done(redis_store: RedisStore) -> None:
    config = make_config(
        {
            "id": "together",
            "kind": "collaborative",
            "metric": "tickets_solved",
            "target": 10,
            "participants": {"teams": ["Support"]},
        }
    )
    write(redis_store, config, tickets("ann", MONDAY, 12))
    progress = standings(redis_store, config, instance(config, "together"), at(MONDAY, 12)).progress
    assert progress is not None and progress.status == "done" and progress.reached


def test_personal_best_ranks_by_improvement_on_the_previous_four_weeks(redis_store: RedisStore) -> None:
    config = make_config({"id": "pb", "kind": "personal_best", "metric": "tickets_solved"})
    history = []
    for week in range(1, 5):
        history += tickets("star", MONDAY - timedelta(weeks=week), 20) + tickets(
            "slow", MONDAY - timedelta(weeks=week), 5
        )
    write(redis_store, config, history + tickets("star", MONDAY, 22) + tickets("slow", MONDAY, 10))
    result = standings(redis_store, config, instance(config, "pb"), END)
    assert _places(result) == {"slow": (1, 100.0), "star": (2, 10.0)}
    assert result.entry("slow").baseline == 5.0
    assert result.score_unit == "percent"


def test_personal_best_running_total_compares_with_the_baseline_to_date(redis_store: RedisStore) -> None:
    config = make_config({"id": "pb", "kind": "personal_best", "metric": "tickets_solved"})
    history = [t for week in range(1, 5) for t in tickets("ann", MONDAY - timedelta(weeks=week), 10)]
    write(redis_store, config, history + tickets("ann", MONDAY, 3))
    tuesday_noon = at(MONDAY + timedelta(days=1), 12)
    entry = standings(redis_store, config, instance(config, "pb"), tuesday_noon).entry("ann")
    assert entry is not None and entry.baseline == pytest.approx(10 * 1.5 / 5)
    assert entry.score == pytest.approx(0.0)


def test_personal_best_lower_is_better_counts_a_drop_as_improvement(redis_store: RedisStore) -> None:
    config = make_config({"id": "pb", "kind": "personal_best", "metric": "handle_time"})
    history = [event("call_handled", "ann", MONDAY - timedelta(weeks=1), value=300)]
    write(redis_store, config, history + [event("call_handled", "ann", MONDAY, value=270)])
    assert standings(redis_store, config, instance(config, "pb"), END).entry("ann").score == pytest.approx(
        10.0
    )


def test_personal_best_newcomer_is_measured_against_the_floor_median(redis_store: RedisStore) -> None:
    config = make_config({"id": "pb", "kind": "personal_best", "metric": "tickets_solved"})
    history = [
        t
        for w in range(1, 5)
        for a, n in (("a", 4), ("b", 8))
        for t in tickets(a, MONDAY - timedelta(weeks=w), n)
    ]
    write(
        redis_store,
        config,
        history + tickets("new", MONDAY, 12) + tickets("a", MONDAY, 4) + tickets("b", MONDAY, 8),
    )
    result = standings(redis_store, config, instance(config, "pb"), END)
    new = result.entry("new")
    assert new is not None and (new.rank, new.baseline, new.note) == (1, 6.0, "floor baseline")
    assert new.score == pytest.approx(100.0)


def test_fair_race_ranks_by_percent_of_own_target_with_role_and_fte(redis_store: RedisStore) -> None:
    config = make_config(
        {
            "id": "fair",
            "kind": "fair_race",
            "metric": "tickets_solved",
            "targets": {"default": 100, "roles": {"junior": 50}, "agents": {"boss": 200}},
        },
        people={"jun": {"role": "junior"}, "half": {"fte": 0.5}},
    )
    write(
        redis_store,
        config,
        tickets("full", MONDAY, 80)
        + tickets("jun", MONDAY, 45)
        + tickets("half", MONDAY, 45)
        + tickets("boss", MONDAY, 150),
    )
    result = standings(redis_store, config, instance(config, "fair"), END)
    assert _places(result) == {"jun": (1, 90.0), "half": (1, 90.0), "full": (3, 80.0), "boss": (4, 75.0)}
    assert result.entry("half").target == 50.0


def test_fair_race_prorates_a_mid_period_joiner_from_their_first_event(redis_store: RedisStore) -> None:
    config = make_config(
        {"id": "fair", "kind": "fair_race", "metric": "tickets_solved", "targets": {"default": 100}}
    )
    old = tickets("vet", MONDAY - timedelta(days=14), 1)
    write(
        redis_store, config, old + tickets("vet", MONDAY, 60) + tickets("new", MONDAY + timedelta(days=3), 30)
    )
    result = standings(redis_store, config, instance(config, "fair"), END)
    assert result.entry("new").target == pytest.approx(40.0)
    assert _places(result) == {"new": (1, 75.0), "vet": (2, 60.0)}


def test_fair_race_uses_a_configured_joining_day(redis_store: RedisStore) -> None:
    config = make_config(
        {"id": "fair", "kind": "fair_race", "metric": "tickets_solved", "targets": {"default": 100}},
        people={"new": {"joined": "2026-11-05", "fte": 0.5}},
    )
    write(redis_store, config, tickets("new", MONDAY + timedelta(days=4), 10))
    entry = standings(redis_store, config, instance(config, "fair"), END).entry("new")
    assert entry is not None and entry.target == pytest.approx(100 * 0.5 * 2 / 5)
