"""The NPS / CSAT tab's data: which metrics are customer scores, and each score's headline for the period."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.services.manage.overview import Summary, ViewScope, summary
from kpi.config import Config
from kpi.model.metrics import Metric
from kpi.read.rankings import combined_figures
from kpi.read.windows import Window, covering_buckets
from kpi.store.base import Store

SCORE_TYPES = ("nps_response", "csat_rating")
"""The event types whose metrics are customer scores (NPS first)."""


def score_metrics(config: Config) -> list[Metric]:
    """The metrics that score customers' answers (NPS, then CSAT), without per-attribute variants."""
    scores = [m for m in config.metrics.values() if m.type in SCORE_TYPES and not m.where]
    return sorted(scores, key=lambda m: SCORE_TYPES.index(m.type))


def shown_score(config: Config, metric_name: str) -> Metric | None:
    """The score the tab details: the metric filter when it is a score, else the first score (NPS)."""
    scores = score_metrics(config)
    chosen = [m for m in scores if m.name == metric_name]
    return (chosen or scores or [None])[0]


@dataclass(frozen=True)
class Headline:
    """One score for the teams in view over the period, with its comparison and, for NPS, its split."""

    metric: Metric
    summary: Summary
    promoters: int = 0
    detractors: int = 0


def headlines(
    store: Store, config: Config, scope: ViewScope, window: Window, previous: Window
) -> list[Headline]:
    """Every customer score's figure for the teams in view in `window`, against `previous`."""
    found = []
    buckets = [bucket for _, bucket in covering_buckets(window)]
    for metric in score_metrics(config):
        figures = (
            combined_figures(store, config, metric.name, buckets, "team", scope.teams) if scope.teams else {}
        )
        promoters = sum(f.promoters for f in figures.values())
        detractors = sum(f.detractors for f in figures.values())
        found.append(
            Headline(
                metric, summary(store, config, scope, metric.name, window, previous), promoters, detractors
            )
        )
    return found
