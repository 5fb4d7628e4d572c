"""The kiosks' badges view: the latest awards on the floor, with the screen's privacy rules applied.

Names only of agents not hidden from screens (an award of a hidden agent is left out entirely), never more
than the screen's top N holders per badge, never a test badge, names as the podium shows them (alias,
else name, as initials on an anonymised screen).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kpi.config import Config
from kpi.config.screens import BadgesView, Screen
from kpi.game.levels import level_badge
from kpi.model.agents import Agent
from kpi.model.awards import Award
from kpi.model.periods import local_day
from kpi.read.display_names import hidden_agents, screen_names
from kpi.store.agent_choices import choices_for
from kpi.store.awards import awards_for
from kpi.store.base import Store

READ_RECENT = 500
"""The newest awards read to fill the view (the award book keeps about this many)."""
LEVEL_ICON = "level-up.svg"


@dataclass(frozen=True)
class BadgeRow:
    """One award as a TV shows it."""

    badge: str
    title: str
    icon: str
    holder: str
    team: str | None
    earned_on: date
    when: str


@dataclass(frozen=True)
class BadgeWall:
    """The badges view's rows, newest first."""

    rows: list[BadgeRow]
    days: int
    top_n: int


def when_words(day: date, today: date) -> str:
    """``today``, ``yesterday``, a weekday within the week, else ``3 Nov``."""
    age = (today - day).days
    if age <= 0:
        return "today"
    if age == 1:
        return "yesterday"
    if age < 7:
        return day.strftime("%A")
    return f"{day.day} {day.strftime('%b')}"


def shown_awards(
    awards: list[Award], config: Config, hidden: frozenset[str], top_n: int, since: date, limit: int
) -> list[Award]:
    """The awards the view may show: newest first, no tests or hidden agents, ≤ `top_n` holders a badge."""
    tests = {b.id for b in config.achievements.values() if b.test}
    per_badge: dict[str, set[tuple[str, str]]] = {}
    chosen = []
    for award in sorted(awards, key=lambda a: (a.earned_on, a.found_at), reverse=True):
        if award.test or award.badge in tests or award.earned_on < since:
            continue
        if award.scope == "agent" and award.member in hidden:
            continue
        holders = per_badge.setdefault(award.badge, set())
        if award.subject not in holders and len(holders) >= top_n:
            continue
        holders.add(award.subject)
        chosen.append(award)
        if len(chosen) == limit:
            break
    return chosen


def badge_wall(store: Store, config: Config, screen: Screen, view: BadgesView, now: datetime) -> BadgeWall:
    """The latest awards of the floor as `screen` may show them."""
    top_n = screen.top_n_of(view)
    today = local_day(now, config.zone)
    hidden = hidden_agents(config.agents, choices_for(store).all())
    since = today - timedelta(days=view.days - 1)
    awards = shown_awards(awards_for(store).recent(READ_RECENT), config, hidden, top_n, since, view.rows)
    known = store.agents(sorted({a.member for a in awards if a.scope == "agent"}))
    levels = {level_badge(i) for i in range(len(config.levels.steps))}
    rows = []
    for award, holder in zip(awards, _holders(awards, known, config, screen.name_style)):
        badge = config.achievements.get(award.badge)
        agent = known.get(award.member) if award.scope == "agent" else None
        rows.append(
            BadgeRow(
                badge=award.badge,
                title=badge.name
                if badge
                else (f"Level up: {award.name}" if award.badge in levels else award.name),
                icon=badge.icon if badge else LEVEL_ICON,
                holder=holder,
                team=agent.team if agent else (None if award.scope == "agent" else award.member),
                earned_on=award.earned_on,
                when=when_words(award.earned_on, today),
            )
        )
    return BadgeWall(rows, view.days, top_n)


def _holders(awards: Sequence[Award], known: Mapping[str, Agent], config: Config, style: str) -> list[str]:
    """Who holds each award as the wall shows it: agents named together (`screen_names`), teams as is."""
    people = [(award.member, _name(award.member, known)) for award in awards if award.scope == "agent"]
    names = iter(screen_names(people, config.agents, style))
    return [next(names) if award.scope == "agent" else award.member for award in awards]


def _name(agent_id: str, known: Mapping[str, Agent]) -> str:
    agent = known.get(agent_id)
    return agent.name if agent else agent_id
