"""What a kiosk view's data depends on: the data versions it reads, and whether it reads the clock.

A view's data is a function of the config, the day (every view shows a current bucket), the versions of
the parts listed here (`kpi.store.base.Store.versions`) and, for views that show pace or time left, the
time of day. A cache keyed by these (``dashboard/services/kiosk/view_cache.py``) stays valid while other
metrics move: a new ticket does not recompute a revenue board.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from kpi.config import Config
from kpi.config.screens import (
    BadgesView,
    ChallengeRaceView,
    ChallengesView,
    KpiTilesView,
    LeaderboardView,
    NpsTrendView,
    TeamGoalsView,
    View,
)
from kpi.model.scoring import POINTS_METRIC
from kpi.store.base import AGENTS_PART, AWARDS_PART, CHOICES_PART

CLOCK_SECONDS = 60
"""Views that read the time of day (pace, time left) are computed at most once per this many seconds
for the same data: their pace or time left may be up to a minute old when their own figures did not move."""
_PEOPLE = (AGENTS_PART, CHOICES_PART)
"""What a view naming agents reads besides figures: their names and teams, and who hides from TVs."""


@dataclass(frozen=True)
class ViewDeps:
    """The version parts a view reads, and whether its data moves with the clock within a day."""

    parts: tuple[str, ...]
    clock: bool


_MEMO: dict[tuple[int, int], tuple[Config, View, ViewDeps]] = {}
_MEMO_SIZE = 4096


def view_deps(config: Config, view: View) -> ViewDeps:
    """The data versions and clock that `view`'s data depends on (worked out once per config and view:
    every poll asks)."""
    key = (id(config), id(view))
    found = _MEMO.get(key)
    if found is not None and found[0] is config and found[1] is view:
        return found[2]
    deps = _deps(config, view)
    if len(_MEMO) >= _MEMO_SIZE:
        _MEMO.clear()
    _MEMO[key] = (config, view, deps)
    return deps


def _deps(config: Config, view: View) -> ViewDeps:
    if isinstance(view, LeaderboardView):
        people = _PEOPLE if view.scope == "agent" else (AGENTS_PART,)
        return ViewDeps(_parts(config, [view.metric], people), clock=False)
    if isinstance(view, NpsTrendView):
        return ViewDeps(_parts(config, [view.metric], ()), clock=False)
    if isinstance(view, KpiTilesView):
        return ViewDeps(_parts(config, view.metrics, ()), clock=view.compare != "none")
    if isinstance(view, TeamGoalsView):
        metrics = [metric for by_metric in config.goals.values() for metric in by_metric]
        return ViewDeps(_parts(config, metrics, ()), clock=True)
    if isinstance(view, BadgesView):
        return ViewDeps(_parts(config, [], (*_PEOPLE, AWARDS_PART)), clock=True)
    return ViewDeps(_parts(config, _challenge_metrics(config, view), (*_PEOPLE, AWARDS_PART)), clock=True)


def _challenge_metrics(config: Config, view: View) -> list[str]:
    challenges = config.challenges.definitions
    if isinstance(view, ChallengeRaceView):
        return [c.metric for c in challenges if c.id == view.challenge]
    if isinstance(view, ChallengesView):
        return [c.metric for c in challenges if not c.test]
    return []


def _parts(config: Config, metrics: list[str], others: tuple[str, ...]) -> tuple[str, ...]:
    """The metrics' parts (`metric_parts`) and `others`, sorted."""
    return tuple(sorted(set(metric_parts(config, metrics)) | set(others)))


def metric_parts(config: Config, metrics: Sequence[str]) -> tuple[str, ...]:
    """The version parts a read of `metrics` depends on: the metrics, and the quality gate's metrics
    when points are gated (`kpi.read.gated_points`)."""
    found = set(metrics)
    if POINTS_METRIC in found and config.points.quality_gate.enabled:
        found |= set(config.points.quality_gate.metrics)
    return tuple(sorted(found))
