"""Team goals from the config: a target per team, metric and period.

```yaml
goals:
  Support:
    tickets_solved: {day: 250, week: 1200}
  Sales:
    revenue: {month: 400000}
```
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, Field, ValidationInfo

from kpi.config.base import earlier
from kpi.model.periods import PERIODS, Period

Target = Annotated[float, Field(gt=0, allow_inf_nan=False)]


@dataclass(frozen=True)
class Goal:
    """One team's target for one metric in each bucket of one period."""

    team: str
    metric: str
    period: Period
    target: float


def _check_goals(
    value: dict[str, dict[str, dict[Period, float]]], info: ValidationInfo
) -> dict[str, dict[str, dict[Period, float]]]:
    metrics = earlier(info, "metrics")
    if metrics is None:
        return value
    for team, by_metric in value.items():
        for metric in by_metric:
            if metric not in metrics:
                raise ValueError(
                    f"{team}.{metric}: unknown metric {metric!r}; known: {', '.join(sorted(metrics))}"
                )
    return value


Goals = Annotated[dict[str, dict[str, dict[Period, Target]]], AfterValidator(_check_goals)]
"""The ``goals:`` section: team → metric → period → target."""


def goal_list(goals: dict[str, dict[str, dict[Period, float]]], period: Period | None = None) -> list[Goal]:
    """Every goal in config order (teams, metrics, then periods shortest first), optionally of one period."""
    found = []
    for team, by_metric in goals.items():
        for metric, by_period in by_metric.items():
            for each in PERIODS:
                if each in by_period and (period is None or each == period):
                    found.append(Goal(team, metric, each, by_period[each]))
    return found
