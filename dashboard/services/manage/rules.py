"""The rules tab of ``/manage``: every points rule and achievement in plain words, and each rule's effect.

The effect is the points each rule part gave each team the viewer may see over the last 30 days
(`kpi.read.rule_effects`): the basis for tuning. Test-mode badges are listed here (marked), never on a TV.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kpi.config import Config
from kpi.game.points import Condition, TypeRule
from kpi.model.viewer import Viewer
from kpi.read.rule_effects import rule_effects
from kpi.read.rules_text import gate_rule
from kpi.store.base import Store

WINDOW_DAYS = 30


@dataclass(frozen=True)
class RuleRow:
    """One part of one event type's points rule, in words, with its points by team."""

    event_type: str
    part: str
    words: str
    by_team: dict[str, float]

    @property
    def total(self) -> float:
        return round(sum(self.by_team.values()), 3)


@dataclass(frozen=True)
class BadgeRow:
    """One achievement in words."""

    name: str
    criterion: str
    group: str
    celebrate: bool
    test: bool


@dataclass(frozen=True)
class RulesPage:
    """Everything the rules tab shows."""

    teams: list[str]
    rules: list[RuleRow]
    badges: list[BadgeRow]
    settings: list[str]
    """Other settings in words: levels, when the rules apply from, quality gate and test mode when set."""


def condition_words(condition: Condition) -> str:
    """``priority is urgent``, ``the value is at least 5``, ``created_at is over 14 days before``."""
    subject = condition.attribute or "the value"
    if condition.equals is not None:
        return f"{subject} is {_scalar(condition.equals)}"
    if condition.in_ is not None:
        return f"{subject} is one of {', '.join(_scalar(v) for v in condition.in_)}"
    if condition.older_than_days is not None:
        return f"{subject} is over {condition.older_than_days:g} days before"
    if condition.at_least is not None:
        return f"{subject} is at least {condition.at_least:g}"
    return f"{subject} is at most {condition.at_most:g}"


def _scalar(value: object) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else str(value)


def rule_words(event_type: str, rule: TypeRule) -> dict[str, str]:
    """Each part of a rule in plain words, by part name (``base``, ``bonus:<name>``, ``penalty:<name>``)."""
    thing = event_type.replace("_", " ")
    base = f"{rule.base:g} points a {thing}" if rule.base else f"no base points for a {thing}"
    factors = [
        f"× {f:g} when {attribute} is {value}"
        for attribute, values in rule.multipliers.items()
        for value, f in values.items()
        if f != 1
    ]
    factors += [f"× {b.factor:g} from a value of {b.from_:g}" for b in rule.bands if b.factor != 1]
    if rule.link is not None:
        base += f", credited to the record named by {rule.link.attribute}"
    words = {"base": "; ".join([base, *factors])}
    for bonus in rule.bonuses:
        words[f"bonus:{bonus.name}"] = f"+{bonus.points:g} when {condition_words(bonus.when)}"
    for penalty in rule.penalties:
        taken = "takes the points back" if penalty.take_back else ""
        minus = f"−{penalty.points:g}" if penalty.points else ""
        what = " and ".join(w for w in (taken, minus) if w)
        words[f"penalty:{penalty.name}"] = f"{what} when {condition_words(penalty.when)}"
    return words


def rules_page(store: Store, config: Config, viewer: Viewer, now: datetime) -> RulesPage:
    """The rules in force, the badges, and each rule part's points by visible team over 30 days."""
    effects = [e for e in rule_effects(store, config, now, WINDOW_DAYS) if viewer.can_see_team(e.team)]
    teams = sorted({e.team for e in effects})
    rows = []
    for event_type, rule in config.points.rules.items():
        for part, words in rule_words(event_type, rule).items():
            by_team = {e.team: e.points for e in effects if (e.event_type, e.part) == (event_type, part)}
            rows.append(RuleRow(event_type, part, words, by_team))
    badges = [
        BadgeRow(b.name, b.criterion, b.group, b.celebrate, b.test) for b in config.achievements.values()
    ]
    return RulesPage(teams, rows, badges, _settings(config))


def _settings(config: Config) -> list[str]:
    levels = config.levels
    found = [
        "Levels from lifetime "
        + levels.metric
        + ": "
        + ", ".join(f"{s.name} at {s.at:g}" for s in levels.steps)
        + (" (a level-up is celebrated)" if levels.celebrate else "")
    ]
    if config.points.effective_from:
        found.append(f"These points rules apply from {config.points.effective_from.isoformat()}.")
    gate = gate_rule(config)
    found.append("Quality gate: " + (" ".join(gate.lines) if gate else "off."))
    tests = [b.name for b in config.achievements.values() if b.test]
    if tests:
        found.append(f"Test mode (scored, shown only here): {', '.join(tests)}")
    return found
