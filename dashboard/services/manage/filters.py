"""The manager pages' filters and their URL query string, so that every view can be bookmarked and shared."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Mapping
from urllib.parse import urlencode

from kpi.config import Config
from kpi.read.windows import CHOICES, Choice, Window, describe_comparison, previous_window, to_date, window_of

VIEWS = ("overview", "ranking", "satisfaction", "goals", "rules", "challenges", "connectors")


@dataclass(frozen=True)
class Filters:
    """What a manager is looking at."""

    metric: str
    period: Choice
    anchor: date
    team: str | None = None
    first: date | None = None
    last: date | None = None
    view: str = "overview"
    today: date | None = None
    """The office's current day, so that a running period is compared to date."""

    @property
    def window(self) -> Window:
        return window_of(self.period, self.anchor, self.first, self.last)

    @property
    def previous(self) -> Window:
        return previous_window(self.period, self.window, self.today)

    @property
    def shown(self) -> Window:
        """The days of the window up to today: what the figures cover, and where a chart's x axis ends."""
        return to_date(self.window, self.today)

    @property
    def comparison(self) -> str:
        """The window and the one it is compared with, in words (`kpi.read.windows.describe_comparison`)."""
        return describe_comparison(self.period, self.window, self.today)

    def with_team(self, team: str | None) -> Filters:
        return replace(self, team=team)


def _date(text: object) -> date | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def parse_filters(query: Mapping[str, object], config: Config, today: date) -> Filters:
    """Filters from a query string's values; anything unknown or malformed falls back to a default."""
    metric = query.get("metric")
    if metric not in config.metrics:
        metric = next(iter(config.metrics))
    period = query.get("period")
    if period not in CHOICES:
        period = "week"
    team = query.get("team")
    view = query.get("view")
    first, last = _date(query.get("from")), _date(query.get("to"))
    if period == "custom" and (first is None or last is None):
        first, last = first or last or today, last or first or today
    elif period != "custom":
        first = last = None
    return Filters(
        metric=str(metric),
        period=period,
        anchor=_date(query.get("date")) or today,  # type: ignore[arg-type]
        team=team if isinstance(team, str) and team else None,
        first=first,
        last=last,
        view=view if view in VIEWS else "overview",
        today=today,
    )


def to_query(filters: Filters, *, keep_view: bool = True) -> str:
    """The query string (with its leading ``?``) that `parse_filters` reads back into `filters`."""
    params: dict[str, str] = {"metric": filters.metric, "period": filters.period}
    if filters.period == "custom" and filters.first and filters.last:
        params["from"], params["to"] = filters.first.isoformat(), filters.last.isoformat()
    else:
        params["date"] = filters.anchor.isoformat()
    if filters.team:
        params["team"] = filters.team
    if keep_view and filters.view != "overview":
        params["view"] = filters.view
    return "?" + urlencode(params)
