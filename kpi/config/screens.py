"""Kiosk screens from the config: their rotating views, schedules, top N and display keys.

```yaml
screens:
  floor-2:
    title: "Support — Floor 2"
    rotate_seconds: 20
    top_n: 3
    views:
      - {type: leaderboard, metric: tickets_solved, period: week}
      - {type: kpi_tiles, metrics: [tickets_solved, csat], compare: yesterday, seconds: 10}
```
"""

from __future__ import annotations

import hmac
import os
import re
from datetime import datetime, time
from typing import Annotated, Literal, Mapping, Union

from pydantic import AfterValidator, Field, SecretStr, ValidationInfo, field_validator, model_validator

from kpi.config.base import Strict, earlier
from kpi.game.challenges import ChallengeSettings
from kpi.model.contributions import Scope
from kpi.model.periods import Period

DEFAULT_TOP_N = 3
"""The global default of how many places a ranking shows."""
MAX_TOP_N = 10
"""No screen shows more than this many places, whatever the config says."""
SCREEN_NAME = r"^[a-z0-9][a-z0-9_-]{0,63}$"
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Compare = Literal["previous", "yesterday", "last_week", "none"]
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")


class _View(Strict):
    seconds: int | None = Field(default=None, ge=2, le=3600)
    """How long this view stays on screen; the screen's ``rotate_seconds`` when unset."""
    title: str = Field(default="", max_length=80)
    """A heading instead of the generated one."""


class LeaderboardView(_View):
    """A podium of the top N agents (or teams) of one metric in the current bucket of a period."""

    type: Literal["leaderboard"]
    metric: str
    period: Period = "week"
    scope: Scope = "agent"
    top_n: int | None = Field(default=None, ge=1, le=MAX_TOP_N)
    team: str | None = None
    """Rank only this team's agents."""


class TeamGoalsView(_View):
    """Each team's progress toward its goals, with pace."""

    type: Literal["team_goals"]
    period: Period | None = None
    """Only goals of this period (all periods when unset)."""
    teams: list[str] = Field(default_factory=list)
    """Only these teams (all teams with goals when empty)."""


class NpsTrendView(_View):
    """NPS over a window of days: a rolling line over daily points, the shares and the latest figure."""

    type: Literal["nps_trend"]
    metric: str = "nps"
    days: int = Field(default=90, ge=14, le=366)
    rolling_days: int = Field(default=7, ge=1, le=28)


class KpiTilesView(_View):
    """Big numbers of the whole floor, each compared with an earlier bucket."""

    type: Literal["kpi_tiles"]
    metrics: list[str] = Field(min_length=1, max_length=6)
    period: Period = "day"
    compare: Compare = "previous"

    @model_validator(mode="after")
    def _yesterday_is_daily(self) -> KpiTilesView:
        if self.compare == "yesterday" and self.period != "day":
            raise ValueError("compare: yesterday needs period: day (use compare: previous)")
        if self.compare == "last_week" and self.period not in ("day", "week"):
            raise ValueError("compare: last_week needs period: day or week (use compare: previous)")
        return self


class BadgesView(_View):
    """The latest badges and level-ups on the floor: icon, badge, screen name and when."""

    type: Literal["badges"]
    top_n: int | None = Field(default=None, ge=1, le=MAX_TOP_N)
    """At most this many holders shown per badge (the screen's top N when unset)."""
    days: int = Field(default=14, ge=1, le=90)
    """Only awards earned in the last this many days."""
    rows: int = Field(default=8, ge=1, le=12)
    """At most this many awards on screen."""


class ChallengeRaceView(_View):
    """One challenge live: its leaders (never beyond top N; every team of a team race), time left, the
    prize, pace for a collaborative target, and its fixed winners for ``winners_hours`` after it ends."""

    type: Literal["challenge"]
    challenge: str = Field(min_length=1, max_length=64)
    """The challenge's id in the ``challenges:`` section (a test challenge never shows)."""
    top_n: int | None = Field(default=None, ge=1, le=MAX_TOP_N)


class ChallengesView(_View):
    """The running challenges (and fresh winners), the first one as a big panel and the others listed."""

    type: Literal["challenges"]
    top_n: int | None = Field(default=None, ge=1, le=MAX_TOP_N)


View = Annotated[
    Union[
        LeaderboardView,
        TeamGoalsView,
        NpsTrendView,
        KpiTilesView,
        BadgesView,
        ChallengeRaceView,
        ChallengesView,
    ],
    Field(discriminator="type"),
]


class ScheduleWindow(Strict):
    """Other views at some times, e.g. outside opening hours; ``start`` > ``end`` wraps past midnight."""

    days: list[Weekday] = Field(default_factory=lambda: list(WEEKDAYS), min_length=1)
    start: str = "00:00"
    end: str = "24:00"
    views: list[View] = Field(min_length=1)

    @field_validator("start", "end")
    @classmethod
    def _clock(cls, value: str) -> str:
        if not _CLOCK.match(value):
            raise ValueError(
                f"{value!r} is not a time of day; write it like 08:30 (24:00 for the end of the day)"
            )
        return value

    def covers(self, local: datetime) -> bool:
        """True when the office-local moment `local` falls inside this window."""
        if WEEKDAYS[local.weekday()] not in self.days:
            return False
        now, start, end = local.time(), _time_of(self.start), _time_of(self.end)
        if start <= end:
            return start <= now < end
        return now >= start or now < end


def _time_of(text: str) -> time:
    return time.max if text == "24:00" else time.fromisoformat(text)


class Screen(Strict):
    """One TV page at ``/kiosk/<name>``."""

    title: str = Field(default="", max_length=80)
    rotate_seconds: int = Field(default=20, ge=2, le=3600)
    top_n: int | None = Field(default=None, ge=1, le=MAX_TOP_N)
    anonymize: Literal["none", "initials"] = "none"
    names: Literal["first_initial", "full", "alias"] = "first_initial"
    """How agents' real names read: ``Ada L.`` (default), in full, or only aliases (others as initials)."""
    display_key: SecretStr | None = None
    """A key the TV must send as ``?key=``; prefer ``display_key_env`` so the secret stays out of the file."""
    display_key_env: str | None = Field(default=None, pattern=r"^[A-Z_][A-Z0-9_]*$")
    """The environment variable holding the display key."""
    refresh_seconds: int = Field(default=3, ge=1, le=60)
    """How often the TV asks whether the data changed (a cheap check)."""
    stale_seconds: int = Field(default=60, ge=10, le=3600)
    """After this long without fresh data the screen's age turns amber."""
    views: list[View] = Field(min_length=1)
    schedule: list[ScheduleWindow] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_key_source(self) -> Screen:
        if self.display_key is not None and self.display_key_env is not None:
            raise ValueError("set display_key or display_key_env, not both")
        return self

    @property
    def name_style(self) -> str:
        """The style of `kpi.read.display_names.styled` for this screen (``anonymize: initials`` wins)."""
        return "initials" if self.anonymize == "initials" else self.names

    def key_required(self) -> bool:
        return self.display_key is not None or self.display_key_env is not None

    def key_matches(self, given: str | None, env: Mapping[str, str] | None = None) -> bool:
        """True when no key is required, or `given` equals it (compared in constant time).

        A key named by ``display_key_env`` but missing from the environment matches nothing.
        """
        if not self.key_required():
            return True
        env = os.environ if env is None else env
        expected = (
            self.display_key.get_secret_value()
            if self.display_key is not None
            else env.get(self.display_key_env or "", "")
        )
        if not expected or not isinstance(given, str):
            return False
        return hmac.compare_digest(expected.encode(), given.encode())

    def window_at(self, local: datetime) -> int:
        """The index of the schedule window in force at `local`, or -1 for the screen's own views."""
        return next((index for index, window in enumerate(self.schedule) if window.covers(local)), -1)

    def views_at(self, local: datetime) -> list[View]:
        """The views in rotation at the office-local moment `local`."""
        index = self.window_at(local)
        return self.views if index < 0 else self.schedule[index].views

    def seconds_of(self, view: View) -> int:
        return view.seconds or self.rotate_seconds

    def top_n_of(self, view: View) -> int:
        """N for a view: the view's, else the screen's, else the global default; never above `MAX_TOP_N`."""
        chosen = getattr(view, "top_n", None) or self.top_n or DEFAULT_TOP_N
        return max(1, min(chosen, MAX_TOP_N))


def _check_screens(value: dict[str, Screen], info: ValidationInfo) -> dict[str, Screen]:
    metrics = earlier(info, "metrics")
    goals = earlier(info, "goals")
    challenges = earlier(info, "challenges")
    for name, screen in value.items():
        if not re.match(SCREEN_NAME, name):
            raise ValueError(
                f"{name!r}: a screen name is lower-case letters, digits, '-' and '_' "
                f"(it is the URL /kiosk/<name>)"
            )
        groups = [("views", screen.views)] + [
            (f"schedule.{i}.views", w.views) for i, w in enumerate(screen.schedule)
        ]
        for where, views in groups:
            for index, view in enumerate(views):
                problem = _view_problem(view, metrics, goals) or _challenge_problem(view, challenges)
                if problem:
                    raise ValueError(f"{name}.{where}.{index}: {problem}")
    return value


def _view_problem(view: View, metrics: Mapping | None, goals: Mapping | None) -> str | None:
    if metrics is None:
        return None
    named = {
        "leaderboard": [getattr(view, "metric", "")],
        "nps_trend": [getattr(view, "metric", "")],
        "kpi_tiles": list(getattr(view, "metrics", [])),
    }.get(view.type, [])
    for metric in named:
        if metric not in metrics:
            return f"unknown metric {metric!r}; known: {', '.join(sorted(metrics))}"
    if isinstance(view, NpsTrendView) and metrics[view.metric].aggregation != "nps":
        return f"metric {view.metric!r} is not an NPS metric (aggregation: nps)"
    if isinstance(view, TeamGoalsView):
        periods = {
            p for by_metric in (goals or {}).values() for by_period in by_metric.values() for p in by_period
        }
        if not periods or (view.period is not None and view.period not in periods):
            return f"no goals{' for period ' + view.period if view.period else ''} in the goals section"
    return None


def _challenge_problem(view: View, challenges: ChallengeSettings | None) -> str | None:
    """Why a ``challenge`` view cannot show its challenge: unknown, or a hidden trial (``test: true``)."""
    if not isinstance(view, ChallengeRaceView) or challenges is None:
        return None
    found = challenges.by_id(view.challenge)
    if found is None:
        known = ", ".join(c.id for c in challenges.definitions if not c.test) or "none"
        return f"challenge: unknown challenge {view.challenge!r} (known: {known})"
    if found.test:
        return f"challenge: {view.challenge!r} is a test challenge (test: true), which never shows on a TV"
    return None


Screens = Annotated[dict[str, Screen], AfterValidator(_check_screens)]
"""The ``screens:`` section: screen name → screen."""
