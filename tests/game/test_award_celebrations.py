"""Which awards a kiosk celebrates: live, celebrate: true, not a test, not for quiet agents."""

from __future__ import annotations

from datetime import datetime, timezone

from kpi.config import parse_config
from kpi.ingest.award_celebrations import award_celebrations, celebrated
from kpi.model.agents import Agent, AgentChoices
from kpi.model.awards import Award
from tests.game.support import MONDAY

NOW = datetime(2026, 11, 2, 12, tzinfo=timezone.utc)


def _award(member: str = "ann", **kwargs: object) -> Award:
    base = dict(
        badge="five",
        scope="agent",
        member=member,
        occurrence="",
        earned_on=MONDAY,
        found_at=NOW,
        retroactive=False,
        celebrate=True,
        name="Five",
    )
    return Award(**{**base, **kwargs})  # type: ignore[arg-type]


def _agents(spec: dict[str, dict[str, object]]):  # noqa: ANN202
    return parse_config({"agents": spec}, "test").agents


def test_only_live_celebrated_non_test_awards_of_agents_who_may_be_celebrated() -> None:
    agents = _agents({"hid": {"hide_from_screens": True}})
    choices = {"quiet": AgentChoices(celebrate_badges=False), "shy": AgentChoices(hide_from_screens=True)}
    awards = [
        _award("ann"),
        _award("bob", retroactive=True),
        _award("cy", celebrate=False),
        _award("di", test=True),
        _award("hid"),
        _award("quiet"),
        _award("shy"),
    ]
    assert [a.member for a in celebrated(awards, agents, choices)] == ["ann"]


def test_a_level_up_reads_level_up_and_an_alias_replaces_the_name() -> None:
    agents = _agents({"ann": {"alias": "Captain A"}})
    known = {"ann": Agent("ann", "Ann Real", "Support", ""), "bob": Agent("bob", "Bob", "Sales", "")}
    found = award_celebrations(
        [_award("ann"), _award("bob", badge="level-1", name="Pro")], agents, {}, known, NOW
    )
    assert [(c.title, c.kind, c.name, c.is_alias, c.team) for c in found] == [
        ("Five", "badge", "Captain A", True, "Support"),
        ("Level up: Pro", "level", "Bob", False, "Sales"),
    ]


def test_a_team_award_is_celebrated_with_the_team_name() -> None:
    found = award_celebrations([_award("Support", scope="team")], _agents({}), {}, {}, NOW)
    assert [(c.name, c.team, c.agent_id) for c in found] == [("Support", "Support", "")]
