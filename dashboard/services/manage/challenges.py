"""The challenges tab of ``/manage``: active, upcoming and ended challenges with their standings.

An admin sees every standing; a team lead only their teams' entries (`for_teams`; ranks stay those of the
whole challenge). Test-mode challenges are listed here, marked, and never on a TV.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kpi.config import Config
from kpi.model.challenge_results import Entry, Standings
from kpi.model.metrics import Metric
from kpi.model.viewer import Viewer
from kpi.read.challenge_views import ChallengeState, challenge_detail, challenge_states, for_teams
from kpi.store.base import Store


@dataclass(frozen=True)
class ChallengeCard:
    """One instance with the standings and winners this viewer may see."""

    state: ChallengeState
    metric: Metric
    standings: Standings
    winners: tuple[Entry, ...]

    @property
    def test(self) -> bool:
        return self.state.instance.challenge.test


@dataclass(frozen=True)
class ChallengesPage:
    """Everything the challenges tab shows, in config order within each group."""

    active: list[ChallengeCard]
    upcoming: list[ChallengeCard]
    ended: list[ChallengeCard]


def _scoped(table: Standings, viewer: Viewer) -> Standings:
    return table if viewer.sees_all else for_teams(table, viewer.teams)


def challenge_card(
    store: Store, config: Config, state: ChallengeState, viewer: Viewer, now: datetime
) -> ChallengeCard:
    """One instance's full standings, cut to the viewer's teams for a team lead."""
    detail = challenge_detail(store, config, state.instance, now)
    winners = tuple(w for w in detail.winners if viewer.sees_all or w.team in viewer.teams)
    metric = config.metric(state.instance.challenge.metric)
    return ChallengeCard(detail.state, metric, _scoped(detail.standings, viewer), winners)


def challenges_page(store: Store, config: Config, viewer: Viewer, now: datetime) -> ChallengesPage:
    """Running, next and recently ended instances, test ones included."""
    page = ChallengesPage([], [], [])
    for state in challenge_states(store, config, now, include_test=True):
        card = challenge_card(store, config, state, viewer, now)
        group = {"active": page.active, "upcoming": page.upcoming}.get(state.status, page.ended)
        group.append(card)
    return page
