"""The achievements (badges) an admin can configure: one model per kind, each with its plain-words criterion.

Every kind reads figures the store already keeps (a metric's daily counters per agent or team):

- ``milestone``: a lifetime figure reaches a target (Support Master: the 1000th solved ticket). Once.
- ``period_target``: a figure reaches a target within one period (CSAT ≥ 4.8 in a week). Once per period
  with ``repeat: true``, else once ever.
- ``champion``: rank ``top`` or better on a metric when a period closes (Weekly Champion). Once per period.
- ``streak``: a run of working days that each count (≥ 1 solved ticket; a CSAT ≥ 4.5 that day).
- ``every_channel``: every listed channel metric at least once in one period (All-Rounder).
- ``save``: work on a day off (a weekend or a configured holiday) or, with ``after_hours_metric``, outside
  office hours on a working day (Weekend Save). Once per such day.
- ``personal_best``: a period better than every earlier one of your own (Personal Best).
- ``team_goal``: a team meets every goal it has for a period when the period closes (Goal Getters).
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

from kpi.model.contributions import Scope
from kpi.model.metrics import METRIC_NAME
from kpi.model.periods import Period

Group = Literal["quality", "teamwork", "mastery", "consistency"]
GROUPS: tuple[Group, ...] = ("quality", "teamwork", "mastery", "consistency")
BADGE_ID = r"^[a-z][a-z0-9_]*$"
TimedPeriod = Literal["day", "week", "month", "quarter", "year"]


class _Badge(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(default="", pattern=r"^$|" + BADGE_ID)
    name: str = Field(min_length=1, max_length=40)
    criterion: str = Field(min_length=1, max_length=120, pattern=r"^[^\n]*$")
    """What earns it, in one line of plain words."""
    icon: str = Field(pattern=r"^[a-z0-9_-]+\.svg$")
    """A file in ``dashboard/assets/badges/``."""
    group: Group
    celebrate: bool = False
    """Kiosks may celebrate it (only when earned live, never when found over history)."""
    test: bool = False
    """Evaluated and stored, but flagged so that kiosks never show it (visible to managers only)."""
    rewards_volume: bool = False
    """It rewards raw volume or speed; at most a quarter of the built-in badges may."""
    repeat: bool = False
    """Earned again in each period (or run, or day) that qualifies; else once ever."""

    @property
    def scope(self) -> Scope:
        return "agent"

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metrics it reads."""
        return ()


class Milestone(_Badge):
    """A lifetime figure reaches `target` (for a mean or NPS: with at least `min_volume` events)."""

    kind: Literal["milestone"]
    metric: str = Field(pattern=METRIC_NAME)
    target: float = Field(allow_inf_nan=False)
    min_volume: int | None = Field(default=None, ge=1)
    """Events needed before a mean counts; the metric's own min_volume when unset."""
    team: bool = False
    """The team's figure, awarded to the team."""

    @property
    def scope(self) -> Scope:
        return "team" if self.team else "agent"

    @property
    def metrics(self) -> tuple[str, ...]:
        return (self.metric,)


class PeriodTarget(Milestone):
    """A figure within one period reaches `target`."""

    kind: Literal["period_target"]  # type: ignore[assignment]
    period: TimedPeriod = "week"
    repeat: bool = True


class Champion(_Badge):
    """Rank `top` or better on a metric in a closed period; ties share a rank, min_volume applies."""

    kind: Literal["champion"]
    metric: str = Field(pattern=METRIC_NAME)
    period: TimedPeriod = "week"
    top: int = Field(default=1, ge=1, le=10)
    repeat: bool = True

    @property
    def metrics(self) -> tuple[str, ...]:
        return (self.metric,)


class Streak(_Badge):
    """`days` working days in a row on which the day's figure reaches `at_least` (on `min_count` events)."""

    kind: Literal["streak"]
    metric: str = Field(pattern=METRIC_NAME)
    days: int = Field(ge=2, le=366)
    at_least: float = Field(default=1, allow_inf_nan=False)
    """A count's day needs this many; a mean's day needs this value (at most it, when lower is better)."""
    min_count: int = Field(default=1, ge=1)
    repeat: bool = True

    @property
    def metrics(self) -> tuple[str, ...]:
        return (self.metric,)


class EveryChannel(_Badge):
    """Every channel's metric at least once in one period."""

    kind: Literal["every_channel"]
    channels: dict[str, Annotated[str, Field(pattern=METRIC_NAME)]] = Field(min_length=2)
    """Channel name → a metric counting that channel's work (e.g. filtered with ``where: {channel: …}``)."""
    period: TimedPeriod = "month"

    @property
    def metrics(self) -> tuple[str, ...]:
        return tuple(self.channels.values())


class Save(_Badge):
    """An event of the metric on a day off (a weekend day or a configured holiday), or an event of
    `after_hours_metric` on any day.

    Daily figures carry no hour, so work after hours on a working day is counted by a metric of its own:
    the same events with ``outside_office_hours: true`` (see `kpi.model.metrics.Metric`).
    """

    kind: Literal["save"]
    metric: str = Field(pattern=METRIC_NAME)
    after_hours_metric: str | None = Field(default=None, pattern=METRIC_NAME)
    repeat: bool = True

    @property
    def metrics(self) -> tuple[str, ...]:
        return (self.metric,) + ((self.after_hours_metric,) if self.after_hours_metric else ())


class PersonalBest(_Badge):
    """A period better than each earlier one of your own, after `min_history` periods with figures."""

    kind: Literal["personal_best"]
    metric: str = Field(pattern=METRIC_NAME)
    period: Literal["week", "month"] = "week"
    min_history: int = Field(default=4, ge=1)
    repeat: bool = True

    @property
    def metrics(self) -> tuple[str, ...]:
        return (self.metric,)


class TeamGoal(_Badge):
    """The team met every goal it has for `period` when the period closed."""

    kind: Literal["team_goal"]
    period: Period = "week"
    repeat: bool = True

    @property
    def scope(self) -> Scope:
        return "team"


Achievement = Annotated[
    Union[Milestone, PeriodTarget, Champion, Streak, EveryChannel, Save, PersonalBest, TeamGoal],
    Field(discriminator="kind"),
]
"""One configured achievement, keyed by its id under ``achievements:``."""


def volume_share(catalogue: list[Achievement]) -> float:
    """The share of badges that reward raw volume or speed (0 for an empty catalogue)."""
    return sum(a.rewards_volume for a in catalogue) / len(catalogue) if catalogue else 0.0
