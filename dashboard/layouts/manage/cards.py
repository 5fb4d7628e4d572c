"""The figure cards at the top of the manager pages, built from the services' summaries."""

from __future__ import annotations

from dash import html

from dashboard.layouts.manage.common import card
from dashboard.services.manage.agent import AgentDetail
from dashboard.services.manage.filters import Filters
from dashboard.services.manage.overview import Summary, ViewScope
from dashboard.services.manage.satisfaction import Headline
from kpi.config import Config
from kpi.model.metrics import Metric
from kpi.read.formatting import period_change, period_change_text, value_text
from kpi.read.windows import describe


def _tone(improved: bool | None) -> str:
    """A card's colour class for a change for the better, the worse, or none."""
    return "" if improved is None else "up" if improved else "down"


def _change(metric: Metric, summary: Summary) -> tuple[str, str]:
    """A summary's change against the previous period: its text and its card's colour class."""
    change = period_change(metric, summary.value, summary.previous)
    text = period_change_text(metric, summary.value, summary.previous)
    return text, _tone(None if change is None else metric.improved(change))


def overview_cards(
    filters: Filters, metric: Metric, summary: Summary, scope: ViewScope, active_agents: int
) -> list[html.Div]:
    """The overview's cards: the figure and its change, the previous period, the volume, who is in view."""
    change, tone = _change(metric, summary)
    value = value_text(summary.value, metric)
    previous = value_text(summary.previous, metric)
    if metric.aggregation in ("count", "sum") and summary.value is not None and active_agents:
        third = card(
            "Per active agent",
            value_text(summary.value / active_agents, metric, decimals=1),
            f"{active_agents:,} agents with figures",
        )
    else:
        third = card("Volume", f"{summary.count:,}", f"{summary.previous_count:,} in the previous period")
    teams = f"{len(scope.teams)} team{'s' if len(scope.teams) != 1 else ''}"
    return [
        card(metric.label or metric.name, value, change, tone),
        card("Previous period", previous, describe(filters.previous)),
        third,
        card("In view", f"{len(scope.agents):,} agents", f"{teams} · {describe(filters.shown)}"),
    ]


def satisfaction_cards(filters: Filters, found: list[Headline]) -> list[html.Div]:
    """A headline card per customer score for the period (NPS with its split), and the responses."""
    cards = []
    for headline in found:
        metric, summary = headline.metric, headline.summary
        change, tone = _change(metric, summary)
        cards.append(
            card(
                f"{metric.label or metric.name} · {describe(filters.shown)}",
                value_text(summary.value, metric),
                change,
                tone,
            )
        )
        split = ""
        if metric.aggregation == "nps" and summary.count:
            promoters, detractors = headline.promoters / summary.count, headline.detractors / summary.count
            split = f"{promoters:.0%} promoters · {detractors:.0%} detractors"
        cards.append(
            card(
                f"{metric.label or metric.name} responses",
                f"{summary.count:,}",
                split or f"{summary.previous_count:,} in the previous period",
            )
        )
    return cards


def _missing(value: object) -> bool:
    return value is None or value != value


def agent_cards(detail: AgentDetail, config: Config) -> list[html.Div]:
    """One card per metric the team has figures for: the agent's value, the team median and the rank."""
    cards = []
    for row in detail.summary[detail.summary["team_count"] > 0].itertuples():
        metric = config.metric(row.metric)
        rank = (
            "not ranked"
            if _missing(row.rank)
            else f"#{int(row.rank)} of {int(row.ranked)} in team for the period"
        )
        median = value_text(row.team_median, metric)
        compared = not _missing(row.value) and not _missing(row.team_median)
        tone = _tone(metric.improved(row.value - row.team_median) if compared else None)
        cards.append(
            card(
                row.label,
                value_text(row.value, metric),
                [f"team median {median}", rank],
                tone,
            )
        )
    return cards
