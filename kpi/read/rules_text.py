"""The game's rules in plain words: how each event type earns points, the levels, what each badge asks."""

from __future__ import annotations

from dataclasses import dataclass

from kpi.config import Config
from kpi.game.points import Condition, TypeRule
from kpi.read.formatting import number_text


@dataclass(frozen=True)
class RuleText:
    """One rule: a heading and its lines."""

    title: str
    lines: tuple[str, ...]


def _words(name: str) -> str:
    return name.replace("_", " ")


def _points(amount: float) -> str:
    text = number_text(amount, 1, compact=False).removesuffix(".0")
    return f"{text} point" + ("" if amount == 1 else "s")


def _condition(when: Condition) -> str:
    subject = _words(when.attribute) if when.attribute else "the score"
    if when.equals is not None:
        if isinstance(when.equals, bool):
            return subject if when.equals else f"not {subject}"
        return f"{subject} is {when.equals}"
    if when.in_ is not None:
        return f"{subject} is one of {', '.join(str(v) for v in when.in_)}"
    if when.older_than_days is not None:
        return f"{subject} is more than {when.older_than_days:g} days old"
    if when.at_least is not None:
        return f"{subject} is {when.at_least:g} or more"
    return f"{subject} is {when.at_most:g} or less"


def _type_lines(rule: TypeRule) -> tuple[str, ...]:
    lines: list[str] = []
    if rule.base:
        lines.append(f"{_points(rule.base)} each.")
    for attribute, factors in rule.multipliers.items():
        shown = ", ".join(f"{value} × {factor:g}" for value, factor in factors.items())
        lines.append(f"By {_words(attribute)}: {shown}.")
    if rule.bands:
        shown = ", ".join(
            f"from {number_text(b.from_, 0, compact=False)}: × {b.factor:g}" for b in rule.bands
        )
        lines.append(f"By size: {shown}.")
    lines += [f"+{_points(b.points)} when {_condition(b.when)}." for b in rule.bonuses]
    for penalty in rule.penalties:
        taken = "the points are taken back" if penalty.take_back else ""
        cost = f"−{_points(penalty.points)}" if penalty.points else ""
        lines.append(f"When {_condition(penalty.when)}: {' and '.join(p for p in (taken, cost) if p)}.")
    if rule.link is not None:
        lines.append(f"Goes to the record named by its {_words(rule.link.attribute)}.")
    return tuple(lines)


def points_rules(config: Config) -> list[RuleText]:
    """How each event type earns points under the rules in force today, and the quality gate when on."""
    found = [
        RuleText(_words(kind).capitalize(), _type_lines(rule))
        for kind, rule in config.points.rules.items()
        if _type_lines(rule)
    ]
    gate = gate_rule(config)
    return found + ([gate] if gate else [])


def gate_rule(config: Config) -> RuleText | None:
    """The quality gate in plain words (`kpi.game.quality_gate`); None when it is off."""
    gate = config.points.quality_gate
    if not gate.enabled:
        return None
    lines = ["Each day's, week's and month's points count × a factor from your CSAT and reopen rate in it:"]
    for step in gate.steps:
        conditions = [f"a CSAT of {step.csat_at_least:g} or more"] if step.csat_at_least is not None else []
        if step.reopen_rate_at_most is not None:
            conditions.append(f"at most {step.reopen_rate_at_most:.0%} of solved tickets reopened")
        factor = "In full" if step.factor == 1 else f"× {step.factor:g}"
        lines.append(f"{factor} with {' and '.join(conditions) or 'any figures'};")
    lines.append(f"× {gate.otherwise:g} otherwise.")
    verdict = "pass" if gate.too_few_ratings == "pass" else "fail"
    lines.append(f"With fewer than {gate.min_ratings} ratings, the CSAT conditions {verdict}.")
    lines.append("Lifetime points (and levels) are not gated.")
    return RuleText("Quality gate", tuple(lines))


def level_rules(config: Config) -> list[str]:
    """Each level and the lifetime points that reach it."""
    return [
        f"{step.name}: from {number_text(step.at, 0, compact=False)} points" for step in config.levels.steps
    ]


def badge_rules(config: Config) -> list[RuleText]:
    """Each badge (test badges left out) with its criterion."""
    return [RuleText(b.name, (b.criterion,)) for b in config.achievements.values() if not b.test]
