"""`/me`'s "My challenges": own place only, never a test challenge, the team's place in a team race."""

from __future__ import annotations

from datetime import timedelta

from dashboard.layouts.me.challenges import challenges_section
from dashboard.services.me_challenges import challenge_lines
from kpi.store import RedisStore
from tests.challenges.support import MONDAY, at, make_config, tickets, write

NOW = at(MONDAY + timedelta(days=2), 12)
CONFIG = make_config(
    {"id": "sprint", "kind": "race", "metric": "tickets_solved", "prize": "Pizza"},
    {"id": "trial", "kind": "race", "metric": "tickets_solved", "test": True},
    {
        "id": "teams",
        "kind": "team_vs_team",
        "metric": "tickets_solved",
        "participants": {"teams": ["Support", "Sales"]},
    },
    {"id": "together", "kind": "collaborative", "metric": "tickets_solved", "target": 100},
)


def _floor(store: RedisStore) -> None:
    events = tickets("ann", MONDAY, 5) + tickets("bob", MONDAY, 3, team="Sales") + tickets("cat", MONDAY, 1)
    write(store, CONFIG, events)


def test_an_agent_sees_their_own_place_and_no_one_else(redis_store: RedisStore) -> None:
    _floor(redis_store)
    lines = challenge_lines(redis_store, CONFIG, "bob", NOW)
    assert [line.title for line in lines] == ["Sprint", "Teams", "Together"]
    sprint = lines[0]
    assert (sprint.place_text, sprint.score_text, sprint.prize) == ("#2 of 3", "Me: 3", "Pizza")
    assert sprint.status_text.startswith("Running")
    assert lines[1].score_text.startswith("My team:")
    assert lines[2].progress_text == "Together: 9 of 100"
    text = repr(lines)
    assert "Ann" not in text and "Cat" not in text and "Trial" not in text


def test_the_section_draws_each_line_or_a_hint(redis_store: RedisStore) -> None:
    _floor(redis_store)
    section = challenges_section(challenge_lines(redis_store, CONFIG, "ann", NOW))
    assert "My challenges" in repr(section) and "#1 of 3" in repr(section)
    assert "No challenge" in repr(challenges_section([]))
