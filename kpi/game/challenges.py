"""Challenges as rules: what a challenge is (kind, metric, window, participants) and the floor's roster.

A pure model, validated by the ``challenges:`` section of the config (see `kpi.config.challenges`). Kinds:

* ``race`` — participants ranked by the metric, the best `winners` places win;
* ``team_vs_team`` — two or more teams on the metric, per-agent ``average`` or ``total`` (`team_score`);
* ``collaborative`` — the whole floor (or the listed teams) toward one `target`, with progress and pace;
* ``personal_best`` — each participant against their own baseline (the previous `baseline_weeks` weeks),
  ranked by improvement;
* ``fair_race`` — ranked by percent of each agent's own target (`targets` per agent, per role or a
  default), prorated for a mid-period joiner and by each agent's `fte`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kpi.model.metrics import METRIC_NAME

Kind = Literal["race", "team_vs_team", "collaborative", "personal_best", "fair_race"]
Recurrence = Literal["daily", "weekly", "monthly"]
TeamScore = Literal["average", "total"]
CHALLENGE_ID = r"^[a-z0-9][a-z0-9_-]{0,63}$"


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Participants(_Rule):
    """Who takes part: everyone (both lists empty), some teams' agents, and/or listed agents."""

    teams: tuple[str, ...] = ()
    agents: tuple[str, ...] = ()

    @property
    def everyone(self) -> bool:
        return not self.teams and not self.agents

    def includes(self, agent_id: str, team: str | None) -> bool:
        """True when an agent (with their latest team) takes part."""
        return self.everyone or agent_id in self.agents or (team is not None and team in self.teams)


class Targets(_Rule):
    """A fair race's targets for the whole window at full time: per agent, else per role, else `default`."""

    default: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    roles: dict[str, float] = Field(default_factory=dict)
    agents: dict[str, float] = Field(default_factory=dict)

    @field_validator("roles", "agents")
    @classmethod
    def _positive(cls, value: dict[str, float]) -> dict[str, float]:
        for name, target in value.items():
            if not target > 0:
                raise ValueError(f"{name}: a target must be greater than 0")
        return value

    def of(self, agent_id: str, role: str | None) -> float | None:
        """The full-time target of one agent, or None when none applies."""
        if agent_id in self.agents:
            return self.agents[agent_id]
        if role is not None and role in self.roles:
            return self.roles[role]
        return self.default


class Person(_Rule):
    """What a fair race needs to know of an agent besides their figures."""

    role: str | None = None
    fte: float = Field(default=1.0, gt=0, le=1.5)
    """Share of full time (0.5 for half time): scales the agent's target."""
    joined: date | None = None
    """The first working day; without it, a newcomer's first event in the window counts."""


class LeadChangeRule(_Rule):
    """When a change of leader is celebrated: in the last minutes of a challenge, at most so often."""

    enabled: bool = True
    last_minutes: int = Field(default=60, ge=1, le=1440)
    every_minutes: int = Field(default=15, ge=1, le=1440)
    """At most one lead-change celebration per challenge instance in this many minutes."""


class Challenge(_Rule):
    """One configured challenge (one-off with `start`/`end`, or `recurring`)."""

    id: str = Field(pattern=CHALLENGE_ID)
    title: str = Field(min_length=1, max_length=60)
    kind: Kind
    metric: str = Field(pattern=METRIC_NAME)
    start: date | None = None
    """First day (office time zone); for a recurring challenge, no instance starts before it."""
    end: date | None = None
    """Last day, inclusive; for a recurring challenge, no instance starts after it."""
    recurring: Recurrence | None = None
    participants: Participants = Participants()
    min_volume: int | None = Field(default=None, ge=1)
    """Events needed to be placed (default: the metric's `min_volume`)."""
    prize: str = Field(default="", max_length=120)
    test: bool = False
    """A hidden trial: never on a TV, listed by the API only with ``include_test=true``."""
    winners: int = Field(default=1, ge=1, le=10)
    """Places that win (ties at the last winning place all win)."""
    team_score: TeamScore = "average"
    target: float | None = Field(default=None, allow_inf_nan=False)
    baseline_weeks: int = Field(default=4, ge=1, le=26)
    targets: Targets | None = None
    grace_minutes: int | None = Field(default=None, ge=0, le=10080)
    winners_hours: int | None = Field(default=None, ge=0, le=720)
    lead_change: LeadChangeRule | None = None

    @field_validator("participants", mode="before")
    @classmethod
    def _everyone(cls, value: Any) -> Any:
        if value == "everyone" or value is None:
            return {}
        if isinstance(value, str):
            raise ValueError("write everyone, or {teams: [...]} and/or {agents: [...]}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Challenge:
        if self.recurring is None and (self.start is None or self.end is None):
            raise ValueError(
                "set start and end (dates in the office time zone) or recurring: daily|weekly|monthly"
            )
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        if self.recurring is None and self.end - self.start > timedelta(days=800):  # type: ignore[operator]
            raise ValueError("a challenge lasts at most 800 days")
        if self.kind == "team_vs_team" and len(set(self.participants.teams)) < 2:
            raise ValueError("team_vs_team needs participants.teams with two or more teams")
        if self.kind == "collaborative" and self.target is None:
            raise ValueError("collaborative needs target: the figure the participants reach together")
        if self.kind == "fair_race" and self.targets is None:
            raise ValueError("fair_race needs targets: {default: ..., roles: {...}, agents: {...}}")
        return self


class ChallengeSettings(_Rule):
    """The ``challenges:`` section: defaults, the roster for fair races, and the definitions."""

    grace_minutes: int = Field(default=60, ge=0, le=10080)
    """Late corrections within this time after the end still change the result; then it is fixed."""
    winners_hours: int = Field(default=24, ge=0, le=720)
    """How long a winners' view stays on screens after the result is fixed."""
    lead_change: LeadChangeRule = LeadChangeRule()
    people: dict[str, Person] = Field(default_factory=dict)
    """Agent id → role, fte and joining day (fair races)."""
    definitions: tuple[Challenge, ...] = ()

    @field_validator("definitions")
    @classmethod
    def _unique(cls, value: tuple[Challenge, ...]) -> tuple[Challenge, ...]:
        seen: set[str] = set()
        for index, challenge in enumerate(value):
            if challenge.id in seen:
                raise ValueError(f"{index}.id: {challenge.id!r} is defined twice")
            seen.add(challenge.id)
        return value

    def by_id(self, challenge_id: str) -> Challenge | None:
        return next((c for c in self.definitions if c.id == challenge_id), None)

    def grace(self, challenge: Challenge) -> timedelta:
        return timedelta(
            minutes=self.grace_minutes if challenge.grace_minutes is None else challenge.grace_minutes
        )

    def winners_shown(self, challenge: Challenge) -> timedelta:
        hours = self.winners_hours if challenge.winners_hours is None else challenge.winners_hours
        return timedelta(hours=hours)

    def lead_rule(self, challenge: Challenge) -> LeadChangeRule:
        return challenge.lead_change or self.lead_change
