"""Celebration rules, and which newly ingested events deserve a full-screen moment on every kiosk.

```yaml
celebrations:
  rules:
    - {type: deal_won, min_value: 5000, show_amount: true, title: "Big deal!"}
```
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, ValidationInfo

from kpi.config.base import Strict, earlier
from kpi.model.events import BUILTIN_TYPES, Event

DEFAULT_TITLES = {
    "deal_won": "Deal won!",
    "ticket_solved": "Ticket solved!",
    "call_handled": "Great call!",
    "csat_rating": "Happy customer!",
    "nps_response": "A new fan!",
}


class CelebrationRule(Strict):
    """Which events are celebrated, and what the overlay says."""

    type: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    min_value: float = Field(default=0, allow_inf_nan=False)
    show_amount: bool = False
    title: str = Field(default="", max_length=60)
    unit: str = Field(default="", max_length=12)

    def matches(self, event: Event) -> bool:
        """True for a live event of this rule's type whose value reaches the minimum."""
        return not event.deleted and event.type == self.type and event.value >= self.min_value

    @property
    def heading(self) -> str:
        return self.title or DEFAULT_TITLES.get(self.type, "Well done!")


class CelebrationSettings(Strict):
    """The ``celebrations:`` section."""

    rules: list[CelebrationRule] = Field(default_factory=list)
    show_seconds: int = Field(default=8, ge=2, le=60)
    """How long the overlay stays on screen."""
    max_age_seconds: int = Field(default=60, ge=5, le=3600)
    """A kiosk never shows a celebration older than this (a TV that was off does not replay the day)."""
    recent_minutes: int = Field(default=60, ge=1, le=1440)
    """Only events this recent are celebrated (a backfill of last month celebrates nothing)."""
    keep: int = Field(default=200, ge=10, le=10_000)
    """About this many celebrations are kept in the store."""


def _check_rules(value: CelebrationSettings, info: ValidationInfo) -> CelebrationSettings:
    metrics = earlier(info, "metrics")
    if metrics is None:
        return value
    known = {metric.type for metric in metrics.values()} | BUILTIN_TYPES
    for index, rule in enumerate(value.rules):
        if rule.type not in known:
            raise ValueError(
                f"rules.{index}.type: unknown event type {rule.type!r}; known: {', '.join(sorted(known))}"
            )
    return value


Celebrations = Annotated[CelebrationSettings, AfterValidator(_check_rules)]
