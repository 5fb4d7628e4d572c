"""Points as every reader shows them: each period's points with the quality gate applied, when it is on.

The one place that turns stored points into gated points. Readers do not call it for boards: the read
primitives of `kpi.read.rankings` (`ranking`, `ranks_of`, `member_reading`, `floor_reading`,
`figures_in_buckets`, `daily_series`, `combined_figures`) route the `points` metric through here, so the
TV, `/manage`, `/me`, challenges and the API show one number. The gate is per member and per period: a
stored bucket (an agent's CSAT and reopen rate in that day, week, month …), or a date window read as a
whole (`/manage`'s custom ranges, a challenge's days), decided on the figures summed over that window.
A team is gated by the team's own CSAT and reopen rate, and the whole floor is the sum of its teams.
Negative totals (penalties) are never scaled down. Lifetime points (levels) are not gated.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kpi.config import Config
from kpi.game.quality_gate import Quality
from kpi.model.contributions import SCALE, Figures, Scope
from kpi.model.events import VALUE_DECIMALS
from kpi.model.periods import Period, check_period, span_of
from kpi.model.scoring import POINTS_METRIC
from kpi.store.base import Store

_UNKNOWN = Quality(None, 0, 0, 0)
_BoardsOfVersion = tuple[int, dict[tuple[str, tuple[str, ...], str], dict[str, Figures]]]
_BOARDS: weakref.WeakKeyDictionary[Store, _BoardsOfVersion] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
_BOARDS_KEPT = 64
"""Whole gated boards kept per store, all of one data version."""


@dataclass(frozen=True)
class GatedPoints:
    """A member's points in one period, the gate's factor and what it was decided on."""

    points: float
    count: int
    factor: float
    quality: Quality

    @property
    def value(self) -> float:
        """The points × the factor (negative totals unscaled), to `VALUE_DECIMALS` places."""
        scaled = self.points * self.factor if self.points > 0 else self.points
        return round(scaled, VALUE_DECIMALS)

    @property
    def figures(self) -> Figures:
        """The gated points as counters: the events' count, and the gated value as the sum."""
        return Figures(count=self.count, total=round(self.value * SCALE))


def gate_on(config: Config) -> bool:
    """Whether points are gated (``points.quality_gate.enabled``)."""
    return config.points.quality_gate.enabled


def gated_metric(config: Config, metric_name: str) -> bool:
    """Whether reads of `metric_name` go through the gate: `points` while the gate is on."""
    return metric_name == POINTS_METRIC and gate_on(config)


def gated_points(
    store: Store, config: Config, member: str, period: Period, bucket: str, scope: Scope = "agent"
) -> GatedPoints:
    """One agent's (or team's) gated points in a bucket, with the factor; factor 1 when the gate is off."""
    span_of(check_period(period), bucket)
    return _gated(store, config, [bucket], scope, [member]).get(member, GatedPoints(0.0, 0, 1.0, _UNKNOWN))


def gated_figures(
    store: Store, config: Config, buckets: Sequence[str], scope: Scope, members: Sequence[str] | None = None
) -> dict[str, Figures]:
    """Each member's points over `buckets` taken as one period (they must not overlap), gated on that
    period's CSAT and reopen rate; members without points left out.

    A whole board (`members` None) is read once per data version (and process): every TV, every agent's
    `/me` (the leader's value) and the API read the same boards, each costing four whole-board reads.
    """
    if members is None and gate_on(config):
        key = (config.points.quality_gate.model_dump_json(), tuple(buckets), scope)
        return dict(_remembered(store, key, lambda: _as_figures(_gated(store, config, buckets, scope, None))))
    return _as_figures(_gated(store, config, buckets, scope, members))


def _as_figures(gated: dict[str, GatedPoints]) -> dict[str, Figures]:
    return {m: g.figures for m, g in gated.items()}


def _remembered(
    store: Store, key: tuple[str, tuple[str, ...], str], compute: Callable[[], dict[str, Figures]]
) -> dict[str, Figures]:
    """`compute()`, kept for `store`'s current data version only (a new version forgets every board)."""
    version = store.data_version()
    with _LOCK:
        held = _BOARDS.get(store)
        if held is not None and held[0] == version and key in held[1]:
            return held[1][key]
    value = compute()
    with _LOCK:
        held = _BOARDS.get(store)
        if held is None or held[0] != version:
            held = _BOARDS[store] = (version, {})
        if len(held[1]) < _BOARDS_KEPT:
            held[1][key] = value
    return value


def gated_by_bucket(
    store: Store, config: Config, buckets: Sequence[str], scope: Scope, members: Sequence[str] | None = None
) -> dict[str, dict[str, Figures]]:
    """`gated_figures` of each bucket on its own (a daily series gates each day by that day's quality)."""
    points = store.figures_by_bucket(POINTS_METRIC, buckets, scope, members, aggregation="sum")
    gate = config.points.quality_gate
    if not gate.enabled:
        return points
    holders = sorted({m for by_member in points.values() for m in by_member})
    quality = [
        store.figures_by_bucket(name, buckets, scope, holders, aggregation=config.metric(name).aggregation)
        if holders
        else {}
        for name in gate.metrics
    ]
    return {
        bucket: {
            m: _with_gate(config, f, *(q.get(bucket, {}).get(m, Figures()) for q in quality)).figures
            for m, f in by_member.items()
        }
        for bucket, by_member in points.items()
    }


def _gated(
    store: Store, config: Config, buckets: Sequence[str], scope: Scope, members: Sequence[str] | None
) -> dict[str, GatedPoints]:
    """Gated points of `members` (every member with points when None) over `buckets` together."""
    points = _summed(store, config, POINTS_METRIC, buckets, scope, members)
    if not gate_on(config) or not points:
        return {m: GatedPoints(_sum(f), f.count, 1.0, _UNKNOWN) for m, f in points.items()}
    holders = sorted(points)
    csat, reopened, solved = (
        _summed(store, config, name, buckets, scope, holders) for name in config.points.quality_gate.metrics
    )
    return {
        m: _with_gate(config, f, csat.get(m, Figures()), reopened.get(m, Figures()), solved.get(m, Figures()))
        for m, f in points.items()
    }


def _with_gate(
    config: Config, points: Figures, csat: Figures, reopened: Figures, solved: Figures
) -> GatedPoints:
    gate = config.points.quality_gate
    quality = Quality(csat.value("mean"), csat.count, reopened.count, solved.count)
    return GatedPoints(_sum(points), points.count, gate.factor(quality), quality)


def _summed(
    store: Store,
    config: Config,
    metric: str,
    buckets: Sequence[str],
    scope: Scope,
    members: Sequence[str] | None,
) -> dict[str, Figures]:
    """Each member's raw counters of `metric` summed over `buckets`, in one round trip."""
    aggregation = "sum" if metric == POINTS_METRIC else config.metric(metric).aggregation
    if members is None:
        return store.figures_summed(metric, list(buckets), scope, aggregation=aggregation)
    if len(buckets) == 1:
        return store.figures(metric, buckets[0], scope, list(members), aggregation=aggregation)
    combined: dict[str, Figures] = {}
    for by_member in store.figures_by_bucket(
        metric, list(buckets), scope, list(members), aggregation=aggregation
    ).values():
        for member, figures in by_member.items():
            combined[member] = combined.get(member, Figures()) + figures
    return combined


def _sum(figures: Figures) -> float:
    return figures.value("sum") or 0.0
