"""What `/me` shows one agent, worded and formatted: points, level, badges, own ranks, rules, choices.

Every figure comes from `kpi.read.agent_summary` (the same as the agent API) and is formatted by
`kpi.read.formatting`. Nothing here names another agent: a rank carries the leader's value only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from dashboard.services.me_badges import BadgeCard, badge_card
from dashboard.services.me_challenges import ChallengeLine, challenge_lines
from kpi.config import Config
from kpi.model.agents import AgentChoices
from kpi.model.scoring import POINTS_METRIC
from kpi.read.agent_summary import OwnRank, own_ranks, summary
from kpi.read.formatting import number_text, value_text
from kpi.read.rules_text import RuleText, badge_rules, level_rules, points_rules
from kpi.store.agent_access import access_for
from kpi.store.agent_choices import choices_for
from kpi.store.awards import awards_for
from kpi.store.base import Store

_THIS = {
    "day": "today",
    "week": "this week",
    "month": "this month",
    "quarter": "this quarter",
    "year": "this year",
}


@dataclass(frozen=True)
class Figure:
    """A labelled figure (``Today`` · ``120``)."""

    label: str
    text: str


@dataclass(frozen=True)
class RankLine:
    """The agent's place on one TV ranking: their rank and value, and the leader's value (no name)."""

    title: str
    rank_text: str
    value_text: str
    leader_text: str


@dataclass(frozen=True)
class LevelLine:
    """The level, the lifetime points and how far to the next level."""

    name: str
    points_text: str
    next_text: str
    ratio: float


@dataclass(frozen=True)
class MePage:
    """Everything `/me` shows one agent."""

    name: str
    points: list[Figure]
    level: LevelLine
    earned: list[BadgeCard]
    available: list[BadgeCard]
    ranks: list[RankLine]
    points_rules: list[RuleText]
    level_rules: list[str]
    badge_rules: list[RuleText]
    choices: AgentChoices
    challenges: list[ChallengeLine] = field(default_factory=list)


def _points_text(config: Config, value: float, *, compact: bool = False) -> str:
    if POINTS_METRIC in config.metrics:
        return value_text(value, config.metric(POINTS_METRIC), compact=compact)
    return number_text(value, 0, compact=compact)


def _level_line(
    config: Config, level_name: str, index: int, points: float, next_at: float | None
) -> LevelLine:
    steps = config.levels.steps
    if next_at is None:
        return LevelLine(level_name, f"{_points_text(config, points)} points", "The top level.", 1.0)
    start = steps[index].at
    ratio = max(0.0, min(1.0, (points - start) / (next_at - start)))
    needed = _points_text(config, max(0.0, next_at - points))
    return LevelLine(
        level_name,
        f"{_points_text(config, points)} points",
        f"{needed} points to {steps[index + 1].name}",
        ratio,
    )


def _rank_line(config: Config, rank: OwnRank) -> RankLine:
    metric = config.metric(rank.metric)
    title = f"{metric.label or metric.name} · {_THIS.get(rank.period, rank.period)}"
    if rank.team:
        title += f" · {rank.team}"
    return RankLine(
        title,
        f"#{rank.rank}" if rank.rank else "Not ranked yet",
        value_text(rank.value, metric),
        value_text(rank.leader_value, metric),
    )


def me_page(store: Store, config: Config, agent_id: str, now: datetime) -> MePage:
    """The whole page for one agent at `now`."""
    mine = summary(store, config, agent_id, now)
    cards = [badge_card(config, b) for b in mine.badges]
    points = mine.points
    return MePage(
        name=mine.name,
        points=[
            Figure(label, _points_text(config, value, compact=True))
            for label, value in (
                ("Today", points.day),
                ("This week", points.week),
                ("This month", points.month),
                ("All time", points.lifetime),
            )
        ],
        level=_level_line(config, mine.level.name, mine.level.index, mine.level.points, mine.level.next_at),
        earned=[c for c in cards if c.earned],
        available=[c for c in cards if not c.earned],
        ranks=[_rank_line(config, r) for r in own_ranks(store, config, agent_id, now)],
        points_rules=points_rules(config),
        level_rules=level_rules(config),
        badge_rules=badge_rules(config),
        choices=choices_for(store).of(agent_id),
        challenges=challenge_lines(store, config, agent_id, now),
    )


def new_awards(store: Store, config: Config, agent_id: str, now: datetime) -> list[str]:
    """Names of the badges and levels the agent earned since their last visit; remembers this visit.

    The first visit shows none (everything earned before is on the page anyway).
    """
    access = access_for(store)
    since = access.last_visit(agent_id)
    access.visited(agent_id, now.timestamp())
    if since is None:
        return []
    agent = store.agents([agent_id]).get(agent_id)
    subjects = [("agent", agent_id)] + ([("team", agent.team)] if agent and agent.team else [])
    held = awards_for(store).held(subjects)  # type: ignore[arg-type]
    fresh = sorted(
        (
            a
            for awards in held.values()
            for a in awards.values()
            if a.found_at.timestamp() > since and not a.test
        ),
        key=lambda a: a.found_at,
    )
    names = []
    for award in fresh:
        badge = config.achievements.get(award.badge)
        if badge is not None and badge.test:
            continue
        names.append(badge.name if badge else award.name or award.badge)
    return names


def save_choices(store: Store, agent_id: str, hide: bool, quiet: bool) -> bool:
    """Keep the agent's choices when they changed (screens then refresh); True when something was saved."""
    wanted = AgentChoices(hide_from_screens=hide, celebrate_badges=not quiet)
    book = choices_for(store)
    if book.of(agent_id) == wanted:
        return False
    book.save(agent_id, wanted)
    return True


def hidden_by_choice(store: Store) -> int:
    """How many agents chose not to appear on TVs (a count for managers, never names)."""
    return sum(1 for c in choices_for(store).all().values() if c.hide_from_screens)
