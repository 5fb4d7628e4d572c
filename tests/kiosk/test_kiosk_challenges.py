"""The kiosk challenge views' data and drawing: no tests, top N, hidden agents, teams, pace, winners."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dash import html

from dashboard.layouts.kiosk.challenges import board, race, time_left_words
from dashboard.services.kiosk.screen_data import digest
from kpi.config.screens import ChallengeRaceView, ChallengesView, Screen
from kpi.ingest.challenges import settle_challenges
from kpi.model.agents import AgentChoices
from kpi.read.challenge_views import ChallengeView
from kpi.read.kiosk_challenges import ChallengeBoard, challenge_board, challenge_race
from kpi.read.kiosk_views import view_data
from kpi.store import RedisStore
from kpi.store.agent_choices import choices_for
from tests.challenges.support import MONDAY, at, make_config, tickets, write

NOW = at(MONDAY + timedelta(days=2), 12)
END = at(MONDAY + timedelta(days=7), 0)
SCREEN = Screen(top_n=3, views=[{"type": "challenges"}])
CONFIG = make_config(
    {"id": "sprint", "kind": "race", "metric": "tickets_solved", "prize": "Pizza"},
    {"id": "trial", "kind": "race", "metric": "tickets_solved", "test": True},
    {
        "id": "teams",
        "kind": "team_vs_team",
        "metric": "tickets_solved",
        "team_score": "total",
        "participants": {"teams": ["Support", "Sales", "Billing"]},
    },
    {"id": "together", "kind": "collaborative", "metric": "tickets_solved", "target": 100},
)


def _text(component: object) -> str:
    """Every string in a Dash component tree."""
    if isinstance(component, str):
        return component + " "
    if isinstance(component, (list, tuple)):
        return "".join(_text(c) for c in component)
    children = getattr(component, "children", None)
    return _text(children) if children is not None else ""


@pytest.fixture
def floor(redis_store: RedisStore) -> RedisStore:
    events = []
    for index, name in enumerate(["ann", "bob", "cat", "dan", "eve", "fay"]):
        events += tickets(name, MONDAY, 10 - index, team="Support" if index % 2 == 0 else "Sales")
    events += tickets("zed", MONDAY, 1, team="Billing")
    write(redis_store, CONFIG, events)
    return redis_store


def _race(store: RedisStore, challenge: str, now=NOW, **view: object) -> ChallengeView | None:
    return challenge_race(
        store, CONFIG, SCREEN, ChallengeRaceView(type="challenge", challenge=challenge, **view), now
    )


def test_the_screen_config_takes_both_challenge_views() -> None:
    screen = Screen(views=[{"type": "challenge", "challenge": "sprint", "top_n": 5}, {"type": "challenges"}])
    assert [type(v) for v in screen.views] == [ChallengeRaceView, ChallengesView]
    assert screen.top_n_of(screen.views[0]) == 5


def test_a_race_shows_the_top_n_without_hidden_agents(floor: RedisStore) -> None:
    choices_for(floor).save("bob", AgentChoices(hide_from_screens=True))
    data = _race(floor, "sprint")
    assert data is not None and data.prize == "Pizza" and data.status == "active"
    assert [(r.rank, r.name) for r in data.rows] == [(1, "Ann"), (2, "Cat"), (3, "Dan")]
    assert data.seconds_left == int((END - NOW).total_seconds())


def test_the_view_top_n_is_capped_by_the_view(floor: RedisStore) -> None:
    data = _race(floor, "sprint", top_n=2)
    assert data is not None and [r.name for r in data.rows] == ["Ann", "Bob"]


def test_a_test_or_unknown_challenge_never_reaches_a_screen(floor: RedisStore) -> None:
    assert _race(floor, "trial") is None and _race(floor, "nope") is None
    shown = challenge_board(floor, CONFIG, SCREEN, ChallengesView(type="challenges"), NOW)
    assert [v.instance_id for v in shown.views] == ["sprint", "teams", "together"]
    assert all(len(v.rows) <= 3 for v in shown.views if v.scope == "agent")


def test_a_team_race_shows_every_team(floor: RedisStore) -> None:
    data = _race(floor, "teams", top_n=1)
    assert data is not None and data.scope == "team"
    assert [r.name for r in data.rows] == ["Support", "Sales", "Billing"]


def test_a_collaborative_target_has_a_pace(floor: RedisStore) -> None:
    data = _race(floor, "together")
    assert data is not None and data.progress is not None
    assert data.progress.value == 46 and data.progress.expected == pytest.approx(0.5)
    assert "pace" in _text(race("", data))


def test_fixed_winners_stay_for_winners_hours_then_go(floor: RedisStore) -> None:
    fixed_at = END + timedelta(minutes=61)
    settle_challenges(floor, CONFIG, fixed_at)
    data = _race(floor, "sprint", now=fixed_at + timedelta(hours=2))
    assert data is not None and data.status == "final" and [r.name for r in data.winners] == ["Ann"]
    assert "Winners" in _text(race("", data))
    assert _race(floor, "sprint", now=fixed_at + timedelta(hours=25)) is None


def test_view_data_dispatches_the_challenge_views(floor: RedisStore) -> None:
    race_view = ChallengeRaceView(type="challenge", challenge="sprint")
    assert isinstance(view_data(floor, CONFIG, SCREEN, race_view, NOW), ChallengeView)
    board_data = view_data(floor, CONFIG, SCREEN, ChallengesView(type="challenges"), NOW)
    assert isinstance(board_data, ChallengeBoard)


def test_drawing_names_the_leaders_prize_and_time_left(floor: RedisStore) -> None:
    data = _race(floor, "sprint")
    text = _text(race("", data))
    assert "Ann" in text and "Pizza" in text and "4 d 12:00:00 left" in text
    assert isinstance(race("Sprint", None), html.Div)
    shown = challenge_board(floor, CONFIG, SCREEN, ChallengesView(type="challenges"), NOW)
    assert "1 of 3" in _text(board("", shown)) and "Together" in _text(board("", shown))


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "Ending now"),
        (30, "0:30 left"),
        (729, "12:09 left"),
        (7509, "2:05:09 left"),
        (277200, "3 d 05:00:00 left"),
    ],
)
def test_time_left_words(seconds: int, words: str) -> None:
    assert time_left_words(seconds) == words


def _slots(component: html.Div) -> list[html.Div]:
    return [c for c in component.children if "wb-ch-slot" in c.className]


def test_the_board_shows_one_challenge_at_a_time_with_its_place_in_the_rotation(floor: RedisStore) -> None:
    shown = challenge_board(floor, CONFIG, SCREEN, ChallengesView(type="challenges"), NOW)
    slots = _slots(board("", shown))
    assert [_text(s).count(f"{i + 1} of 3") for i, s in enumerate(slots)] == [1, 1, 1]
    assert [s.className for s in slots] == ["wb-ch-slot is-shown", "wb-ch-slot", "wb-ch-slot"]


def test_a_challenges_winners_are_only_in_its_own_slot(floor: RedisStore) -> None:
    settle_challenges(floor, CONFIG, END + timedelta(minutes=61))
    later = END + timedelta(hours=2)
    shown = challenge_board(floor, CONFIG, SCREEN, ChallengesView(type="challenges"), later)
    texts = [_text(s) for s in _slots(board("", shown))]
    assert [v.instance_id for v in shown.views] == ["sprint", "teams", "together"]
    assert "Ann" in texts[0] and "Winners" in texts[0]
    assert "Support" in texts[1] and "Ann" not in texts[1]  # the team race's winners, not the sprint's
    panels = [[getattr(c, "data-challenge", None) for c in _all(s)] for s in _slots(board("", shown))]
    assert [[p for p in each if p] for each in panels] == [["sprint"], ["teams"], ["together"]]


def test_a_running_challenge_sends_its_seconds_left_for_the_tv_to_count_down(floor: RedisStore) -> None:
    data = _race(floor, "sprint")
    assert data is not None
    (left,) = [c for c in _all(race("", data)) if getattr(c, "className", "") == "wb-ch-left"]
    assert getattr(left, "data-left") == str(data.seconds_left)


def test_time_passing_alone_does_not_send_a_challenge_view_again(floor: RedisStore) -> None:
    before, after = _race(floor, "sprint"), _race(floor, "sprint", now=NOW + timedelta(seconds=30))
    assert before is not None and after is not None and before.seconds_left != after.seconds_left
    assert digest(before) == digest(after)


def _all(component: object) -> list[object]:
    children = getattr(component, "children", None)
    if children is None:
        return [component]
    if not isinstance(children, (list, tuple)):
        children = [children]
    return [component] + [c for child in children for c in _all(child)]
