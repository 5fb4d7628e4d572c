"""A metric: how one figure is computed from events of one type (the `metrics:` entries of the config)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from kpi.model.events import Event
from kpi.model.scoring import PointsScorer

AttributeValue = str | int | float | bool
Aggregation = Literal["count", "sum", "mean", "nps"]
METRIC_NAME = r"^[a-z][a-z0-9_]*$"


class Metric(BaseModel):
    """How one figure is computed from events of one type."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(default="", pattern=r"^$|" + METRIC_NAME)
    type: str = Field(pattern=METRIC_NAME)
    aggregation: Aggregation
    label: str = ""
    unit: str = ""
    decimals: int = Field(default=0, ge=0, le=4)
    lower_is_better: bool = False
    min_volume: int = Field(default=1, ge=1)
    where: dict[str, AttributeValue | list[AttributeValue]] = Field(default_factory=dict)
    """Only events whose attributes have these values (any of a list) feed the metric, e.g.
    ``{channel: email}`` for a per-channel figure."""
    outside_office_hours: bool = False
    """Only events that happened outside office hours (office-local time): on a day off (a weekend or a
    holiday), or before ``office_hours.start`` or from ``office_hours.end`` on a working day. Office
    hours and holidays apply as configured when an event is stored; ``wallboard rescore`` re-applies them."""

    def accepts(self, event: Event) -> bool:
        """True when `event` (of this metric's type) passes the `where` filter."""
        for attribute, wanted in self.where.items():
            value = event.attributes.get(attribute)
            if value not in (wanted if isinstance(wanted, list) else [wanted]):
                return False
        return True

    @property
    def cumulative(self) -> bool:
        """Counts and sums grow through a period, so they have a pace; means and NPS do not."""
        return self.aggregation in ("count", "sum")

    def improved(self, change: float) -> bool | None:
        """Whether a change of this metric's figure is for the better (down for lower-is-better metrics);
        None when there is no change. The TV's tiles and the manager's cards colour by it."""
        if abs(change) < 1e-9:
            return None
        return change < 0 if self.lower_is_better else change > 0

    def public(self) -> dict[str, Any]:
        """The fields the read API shows."""
        return self.model_dump(
            include={"name", "type", "aggregation", "label", "unit", "lower_is_better", "min_volume"}
        )


class MetricCatalog(Protocol):
    """What turning an event into figures needs: the metrics each type feeds, the points rules, the time zone
    and how long records are kept.

    The configuration root satisfies it; lower layers (contributions, the store) depend on this protocol
    instead of importing the configuration.
    """

    @property
    def metrics_by_type(self) -> Mapping[str, tuple[Metric, ...]]: ...

    @property
    def points_scorer(self) -> PointsScorer | None: ...

    @property
    def zone(self) -> ZoneInfo: ...

    @property
    def retention_days(self) -> int:
        """Days a record is kept: an event whose day is older is released (kpi.store.base.released)."""
        ...

    def outside_office_hours(self, moment: datetime) -> bool:
        """Whether `moment` falls outside office hours (a day off, or before or after the day's hours)."""
        ...
