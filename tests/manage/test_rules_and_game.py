"""The rules tab's words and effects, and the agent page's game panel data."""

from __future__ import annotations

from datetime import datetime, timezone

from dashboard.services.manage.rules import rule_words, rules_page
from kpi.config import load_config
from kpi.game.points import TypeRule
from kpi.ingest.pipeline import ingest_events
from kpi.model.events import Event
from kpi.model.viewer import Viewer
from kpi.store import MemoryStore

NOW = datetime(2026, 11, 24, 14, tzinfo=timezone.utc)


def _ticket(i: int, team: str, **attributes: object) -> Event:
    return Event.model_validate(
        {
            "source": "zd",
            "id": f"t{i}",
            "type": "ticket_solved",
            "agent_id": f"a{i}",
            "team": team,
            "occurred_at": "2026-11-24T10:00:00+01:00",
            "attributes": attributes,
        }
    )


def test_rule_words_say_each_part_plainly() -> None:
    rule = TypeRule.model_validate(load_config().points.rules["ticket_solved"].model_dump(by_alias=True))
    words = rule_words("ticket_solved", rule)
    assert words["base"].startswith("10 points a ticket solved; × 3 when priority is urgent")
    assert words["penalty:reopened"] == "takes the points back when reopened is yes"
    assert words["bonus:backlog_rescue"] == "+10 when created_at is over 14 days before"


def test_the_page_shows_effects_only_for_teams_the_lead_sees() -> None:
    config, store = load_config(), MemoryStore()
    ingest_events(store, config, [_ticket(1, "Support", priority="urgent"), _ticket(2, "Sales")], now=NOW)
    lead = Viewer("lead", "lead", frozenset({"Support"}))
    page = rules_page(store, config, lead, NOW)
    assert page.teams == ["Support"]
    base = next(r for r in page.rules if (r.event_type, r.part) == ("ticket_solved", "base"))
    assert base.by_team == {"Support": 30.0}
    assert any("Levels" in line for line in page.settings)
    assert len(page.badges) == len(config.achievements)
