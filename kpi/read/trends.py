"""Trends over days: the floor's NPS as daily points and a rolling line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kpi.config import Config
from kpi.config.screens import NpsTrendView
from kpi.model.contributions import Figures
from kpi.model.periods import local_day
from kpi.read.ended_cache import remember_ended
from kpi.read.rankings import daily_series
from kpi.read.view_deps import metric_parts
from kpi.store.base import Store


@dataclass(frozen=True)
class NpsTrend:
    """The floor's NPS over a window of days."""

    days: list[date]
    daily: list[float | None]
    """Each day's own NPS, None for days with fewer responses than the metric's ``min_volume``."""
    rolling: list[float | None]
    """NPS over the `rolling_days` days ending on each day, None without any response."""
    rolling_days: int
    latest: float | None
    previous: float | None
    """The rolling figure one rolling window earlier (for the change)."""
    promoters: int
    passives: int
    detractors: int
    """Responses in the latest rolling window."""


def nps_trend(store: Store, config: Config, view: NpsTrendView, now: datetime) -> NpsTrend:
    """Daily and rolling NPS of the whole floor (the sum of the teams) over the view's window, ending today.

    Days before today are remembered until the metric's version moves (see `kpi.read.ended_cache`); today
    is read every time.
    """
    metric = config.metric(view.metric)
    last = local_day(now, config.zone)
    first = last - timedelta(days=view.days - 1)
    lead = view.rolling_days - 1
    start = first - timedelta(days=lead)
    past = remember_ended(
        store,
        metric_parts(config, [metric.name]),
        ("nps-days", metric.name, start, last),
        lambda: _floor_days(store, config, metric.name, start, last - timedelta(days=1)),
    )
    per_day = past + _floor_days(store, config, metric.name, last, last)
    daily, rolling = [], []
    window = Figures()
    for index, figures in enumerate(per_day):
        window = window + figures
        if index > lead:
            gone = per_day[index - view.rolling_days]
            window = window + Figures(-gone.count, -gone.total, -gone.promoters, -gone.detractors)
        if index >= lead:
            daily.append(figures.value("nps") if figures.count >= metric.min_volume else None)
            rolling.append(window.value("nps"))
    latest_window = window
    days = [first + timedelta(days=n) for n in range(view.days)]
    previous_index = len(rolling) - 1 - view.rolling_days
    return NpsTrend(
        days=days,
        daily=daily,
        rolling=rolling,
        rolling_days=view.rolling_days,
        latest=rolling[-1] if rolling else None,
        previous=rolling[previous_index] if previous_index >= 0 else None,
        promoters=latest_window.promoters,
        passives=latest_window.passives,
        detractors=latest_window.detractors,
    )


def _floor_days(store: Store, config: Config, metric: str, first: date, last: date) -> list[Figures]:
    """The whole floor's counters of each day from `first` to `last` (the sum of the teams)."""
    if last < first:
        return []
    series = daily_series(store, config, metric, "team", first, last)
    return [sum(series[d].values(), Figures()) for d in sorted(series)]
