"""Each points rule's effect over the last days: points given per rule part (base, bonus, penalty) by team.

Derived, not stored: every live record is scored again, part by part, with the rule set in force on its
day (`kpi.game.points`), so the parts of a record add up to exactly the points its upsert gave. A linked
record (a rating naming its ticket) gives its points to the linked record's team, and nothing while that
record is retracted or its own points were taken back, as the figures do. It is a full scan of the
records: a manager's report, measured in ``bench/manage.py``, never on a TV's path.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kpi.config import Config
from kpi.game.points import RuleBook, TypeRule
from kpi.model.events import Event
from kpi.model.periods import local_day
from kpi.store.base import Store

NO_TEAM = "(no team)"


@dataclass(frozen=True)
class RuleEffect:
    """Points one part of one event type's rule gave one team in the window."""

    event_type: str
    part: str
    """``base`` (base × multipliers × band), ``bonus:<name>`` or ``penalty:<name>``."""
    team: str
    points: float
    events: int


def parts_of(rule: TypeRule, event: Event) -> dict[str, float]:
    """The points of each part of `rule` for `event`; their sum equals `rule.score(event).points`."""
    total = rule.score(event)
    penalties = {f"penalty:{p.name}": -p.points for p in rule.penalties if p.when.holds(event)}
    forfeited = any(p.take_back for p in rule.penalties if p.when.holds(event))
    bonuses = {} if forfeited else {f"bonus:{b.name}": b.points for b in rule.bonuses if b.when.holds(event)}
    base = 0.0 if forfeited else round(total.points - sum(bonuses.values()) - sum(penalties.values()), 3)
    return {"base": base, **bonuses, **penalties}


def rule_effects(store: Store, config: Config, now: datetime, days: int = 30) -> list[RuleEffect]:
    """Points per rule part and team over the last `days` office days (today included), biggest first."""
    book = config.points.rule_book(config.zone)
    if book is None:
        return []
    today = local_day(now, config.zone)
    first = today - timedelta(days=days - 1)
    teams = {a.id: a.team for a in store.agents().values()}
    links: dict[tuple[str, str], tuple[str, date] | None] = {}
    points: dict[tuple[str, str, str], float] = defaultdict(float)
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    for event in store.live_events():
        day = local_day(event.occurred_at, config.zone)
        rules = book.rules_on(day)
        rule = rules.get(event.type) if rules else None
        if rule is None:
            continue
        team = event.team or teams.get(event.agent_id) or NO_TEAM
        if rule.link is not None:
            target = rule.score(event).link
            found = _linked(store, book, event.source, target, teams, links) if target else None
            if found is None:
                continue
            team, day = found
        if not first <= day <= today:
            continue
        for part, value in parts_of(rule, event).items():
            if value:
                points[(event.type, part, team)] += value
                counts[(event.type, part, team)] += 1
    found = [RuleEffect(t, p, team, round(v, 3), counts[(t, p, team)]) for (t, p, team), v in points.items()]
    return sorted(found, key=lambda e: (e.event_type, e.part, -abs(e.points), e.team))


def _linked(
    store: Store,
    book: RuleBook,
    source: str,
    record_id: str,
    teams: dict[str, str | None],
    memo: dict[tuple[str, str], tuple[str, date] | None],
) -> tuple[str, date] | None:
    """The team and day a link's points go to; None while the linked record is gone or took them back."""
    key = (source, record_id)
    if key not in memo:
        stored = store.record(source, record_id)
        memo[key] = None
        if stored is not None and not stored.deleted:
            linked = Event.model_validate_json(stored.event_json)
            score = book.score(linked)
            if score is None or score.linkable:
                team = linked.team or teams.get(linked.agent_id) or NO_TEAM
                memo[key] = (team, local_day(linked.occurred_at, book.zone))
    return memo[key]
