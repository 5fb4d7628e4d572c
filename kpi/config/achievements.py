"""The ``achievements:`` section (badges by id) and the ``levels:`` section, checked against the metrics.

```yaml
achievements:
  support_master:
    kind: milestone
    name: Support Master
    criterion: Solve your 1000th ticket.
    metric: tickets_solved
    target: 1000
    icon: support-master.svg
    group: mastery
    celebrate: true
    rewards_volume: true
levels:
  metric: points
  steps: [{name: Rookie, at: 0}, {name: Pro, at: 500}]
```
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ValidationInfo

from kpi.config.base import earlier
from kpi.game.achievements import Achievement

__all__ = ["Achievements", "named_metrics"]


def _name_badges(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: ({**spec, "id": key} if isinstance(spec, dict) else spec) for key, spec in value.items()}
    return value


def _check_badges(value: dict[str, Achievement], info: ValidationInfo) -> dict[str, Achievement]:
    metrics = earlier(info, "metrics")
    if metrics is None:
        return value
    for badge_id, badge in value.items():
        for metric in badge.metrics:
            if metric not in metrics:
                raise ValueError(
                    f"{badge_id}: unknown metric {metric!r}; known: {', '.join(sorted(metrics))}"
                )
        late = getattr(badge, "after_hours_metric", None)
        if late and not metrics[late].outside_office_hours:
            raise ValueError(f"{badge_id}: after_hours_metric {late!r} must have outside_office_hours: true")
    return value


def named_metrics(section: Any) -> set[str]:
    """Every metric a decoded ``achievements:`` section names (to tell whether built-in badges fit)."""
    found: set[str] = set()
    for spec in (section or {}).values() if isinstance(section, dict) else ():
        if isinstance(spec, dict):
            found |= {spec["metric"]} if "metric" in spec else set()
            found |= set((spec.get("channels") or {}).values())
    return found


Achievements = Annotated[dict[str, Achievement], BeforeValidator(_name_badges), AfterValidator(_check_badges)]
"""The ``achievements:`` section: badge id → badge; ``{}`` turns achievements off."""
