"""What each kiosk view shows, computed from the store with the screen's rules applied.

Everything that decides who or what appears on a TV lives here (top N, hidden agents, aliases, pace,
comparisons), so that the Dash layer only draws what it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from kpi.config import Config
from kpi.config.screens import (
    BadgesView,
    ChallengeRaceView,
    ChallengesView,
    KpiTilesView,
    LeaderboardView,
    NpsTrendView,
    Screen,
    TeamGoalsView,
    View,
)
from kpi.model.metrics import Metric
from kpi.model.periods import Period, bucket_of, current_bucket, elapsed_fraction, local_day, previous_bucket
from kpi.read.avatars import Avatar, avatar
from kpi.read.badge_wall import BadgeWall, badge_wall
from kpi.read.challenge_views import ChallengeView
from kpi.read.display_names import hidden_agents, screen_names
from kpi.read.ended_cache import remember_ended
from kpi.read.formatting import change_words, shown_change
from kpi.read.goal_progress import GoalProgress, goals_progress
from kpi.read.kiosk_challenges import ChallengeBoard, challenge_board, challenge_race
from kpi.read.rankings import floor_reading, ranking, ranks_of
from kpi.read.trends import NpsTrend, nps_trend
from kpi.read.view_deps import metric_parts
from kpi.store.agent_choices import choices_for
from kpi.store.base import Store

MAX_GOALS = 8
"""At most this many goal bars fit on a screen."""
_PREVIOUS_WORDS: dict[Period, str] = {
    "day": "yesterday",
    "week": "last week",
    "month": "last month",
    "quarter": "last quarter",
    "year": "last year",
}


def in_points(metric: Metric) -> bool:
    """A score on a fixed scale (NPS, a ``/5`` rating) changes by points; other figures by a percentage."""
    return metric.aggregation == "nps" or (metric.aggregation == "mean" and metric.unit.startswith("/"))


def previous_words(period: Period) -> str:
    """The bucket a figure or a rank is compared with, in words (``last week``)."""
    return _PREVIOUS_WORDS[period]


@dataclass(frozen=True)
class PodiumRow:
    """One place on a podium, with the name as the screen may show it."""

    rank: int
    name: str
    team: str | None
    value: float
    movement: int | None
    """Places gained (+) or lost (-) since the previous bucket; None when not known."""
    new: bool
    """True when the member had no figure at all in the previous bucket."""
    tied: bool = False
    """True when another shown row shares the rank (shown as ``=3rd`` / ``=3``)."""
    avatar: Avatar | None = None


@dataclass(frozen=True)
class Podium:
    """The top N of one board."""

    metric: Metric
    period: Period
    bucket: str
    scope: str
    team: str | None
    top_n: int
    rows: list[PodiumRow]


@dataclass(frozen=True)
class Tile:
    """One big number of the whole floor, compared with an earlier bucket."""

    metric: Metric
    period: Period
    bucket: str
    value: float | None
    reference: float | None
    """The earlier figure the value is compared with (scaled to the time elapsed for counts and sums)."""
    change: float | None
    """Relative change (0.12 = +12 %), or points for NPS and ratings (`in_points`); None when not compared."""
    better: bool | None
    """Whether the change is good news (up, or down for lower-is-better metrics); None when unchanged."""
    compared_with: str
    paced: bool

    def change_words(self) -> str:
        """The change as the TV says it: ``▲ 12%``, ``▼ 4 pts``, ``= 0.00 pts``."""
        return change_words(self.change or 0.0, *_change_form(self.metric))


def _change_form(metric: Metric) -> tuple[bool, int | None]:
    """How a metric's change is written: whether in NPS points, and a rating's decimals (else a percent)."""
    nps = metric.aggregation == "nps"
    return nps, metric.decimals if in_points(metric) and not nps else None


ViewData = (
    Podium | list[GoalProgress] | NpsTrend | list[Tile] | BadgeWall | ChallengeView | ChallengeBoard | None
)


def view_data(store: Store, config: Config, screen: Screen, view: View, now: datetime) -> ViewData:
    """The data of one view of `screen` at `now`."""
    if isinstance(view, LeaderboardView):
        return podium(store, config, screen, view, now)
    if isinstance(view, TeamGoalsView):
        return team_goals(store, config, view, now)
    if isinstance(view, NpsTrendView):
        return nps_trend(store, config, view, now)
    if isinstance(view, BadgesView):
        return badge_wall(store, config, screen, view, now)
    if isinstance(view, ChallengeRaceView):
        return challenge_race(store, config, screen, view, now)
    if isinstance(view, ChallengesView):
        return challenge_board(store, config, screen, view, now)
    return kpi_tiles(store, config, view, now)


def podium(store: Store, config: Config, screen: Screen, view: LeaderboardView, now: datetime) -> Podium:
    """The view's top N (capped on the server), hidden agents removed first, names as screens show them."""
    metric = config.metric(view.metric)
    top_n = screen.top_n_of(view)
    bucket = current_bucket(view.period, now, config.zone)
    hidden = hidden_agents(config.agents, choices_for(store).all()) if view.scope == "agent" else frozenset()
    rows = ranking(
        store,
        config,
        metric.name,
        view.period,
        bucket,
        view.scope,
        team=view.team,
        limit=top_n,
        exclude=hidden,
    )
    before = _previous_ranks(
        store, config, view, previous_bucket(view.period, bucket), [r.id for r in rows], hidden
    )
    shown = []
    ranks = [row.rank for row in rows]
    names = (
        [row.name for row in rows]
        if view.scope == "team"
        else screen_names([(row.id, row.name) for row in rows], config.agents, screen.name_style)
    )
    for row, name in zip(rows, names):
        was = before.get(row.id)
        shown.append(
            PodiumRow(
                rank=row.rank,
                name=name,
                team=row.team if view.scope == "agent" else None,
                value=row.value,
                movement=None if was is None or was == 0 else was - row.rank,
                new=was == 0,
                tied=ranks.count(row.rank) > 1,
                avatar=avatar(
                    row.id, name, row.team if view.scope == "agent" else row.name, config.agents, config.teams
                ),
            )
        )
    return Podium(metric, view.period, bucket, view.scope, view.team, top_n, shown)


def _previous_ranks(
    store: Store,
    config: Config,
    view: LeaderboardView,
    bucket: str,
    members: list[str],
    hidden: frozenset[str],
) -> dict[str, int]:
    """Each member's rank in the ended `bucket` under the same rules; 0 for members without any figure there.

    Remembered until the metric's version moves (see `kpi.read.ended_cache`): an ended bucket changes only
    through late corrections.
    """
    if not members:
        return {}
    key = ("previous-ranks", view.metric, view.period, bucket, view.scope, view.team, hidden, tuple(members))
    return remember_ended(
        store,
        metric_parts(config, [view.metric]),
        key,
        lambda: ranks_of(
            store, config, view.metric, bucket, view.scope, members, team=view.team, exclude=hidden
        ),
    )


def team_goals(store: Store, config: Config, view: TeamGoalsView, now: datetime) -> list[GoalProgress]:
    """Progress of each configured goal of the view's period and teams, in its current bucket."""
    teams = frozenset(view.teams) if view.teams else None
    return goals_progress(store, config, now, period=view.period, teams=teams, limit=MAX_GOALS)


def kpi_tiles(store: Store, config: Config, view: KpiTilesView, now: datetime) -> list[Tile]:
    """The floor's figure of each metric in the current bucket, against the bucket the view compares with."""
    bucket = current_bucket(view.period, now, config.zone)
    if view.compare == "none":
        reference_bucket, words = None, ""
    elif view.compare == "last_week":
        reference_bucket = bucket_of(local_day(now, config.zone) - timedelta(days=7), view.period)
        weekday = local_day(now, config.zone).strftime("%A")
        words = f"last {weekday}" if view.period == "day" else _PREVIOUS_WORDS[view.period]
    else:
        reference_bucket, words = previous_bucket(view.period, bucket), _PREVIOUS_WORDS[view.period]
    elapsed = elapsed_fraction(view.period, bucket, now, config.zone, config.office_hours)
    tiles = []
    for name in view.metrics:
        metric = config.metric(name)
        value = floor_reading(store, config, name, bucket).value
        if reference_bucket is None or reference_bucket == bucket:
            tiles.append(Tile(metric, view.period, bucket, value, None, None, None, words, False))
            continue
        paced = metric.aggregation in ("count", "sum")
        reference = floor_reading(store, config, name, reference_bucket).value
        if paced and reference is not None:
            reference *= elapsed
        tiles.append(_compared(metric, view.period, bucket, value, reference, words, paced))
    return tiles


def _compared(
    metric: Metric,
    period: Period,
    bucket: str,
    value: float | None,
    reference: float | None,
    words: str,
    paced: bool,
) -> Tile:
    if paced and value is None:
        value = 0.0
    if value is None or reference is None or (metric.aggregation != "nps" and reference == 0):
        return Tile(metric, period, bucket, value, reference, None, None, words, paced)
    change = value - reference if in_points(metric) else (value - reference) / abs(reference)
    better = metric.improved(shown_change(change, *_change_form(metric)))
    return Tile(metric, period, bucket, value, reference, change, better, words, paced)
