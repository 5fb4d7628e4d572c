"""The ``points:`` section: the game's points rules, and from which day each rule set is in force.

```yaml
points:
  effective_from: 2026-03-02        # optional: these rules score events from this office-local day on
  rules:
    ticket_solved:
      base: 10
      multipliers: {priority: {urgent: 3, high: 2, normal: 1, low: 0.5}}
      bonuses: [{name: first_contact, when: {attribute: first_contact_resolution, equals: true}, points: 5}]
      penalties: [{name: reopened, when: {attribute: reopened, equals: true}, take_back: true}]
    csat_rating:
      link: {attribute: ticket_id}
      bonuses: [{name: csat_5, when: {at_least: 5}, points: 15}]
  previous:                         # optional: older rule sets, for events before effective_from
    - {effective_from: 2025-01-06, rules: {ticket_solved: {base: 10}}}
  quality_gate: {enabled: true}     # optional: see kpi.game.quality_gate
```

Left out, the section is the one of the built-in default config (`default_points`).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from typing import Annotated
from zoneinfo import ZoneInfo

import yaml
from pydantic import AfterValidator, Field, ValidationInfo, model_validator

from kpi.config.base import Strict, earlier
from kpi.game.points import Era, RuleBook, TypeRule
from kpi.game.quality_gate import QualityGate
from kpi.model.events import BUILTIN_TYPES
from kpi.model.metrics import Metric
from kpi.model.scoring import POINTS_METRIC

TypeName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]

POINTS_METRIC_SPEC = {"type": POINTS_METRIC, "aggregation": "sum", "label": "Points"}
"""The metric the config adds for points: it is fed by the rules, not by an event type of its own."""


class RuleEra(Strict):
    """An earlier rule set and the first day it scored."""

    effective_from: date
    rules: dict[TypeName, TypeRule]


class PointsSettings(Strict):
    """The ``points:`` section."""

    effective_from: date | None = None
    """The first office-local day these rules score; earlier events use `previous`, else earn nothing."""
    rules: dict[TypeName, TypeRule] = Field(default_factory=dict)
    """Event type → how its events earn points; empty turns points off."""
    previous: list[RuleEra] = Field(default_factory=list)
    quality_gate: QualityGate = QualityGate()
    """Optional: each period's points × a factor from the member's CSAT and reopen rate (off by default)."""

    @model_validator(mode="after")
    def _eras_in_order(self) -> PointsSettings:
        if self.previous and self.effective_from is None:
            raise ValueError("previous: earlier rule sets need effective_from on the current one")
        later = self.effective_from
        for index, era in enumerate(self.previous):
            if later is not None and era.effective_from >= later:
                raise ValueError(
                    f"previous.{index}.effective_from: must be before {later.isoformat()} "
                    "(list earlier rule sets newest first)"
                )
            later = era.effective_from
        return self

    def rule_book(self, zone: ZoneInfo) -> RuleBook | None:
        """The scorer of these rules in the office's time zone, or None when no rule set has a rule."""
        eras = [Era(self.effective_from, self.rules)] + [
            Era(e.effective_from, e.rules) for e in self.previous
        ]
        if not any(era.rules for era in eras):
            return None
        return RuleBook(eras, zone)


def _check_types(value: PointsSettings, info: ValidationInfo) -> PointsSettings:
    metrics: dict[str, Metric] | None = earlier(info, "metrics")
    if metrics is None:
        return value
    known = {m.type for m in metrics.values() if m.name != POINTS_METRIC} | BUILTIN_TYPES
    sets = [("rules", value.rules)] + [(f"previous.{i}.rules", e.rules) for i, e in enumerate(value.previous)]
    for where, rules in sets:
        for kind in rules:
            if kind not in known:
                raise ValueError(
                    f"{where}.{kind}: unknown event type {kind!r}; known: {', '.join(sorted(known))}"
                )
    return _check_gate(value, metrics)


_GATE_AGGREGATIONS = (("csat_metric", "mean"), ("reopened_metric", "count"), ("solved_metric", "count"))


def _check_gate(value: PointsSettings, metrics: dict[str, Metric]) -> PointsSettings:
    """An enabled gate must read configured metrics of the right aggregation."""
    gate = value.quality_gate
    if not gate.enabled:
        return value
    for field, aggregation in _GATE_AGGREGATIONS:
        name = getattr(gate, field)
        metric = metrics.get(name)
        if metric is None or metric.aggregation != aggregation:
            raise ValueError(
                f"quality_gate.{field}: {name!r} must be a configured metric with aggregation {aggregation}"
            )
    return value


Points = Annotated[PointsSettings, AfterValidator(_check_types)]


@cache
def default_points() -> PointsSettings:
    """The ``points:`` section of the built-in default config: what a fresh install rewards."""
    text = resources.files("kpi.config").joinpath("default_config.yaml").read_text()
    return PointsSettings.model_validate(yaml.safe_load(text)["points"])
