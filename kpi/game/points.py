"""Points rules and the pure function that scores an event with them.

A rule set maps event types to a `TypeRule`:

    points = base × Π multipliers[attribute][value] × band(value) + Σ bonuses − Σ penalties

A matching penalty with ``take_back: true`` forfeits the base and the bonuses (only penalties remain), and
records that link to this one (a rating naming its ticket) earn nothing while it stands.

Test mode: a rule with ``test: true`` (or a bonus or penalty with it) is scored into `test_points`, which
feed the ``points_test`` board shown in /manage only, never into ``points``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kpi.model.events import VALUE_DECIMALS, Event
from kpi.model.periods import local_day
from kpi.model.scoring import PointsScore

Scalar = str | int | float | bool
Factor = Annotated[float, Field(ge=0, le=1000, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    """A test of one attribute (or of the event's value when `attribute` is left out).

    Exactly one of `equals`, `in`, `at_least`, `at_most`, `older_than_days` is given; `older_than_days`
    reads the attribute as an RFC 3339 time and compares it with the event's `occurred_at`.
    """

    attribute: str | None = Field(default=None, min_length=1)
    equals: Scalar | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in", min_length=1)
    at_least: float | None = Field(default=None, allow_inf_nan=False)
    at_most: float | None = Field(default=None, allow_inf_nan=False)
    older_than_days: float | None = Field(default=None, ge=0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        given = [
            name
            for name in ("equals", "in_", "at_least", "at_most", "older_than_days")
            if getattr(self, name) is not None
        ]
        if len(given) != 1:
            raise ValueError("give exactly one of equals, in, at_least, at_most, older_than_days")
        if self.older_than_days is not None and self.attribute is None:
            raise ValueError("older_than_days needs an attribute holding a time (e.g. created_at)")
        return self

    def holds(self, event: Event) -> bool:
        subject: Any = event.value if self.attribute is None else event.attributes.get(self.attribute)
        if subject is None:
            return False
        if self.equals is not None:
            return _text(subject) == _text(self.equals)
        if self.in_ is not None:
            return _text(subject) in {_text(item) for item in self.in_}
        if self.older_than_days is not None:
            started = _moment(subject)
            return started is not None and event.occurred_at - started >= timedelta(days=self.older_than_days)
        number = _number(subject)
        if number is None:
            return False
        if self.at_least is not None:
            return number >= self.at_least
        return number <= (self.at_most or 0.0)


class Bonus(_Strict):
    """Points added when `when` holds."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    when: Condition
    points: float = Field(gt=0, le=1e6, allow_inf_nan=False)
    test: bool = False
    """Scored into ``points_test`` only (a trial before it counts)."""


class Penalty(_Strict):
    """Points taken when `when` holds; with `take_back`, the event's base and bonuses are forfeited too."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    when: Condition
    points: float = Field(default=0, ge=0, le=1e6, allow_inf_nan=False)
    take_back: bool = False
    test: bool = False
    """Scored into ``points_test`` only (a trial before it counts)."""

    @model_validator(mode="after")
    def _does_something(self) -> Penalty:
        if not self.points and not self.take_back:
            raise ValueError("a penalty needs points > 0 or take_back: true")
        if self.test and self.take_back:
            raise ValueError("take_back cannot be tried in test mode (mark the whole rule test: true)")
        return self


class Band(_Strict):
    """A factor for event values from `from` up (deal size); the band with the greatest `from` applies."""

    from_: float = Field(alias="from", ge=0, allow_inf_nan=False)
    factor: Factor


class LinkRule(_Strict):
    """The event's points go to another record of the same source, named by an attribute."""

    attribute: str = Field(min_length=1)
    """The attribute holding the other record's id (e.g. ``ticket_id``)."""
    id_prefix: str = ""
    """Put before the attribute's value to make the record id (e.g. ``ticket:`` for Zendesk)."""


class TypeRule(_Strict):
    """How events of one type earn points."""

    base: float = Field(default=0, ge=0, le=1e6, allow_inf_nan=False)
    multipliers: dict[str, dict[str, Factor]] = Field(default_factory=dict)
    """attribute → attribute value → factor; a missing attribute or an unlisted value counts as 1."""
    bands: list[Band] = Field(default_factory=list)
    bonuses: list[Bonus] = Field(default_factory=list)
    penalties: list[Penalty] = Field(default_factory=list)
    link: LinkRule | None = None
    test: bool = False
    """The whole rule is scored into ``points_test`` only, and its take-backs never unlink other records."""

    @model_validator(mode="after")
    def _sane(self) -> TypeRule:
        starts = [band.from_ for band in self.bands]
        if starts != sorted(set(starts)):
            raise ValueError("bands: each band's 'from' must be greater than the one before")
        names = [rule.name for rule in [*self.bonuses, *self.penalties]]
        if len(names) != len(set(names)):
            raise ValueError("bonuses and penalties: each name may be used once per type")
        return self

    def score(self, event: Event) -> PointsScore:
        """The points of one live event of this type (pure: the event alone decides)."""
        factor = 1.0
        for attribute, factors in self.multipliers.items():
            value = event.attributes.get(attribute)
            if value is not None:
                factor *= factors.get(_text(value), 1.0)
        band = next((b for b in reversed(self.bands) if event.value >= b.from_), None) if self.bands else None
        if band is not None:
            factor *= band.factor
        bonuses = [b for b in self.bonuses if b.when.holds(event)]
        penalties = [p for p in self.penalties if p.when.holds(event)]
        forfeited = any(p.take_back for p in penalties)
        earned = 0.0 if forfeited else self.base * factor + sum(b.points for b in bonuses if not b.test)
        points = earned - sum(p.points for p in penalties if not p.test)
        trial = (0.0 if forfeited else sum(b.points for b in bonuses if b.test)) - sum(
            p.points for p in penalties if p.test
        )
        parts = self._parts(factor, bonuses, penalties, forfeited)
        if self.test:
            return PointsScore(0.0, self._target(event), True, round(points + trial, VALUE_DECIMALS), parts)
        return PointsScore(
            round(points, VALUE_DECIMALS),
            self._target(event),
            not forfeited,
            round(trial, VALUE_DECIMALS),
            parts,
        )

    def signature(self, event: Event) -> tuple[object, ...]:
        """Everything `score` reads of `event` (attribute values as compared, the band, which bonuses and
        penalties hold, the link target): two events with the same signature score the same."""
        return (
            tuple(_text(v) if (v := event.attributes.get(a)) is not None else None for a in self.multipliers),
            sum(1 for band in self.bands if event.value >= band.from_),
            tuple(bonus.when.holds(event) for bonus in self.bonuses),
            tuple(penalty.when.holds(event) for penalty in self.penalties),
            self._target(event),
        )

    def _parts(
        self, factor: float, bonuses: list[Bonus], penalties: list[Penalty], forfeited: bool
    ) -> tuple[tuple[str, float], ...]:
        """Each part that applies and its points: the base (× multipliers and band) unless forfeited or 0,
        the bonuses unless forfeited, and every penalty that holds (a take-back of 0 points included)."""
        found: list[tuple[str, float]] = []
        if not forfeited:
            base = round(self.base * factor, VALUE_DECIMALS)
            found += [("base", base)] if base else []
            found += [(f"bonus:{b.name}", b.points) for b in bonuses]
        found += [(f"penalty:{p.name}", -p.points) for p in penalties]
        return tuple(found)

    def _target(self, event: Event) -> str | None:
        if self.link is None:
            return None
        value = event.attributes.get(self.link.attribute)
        if value is None or _text(value) == "":
            return ""
        return self.link.id_prefix + _text(value)


RuleSet = dict[str, TypeRule]
"""Event type → its rule."""


@dataclass(frozen=True)
class Era:
    """A rule set and the first office-local day it scores."""

    starts: date | None
    rules: RuleSet


class RuleBook:
    """Every rule set in force over time: an event is scored by the set in force on its office-local day.

    Events before the earliest set's start earn no points. This is the `PointsScorer` of the figures.
    """

    def __init__(self, eras: list[Era], zone: ZoneInfo) -> None:
        self.eras = sorted(eras, key=lambda era: era.starts or date.min, reverse=True)
        self.zone = zone

    def rules_on(self, day: date) -> RuleSet | None:
        """The rule set in force on `day`, or None before the first one."""
        return next((era.rules for era in self.eras if era.starts is None or era.starts <= day), None)

    def score(self, event: Event) -> PointsScore | None:
        rule = self._rule_of(event)
        return rule.score(event) if rule is not None else None

    def signature(self, event: Event) -> tuple[object, ...] | None:
        """A key such that events of the same key score the same (see `TypeRule.signature`) but for the
        record their points go to (`link_target`), which the key only says is there or not."""
        rule = self._rule_of(event)
        if rule is None:
            return ()
        found = rule.signature(event)
        if rule.link is None:
            return (id(rule), found)
        target = found[-1]
        return (id(rule), found[:-1], bool(target) and target != event.id)

    def link_target(self, event: Event) -> str | None:
        """The id of the record `event`'s points go to (`PointsScore.link`), None for its own points."""
        rule = self._rule_of(event)
        return rule._target(event) if rule is not None else None

    def _rule_of(self, event: Event) -> TypeRule | None:
        """The rule scoring `event`: its type's in the set in force on its day; None for a retraction."""
        only = self.eras[0] if len(self.eras) == 1 and self.eras[0].starts is None else None
        rules = only.rules if only else self.rules_on(local_day(event.occurred_at, self.zone))
        rule = rules.get(event.type) if rules else None
        return None if rule is None or event.deleted else rule


def _text(value: Any) -> str:
    """Attribute values compared as text: ``true``/``false`` for booleans, ``3`` for ``3.0``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.utcoffset() is not None else None
