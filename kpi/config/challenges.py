"""The ``challenges:`` section, checked against the configured metrics (see README, "Challenges").

```yaml
challenges:
  grace_minutes: 60
  people: {agent-07: {role: junior, fte: 0.5}}
  definitions:
    - {id: sprint, title: Ticket sprint, kind: race, metric: tickets_solved, recurring: weekly}
```
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, ValidationInfo

from kpi.config.base import earlier
from kpi.game.challenges import ChallengeSettings

__all__ = ["Challenges", "ChallengeSettings"]


def _check_metrics(value: ChallengeSettings, info: ValidationInfo) -> ChallengeSettings:
    metrics = earlier(info, "metrics")
    if metrics is None:
        return value
    for index, challenge in enumerate(value.definitions):
        where = f"definitions.{index}"
        metric = metrics.get(challenge.metric)
        if metric is None:
            raise ValueError(
                f"{where}.metric: unknown metric {challenge.metric!r}; known: {', '.join(sorted(metrics))}"
            )
        if challenge.kind == "fair_race" and not (metric.cumulative and not metric.lower_is_better):
            raise ValueError(
                f"{where}.metric: a fair_race needs a count or sum where more is better "
                f"({challenge.metric!r} is a {metric.aggregation}); try a race or personal_best"
            )
    return value


Challenges = Annotated[ChallengeSettings, AfterValidator(_check_metrics)]
