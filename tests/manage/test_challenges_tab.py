"""The challenges tab of /manage: groups by status, tests marked, a team lead sees only their teams."""

from __future__ import annotations

from datetime import timedelta

from dashboard.layouts.manage.challenges import challenges_tab
from dashboard.services.manage.challenges import challenges_page
from kpi.model.viewer import Viewer
from kpi.read.formatting import challenge_score_text
from kpi.store import RedisStore
from tests.challenges.support import MONDAY, at, make_config, tickets, write

NOW = at(MONDAY + timedelta(days=2), 12)
CONFIG = make_config(
    {"id": "sprint", "kind": "race", "metric": "tickets_solved", "prize": "Pizza"},
    {"id": "trial", "kind": "race", "metric": "tickets_solved", "test": True},
    {"id": "later", "kind": "race", "metric": "tickets_solved", "start": "2026-11-16", "end": "2026-11-20"},
    {"id": "weekly", "kind": "race", "metric": "tickets_solved", "recurring": "weekly"},
)
ADMIN = Viewer("boss", "admin", frozenset())
LEAD = Viewer("lead", "lead", frozenset({"Sales"}))


def _floor(store: RedisStore) -> None:
    events = tickets("ann", MONDAY, 5) + tickets("bob", MONDAY, 3, team="Sales") + tickets("cat", MONDAY, 1)
    write(store, CONFIG, events)


def _text(component: object) -> str:
    if isinstance(component, str):
        return component + " "
    if isinstance(component, (list, tuple)):
        return "".join(_text(c) for c in component)
    children = getattr(component, "children", None)
    return _text(children) if children is not None else ""


def test_an_admin_sees_every_group_and_every_standing(redis_store: RedisStore) -> None:
    _floor(redis_store)
    page = challenges_page(redis_store, CONFIG, ADMIN, NOW)
    assert [c.state.instance.id for c in page.active] == ["sprint", "trial", "weekly:2026-W45"]
    assert [c.state.instance.id for c in page.upcoming] == ["later", "weekly:2026-W46"]
    assert [c.state.instance.id for c in page.ended] == ["weekly:2026-W44"]
    sprint = page.active[0]
    assert [(e.rank, e.id) for e in sprint.standings.entries][:3] == [(1, "ann"), (2, "bob"), (3, "cat")]
    assert page.active[1].test and not sprint.test


def test_a_lead_sees_only_their_teams_with_whole_challenge_ranks(redis_store: RedisStore) -> None:
    _floor(redis_store)
    page = challenges_page(redis_store, CONFIG, LEAD, NOW)
    for card in page.active + page.ended:
        assert all(e.team == "Sales" for e in card.standings.entries)
    sprint = page.active[0]
    assert [(e.rank, e.id) for e in sprint.standings.entries] == [(2, "bob")]


def test_the_tab_marks_tests_and_lists_standings(redis_store: RedisStore) -> None:
    _floor(redis_store)
    text = _text(challenges_tab(challenges_page(redis_store, CONFIG, ADMIN, NOW)))
    assert "Running (3)" in text and "Upcoming (2)" in text and "Ended (1)" in text
    assert "Trial" in text and " test" in text and "prize: Pizza" in text and "Ann" in text


def test_score_words() -> None:
    metric = CONFIG.metric("tickets_solved")
    assert [
        challenge_score_text(s, u, metric) for s, u in ((12.5, "percent"), (30, "points"), (None, "value"))
    ] == [
        "+12.5%",
        "+30",
        "–",
    ]
