"""The quality gate: a period's points count × a factor from the member's CSAT and reopen rate in it.

```yaml
points:
  quality_gate:
    enabled: true
    csat_metric: csat                 # a mean metric of ratings
    min_ratings: 5                    # fewer ratings: the CSAT is not known (see too_few_ratings)
    too_few_ratings: pass             # pass: CSAT conditions hold; fail: they do not
    reopened_metric: tickets_reopened # counts reopened tickets (a metric with where: {reopened: true})
    solved_metric: tickets_solved     # the reopen rate is reopened / solved
    steps:                            # best first: the first step whose conditions all hold applies
      - {factor: 1.0, csat_at_least: 4.2, reopen_rate_at_most: 0.05}
      - {factor: 0.8, csat_at_least: 3.8, reopen_rate_at_most: 0.10}
    otherwise: 0.5                    # when no step holds
```

Pure: `QualityGate.factor` decides from the figures alone; `kpi.read.gated_points` reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GateStep(_Strict):
    """A factor and the conditions under which it applies (a missing condition always holds)."""

    factor: float = Field(ge=0, le=10, allow_inf_nan=False)
    csat_at_least: float | None = Field(default=None, allow_inf_nan=False)
    reopen_rate_at_most: float | None = Field(default=None, ge=0, le=1, allow_inf_nan=False)


@dataclass(frozen=True)
class Quality:
    """What the gate reads of one member in one period."""

    csat: float | None
    ratings: int
    reopened: int
    solved: int

    @property
    def reopen_rate(self) -> float:
        """Reopened over solved tickets; 0 without solved tickets."""
        return self.reopened / self.solved if self.solved > 0 else 0.0


class QualityGate(_Strict):
    """The ``points.quality_gate`` section; off unless ``enabled: true``."""

    enabled: bool = False
    csat_metric: str = "csat"
    min_ratings: int = Field(default=5, ge=1)
    too_few_ratings: Literal["pass", "fail"] = "pass"
    """With fewer than `min_ratings` ratings: ``pass`` treats every CSAT condition as met (volume the
    agent does not control is not held against them); ``fail`` treats none as met."""
    reopened_metric: str = "tickets_reopened"
    solved_metric: str = "tickets_solved"
    steps: list[GateStep] = Field(
        default_factory=lambda: [
            GateStep(factor=1.0, csat_at_least=4.2, reopen_rate_at_most=0.05),
            GateStep(factor=0.8, csat_at_least=3.8, reopen_rate_at_most=0.10),
        ]
    )
    otherwise: float = Field(default=0.5, ge=0, le=10, allow_inf_nan=False)

    @model_validator(mode="after")
    def _has_steps(self) -> QualityGate:
        if self.enabled and not self.steps:
            raise ValueError("steps: an enabled gate needs at least one step")
        return self

    def factor(self, quality: Quality) -> float:
        """The factor of the first step whose conditions hold, else `otherwise`; 1 when the gate is off."""
        if not self.enabled:
            return 1.0
        for step in self.steps:
            if self._csat_holds(step, quality) and (
                step.reopen_rate_at_most is None or quality.reopen_rate <= step.reopen_rate_at_most
            ):
                return step.factor
        return self.otherwise

    def _csat_holds(self, step: GateStep, quality: Quality) -> bool:
        if step.csat_at_least is None:
            return True
        if quality.csat is None or quality.ratings < self.min_ratings:
            return self.too_few_ratings == "pass"
        return quality.csat >= step.csat_at_least

    @property
    def metrics(self) -> tuple[str, str, str]:
        """The metrics the gate reads: CSAT, reopened, solved."""
        return (self.csat_metric, self.reopened_metric, self.solved_metric)
