"""The kiosks' challenge views: which instance a ``challenge`` view shows, and what a ``challenges`` view
rotates. Privacy (no tests, top N, hidden agents) is decided by `kpi.read.challenge_views`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kpi.config import Config
from kpi.config.screens import ChallengeRaceView, ChallengesView, Screen
from kpi.game.challenge_calendar import Instance, instances_near
from kpi.read.challenge_views import ChallengeView, challenge_view, screen_challenges, state_of
from kpi.read.display_names import hidden_agents
from kpi.store.agent_choices import choices_for
from kpi.store.base import Store


@dataclass(frozen=True)
class ChallengeBoard:
    """The challenges a ``challenges`` view shows: the first as a panel, the others as a list."""

    views: tuple[ChallengeView, ...]

    @property
    def first(self) -> ChallengeView | None:
        return self.views[0] if self.views else None


def _hidden(store: Store, config: Config) -> frozenset[str]:
    return hidden_agents(config.agents, choices_for(store).all())


def shown_instance(store: Store, config: Config, challenge_id: str, now: datetime) -> Instance | None:
    """The running instance; else the latest while its winners are shown; else the next one; else None."""
    challenge = config.challenges.by_id(challenge_id)
    if challenge is None or challenge.test:
        return None
    near = instances_near(challenge, now, config.zone)
    running = [i for i in near if i.starts_at <= now < i.ends_at]
    if running:
        return running[-1]
    ended = [i for i in near if i.ends_at <= now]
    if ended:
        state = state_of(store, config, ended[-1], now)
        shown_until = (
            state.result.fixed_at + config.challenges.winners_shown(challenge) if state.result else None
        )
        if state.status == "settling" or (shown_until is not None and now < shown_until):
            return ended[-1]
    upcoming = [i for i in near if i.starts_at > now]
    return upcoming[0] if upcoming else None


def challenge_race(
    store: Store, config: Config, screen: Screen, view: ChallengeRaceView, now: datetime
) -> ChallengeView | None:
    """What a ``challenge`` view shows now, or None (unknown, test, or nothing running or to come)."""
    instance = shown_instance(store, config, view.challenge, now)
    if instance is None:
        return None
    return challenge_view(
        store,
        config,
        instance,
        now,
        top_n=screen.top_n_of(view),
        hidden=_hidden(store, config),
        name_style=screen.name_style,
    )


def challenge_board(
    store: Store, config: Config, screen: Screen, view: ChallengesView, now: datetime
) -> ChallengeBoard:
    """The running challenges and fresh winners, as `screen_challenges` picks them."""
    views = screen_challenges(
        store,
        config,
        now,
        top_n=screen.top_n_of(view),
        hidden=_hidden(store, config),
        name_style=screen.name_style,
    )
    return ChallengeBoard(tuple(views))
