"""The YAML configuration: metrics, time zone and limits, validated before anything starts."""

from __future__ import annotations

from datetime import date, datetime, time
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from kpi.config.achievements import Achievements, named_metrics
from kpi.config.agents import AgentsDisplay, TeamsDisplay
from kpi.config.base import Strict
from kpi.config.celebrations import Celebrations, CelebrationSettings
from kpi.config.challenges import Challenges, ChallengeSettings
from kpi.config.goals import Goals
from kpi.config.points import POINTS_METRIC_SPEC, Points, default_points
from kpi.config.retention import Retention
from kpi.config.screens import Screens
from kpi.config.users import AuthConfig, User
from kpi.game.criteria import WorkCalendar
from kpi.game.levels import LevelSettings
from kpi.model.metrics import METRIC_NAME, Metric
from kpi.model.scoring import POINTS_METRIC, POINTS_TEST_METRIC, PointsScorer
from kpi.model.validation import problems


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file, the key and the problem."""


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class OfficeHours(Strict):
    """When the floor works: goal pace and pro-rata comparisons count only these hours."""

    start: time = time(8, 0)
    end: time = time(17, 0)
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(
        default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"], min_length=1
    )

    @model_validator(mode="after")
    def _ends_after_start(self) -> OfficeHours:
        if self.end <= self.start:
            raise ValueError("end must be after start (e.g. start: '08:00', end: '17:00')")
        return self

    @property
    def weekdays(self) -> frozenset[int]:
        """The working days as `date.weekday()` numbers (Monday is 0)."""
        return frozenset(WEEKDAYS.index(day) for day in self.days)


class ApiLimits(Strict):
    """Limits of the push API."""

    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    max_batch: int = Field(default=10_000, ge=1)


class Config(Strict):
    """Everything read from the YAML file."""

    timezone: str = "UTC"
    office_hours: OfficeHours | None = None
    """Without it, pace assumes work spread evenly over all 24 hours of every day."""
    holidays: list[date] = Field(default_factory=list)
    """Days off besides the weekend (streaks skip them; work on them is a save)."""
    metrics: dict[str, Metric] = Field(min_length=1)
    """The configured metrics, and `points` (added by the config, fed by the points rules)."""
    api: ApiLimits = ApiLimits()
    connectors: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Raw connector settings by name; the connectors package validates their options."""
    users: dict[str, User] = Field(default_factory=dict)
    auth: AuthConfig = AuthConfig()
    agents: AgentsDisplay = Field(default_factory=dict)
    teams: TeamsDisplay = Field(default_factory=dict)
    """Team colours on screens; a team not listed gets a colour of a fixed palette by its name."""
    goals: Goals = Field(default_factory=dict)
    celebrations: Celebrations = CelebrationSettings()
    points: Points = Field(default_factory=default_points)
    achievements: Achievements = Field(default_factory=dict)
    levels: LevelSettings = LevelSettings()
    challenges: Challenges = ChallengeSettings()
    screens: Screens = Field(default_factory=dict)
    """After ``challenges``: a screen's challenge views must name challenges defined there."""
    retention: Retention = Retention()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {value!r} (e.g. Europe/Oslo)") from exc
        return value

    @field_validator("metrics", mode="before")
    @classmethod
    def _name_metrics(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for reserved in (POINTS_METRIC, POINTS_TEST_METRIC):
                if reserved in value:
                    raise ValueError(
                        f"{reserved}: this metric name is reserved for the game's points "
                        "(set how events earn them in the points: section)"
                    )
            named = {
                name: ({**spec, "name": name} if isinstance(spec, dict) else spec)
                for name, spec in value.items()
            }
            return {**named, POINTS_METRIC: {**POINTS_METRIC_SPEC, "name": POINTS_METRIC}} if named else named
        return value

    @field_validator("metrics")
    @classmethod
    def _names_valid(cls, value: dict[str, Metric]) -> dict[str, Metric]:
        for name, metric in value.items():
            if not metric.name:
                raise ValueError(f"metric {name!r}: name must match {METRIC_NAME}")
        return value

    @property
    def retention_days(self) -> int:
        return self.retention.days

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def metrics_by_type(self) -> dict[str, tuple[Metric, ...]]:
        """The metrics that each event type feeds."""
        found: dict[str, list[Metric]] = {}
        for metric in self.metrics.values():
            if metric.name != POINTS_METRIC:
                found.setdefault(metric.type, []).append(metric)
        return {kind: tuple(ms) for kind, ms in found.items()}

    @cached_property
    def points_scorer(self) -> PointsScorer | None:
        """The points rules as a scorer, or None when no rule is configured."""
        return self.points.rule_book(self.zone)

    @cached_property
    def work_calendar(self) -> WorkCalendar:
        """Working days for streaks and saves: the office days (Monday to Friday if unset), less holidays."""
        return WorkCalendar((self.office_hours or OfficeHours()).weekdays, frozenset(self.holidays))

    def outside_office_hours(self, moment: datetime) -> bool:
        """Whether `moment` (office-local) is on a day off, or before or after the office hours of a working
        day (08:00–17:00 when `office_hours` is unset): what an ``outside_office_hours`` metric counts."""
        local = moment.astimezone(self.zone)
        hours = self.office_hours or OfficeHours()
        return not self.work_calendar.working(local.date()) or not hours.start <= local.time() < hours.end

    def metric(self, name: str) -> Metric:
        """The metric called `name`; raise `KeyError` with the known names if there is none."""
        try:
            return self.metrics[name]
        except KeyError:
            raise KeyError(f"unknown metric {name!r}; known: {', '.join(sorted(self.metrics))}") from None


BUILTIN_SECTIONS = ("metrics", "goals", "celebrations", "achievements", "levels", "screens")
"""Sections a file may leave out and get the built-in ones; settings such as the time zone keep their
own defaults (UTC, no office hours) instead of the built-in file's Oslo example."""
METRIC_SECTIONS = ("goals", "achievements", "screens")
"""Built-in sections that name built-in metrics: taken only where those metrics are in force."""


def builtin_data() -> dict[str, Any]:
    """The built-in configuration (kpi/config/default_config.yaml) as decoded YAML, a fresh copy each time."""
    return yaml.safe_load(resources.files("kpi.config").joinpath("default_config.yaml").read_text())


def _named_metrics(section: Any) -> set[str]:
    """Every metric a decoded ``goals:`` or ``screens:`` section names."""
    if not isinstance(section, dict):
        return set()
    found: set[str] = set()
    for value in section.values():
        if isinstance(value, dict):
            found |= set(value) if "views" not in value else set()
            for view in value.get("views") or []:
                if isinstance(view, dict):
                    found |= {view["metric"]} if "metric" in view else set()
                    found |= set(view.get("metrics") or [])
    return found


def _shown_challenges(section: Any) -> set[str]:
    """The ids of the challenges (not tests) a decoded ``challenges:`` section defines."""
    definitions = section.get("definitions") if isinstance(section, dict) else None
    return {
        spec.get("id")
        for spec in definitions or []
        if isinstance(spec, dict) and spec.get("test") is not True
    }


def _fitted_screens(screens: dict[str, Any], challenges: Any) -> dict[str, Any]:
    """The built-in screens without the challenge views the configured `challenges` cannot fill: a
    ``challenge`` view of a challenge not defined (or a test), ``challenges`` views when none is defined;
    a screen left without views is left out."""
    shown = _shown_challenges(challenges)
    fitted = {}
    for name, screen in screens.items():
        views = [
            view
            for view in screen["views"]
            if not (view["type"] == "challenge" and view["challenge"] not in shown)
            and not (view["type"] == "challenges" and not shown)
        ]
        if views:
            fitted[name] = {**screen, "views": views}
    return fitted


def with_builtin_sections(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with each of `BUILTIN_SECTIONS` it leaves out taken from the built-in configuration.

    A file may hold only what it changes (say, one screen). Built-in goals and screens name built-in
    metrics, so with metrics of your own they are taken only when each metric they name is one of yours.
    Built-in screens (taken, or copied unchanged) keep only the challenge views whose challenges the file
    defines: a file without challenges gets them without challenge views.
    """
    merged = dict(data)
    builtin = builtin_data()
    metrics = merged.get("metrics", builtin["metrics"])
    if merged.get("screens") == builtin["screens"]:
        del merged["screens"]  # the built-in screens as such: fitted to the challenges below like them
    for section in BUILTIN_SECTIONS:
        value = builtin[section]
        if section in merged:
            continue
        if section == "screens":
            value = _fitted_screens(value, merged.get("challenges"))
        named = named_metrics(value) if section == "achievements" else _named_metrics(value)
        known = set(metrics) | {POINTS_METRIC} if isinstance(metrics, dict) else set()
        if section in METRIC_SECTIONS and isinstance(metrics, dict) and not named <= known:
            continue
        merged[section] = value
    return merged


def in_force(config: Config) -> dict[str, Any]:
    """The whole configuration in force, defaults included, as YAML-ready data; password hashes hidden."""
    data = config.model_dump(mode="json")
    for user in data.get("users", {}).values():
        if user.get("password_hash"):
            user["password_hash"] = "(set)"
    return data


def parse_config(data: Any, origin: str) -> Config:
    """Validate decoded YAML; raise `ConfigError` naming `origin`, each key path and what is wrong.

    Sections left out take the built-in defaults (see `with_builtin_sections`).
    """
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: the top level must be a mapping of settings")
    try:
        return Config.model_validate(with_builtin_sections(data))
    except ValidationError as exc:
        lines = [f"{origin}: {where}: {message}" for where, message in problems(exc, "(top level)")]
        raise ConfigError("invalid configuration\n  " + "\n  ".join(lines)) from None


def load_config(path: str | Path | None = None) -> Config:
    """Read and validate the YAML file at `path`, or the built-in default when `path` is None."""
    if path is None:
        return parse_config(builtin_data(), "built-in default config")
    origin = str(path)
    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise ConfigError(f"{origin}: cannot read the file: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(f"{origin}:{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    return parse_config(data, origin)
