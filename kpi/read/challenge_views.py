"""What the TV, `/manage`, `/me` and the API show of challenges: one status rule, fixed results once fixed.

* `challenge_states` — the instances to list (running, next, recently ended) with their status;
* `challenge_detail` — one instance's standings in full (the fixed ones once fixed) and its winners;
* `challenge_view` — what a TV may show: never a test, never beyond the top N, hidden agents left out
  (they take no place), aliases as names; every team of a team race;
* `screen_challenges` — the views a rotating ``challenges`` screen shows (running ones, and winners for
  ``winners_hours`` after a result is fixed);
* `my_challenges` — the challenges an agent takes part in, with their own position (for `/me`);
* `for_teams` — standings cut to some teams (a team lead's `/manage`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from kpi.config import Config
from kpi.game.challenge_calendar import RECENT_DAYS, Instance, instances_near
from kpi.model.challenge_results import Entry, FixedResult, Progress, Standings
from kpi.model.metrics import Metric
from kpi.read.challenge_tv import tv_standings
from kpi.read.challenge_tv import visible as _visible
from kpi.read.challenges import standings
from kpi.read.display_names import screen_names
from kpi.store.base import Store
from kpi.store.challenge_results import challenge_book_for

Status = Literal["upcoming", "active", "settling", "final"]
"""Not started; running; ended, result not fixed yet (corrections still count); result fixed."""


@dataclass(frozen=True)
class ChallengeState:
    """One instance and where it stands."""

    instance: Instance
    status: Status
    result: FixedResult | None

    def public(self) -> dict[str, Any]:
        """The fields the API lists for an instance."""
        challenge = self.instance.challenge
        return {
            "id": self.instance.id,
            "challenge_id": challenge.id,
            "title": challenge.title,
            "kind": challenge.kind,
            "metric": challenge.metric,
            "prize": challenge.prize,
            "test": challenge.test,
            "recurring": challenge.recurring,
            "first_day": self.instance.first.isoformat(),
            "last_day": self.instance.last.isoformat(),
            "starts_at": self.instance.starts_at.isoformat(),
            "ends_at": self.instance.ends_at.isoformat(),
            "status": self.status,
            "fixed_at": self.result.fixed_at.isoformat() if self.result else None,
        }


@dataclass(frozen=True)
class ChallengeDetail:
    """One instance in full: its standings (fixed once fixed) and its winners once fixed."""

    state: ChallengeState
    standings: Standings
    winners: tuple[Entry, ...]


@dataclass(frozen=True)
class ViewRow:
    """One place on a TV: the name as the screen may show it."""

    rank: int
    name: str
    team: str | None
    score: float | None
    value: float | None


@dataclass(frozen=True)
class ChallengeView:
    """A challenge as a TV shows it."""

    instance_id: str
    title: str
    kind: str
    prize: str
    status: Status
    metric: Metric
    scope: str
    score_unit: str
    ends_at: datetime
    seconds_left: int = field(repr=False, compare=False)
    """Left out of the view's fingerprint: the TV counts it down by itself, so the passing of time alone
    does not send the view again."""
    rows: tuple[ViewRow, ...]
    progress: Progress | None
    winners: tuple[ViewRow, ...]


@dataclass(frozen=True)
class MyChallenge:
    """A challenge an agent is in, with their own entry (their team's, in a team race)."""

    state: ChallengeState
    entry: Entry | None
    placed: int
    progress: Progress | None


def _status(store: Store, config: Config, instances: list[Instance], now: datetime) -> list[ChallengeState]:
    results = challenge_book_for(store).results([i.id for i in instances])
    states = []
    for instance in instances:
        result = results.get(instance.id)
        phase = instance.phase(now, config.challenges.grace(instance.challenge))
        status: Status = "final" if result else "settling" if phase in ("settling", "ended") else phase
        states.append(ChallengeState(instance, status, result))
    return states


def challenge_states(
    store: Store, config: Config, now: datetime, *, include_test: bool = False, recent_days: int = 7
) -> list[ChallengeState]:
    """Running, next and recently ended instances (ended at most `recent_days` ago), in config order."""
    instances = [
        instance
        for challenge in config.challenges.definitions
        if include_test or not challenge.test
        for instance in instances_near(challenge, now, config.zone, min(recent_days, RECENT_DAYS))
    ]
    return _status(store, config, instances, now)


def state_of(store: Store, config: Config, instance: Instance, now: datetime) -> ChallengeState:
    return _status(store, config, [instance], now)[0]


def challenge_detail(store: Store, config: Config, instance: Instance, now: datetime) -> ChallengeDetail:
    """One instance's full standings: the fixed result once fixed, else computed now."""
    state = state_of(store, config, instance, now)
    if state.result is not None:
        return ChallengeDetail(state, state.result.standings, state.result.winners)
    return ChallengeDetail(state, standings(store, config, instance, now), ())


def _rows(
    config: Config, entries: Sequence[Entry], scope: str, name_style: str = "full"
) -> tuple[ViewRow, ...]:
    """Rows shown together, agents named as the screen names them (`screen_names`)."""
    if scope == "agent":
        names = screen_names([(e.id, e.name) for e in entries], config.agents, name_style)
    else:
        names = [e.name for e in entries]
    return tuple(ViewRow(e.rank, name, e.team, e.score, e.value) for e, name in zip(entries, names))


def challenge_view(
    store: Store,
    config: Config,
    instance: Instance,
    now: datetime,
    *,
    top_n: int,
    hidden: Collection[str],
    name_style: str = "full",
) -> ChallengeView | None:
    """What a TV shows of one instance (agents named in the screen's `name_style`), or None for a test
    challenge (never on a screen)."""
    challenge = instance.challenge
    if challenge.test:
        return None
    state = state_of(store, config, instance, now)
    if state.result is None:
        table = tv_standings(store, config, instance, now, top_n=top_n, hidden=hidden)
        detail = ChallengeDetail(state, table, ())
    else:
        detail = ChallengeDetail(state, state.result.standings, state.result.winners)
    table = detail.standings
    if table.scope == "team":
        rows = _rows(config, table.entries, "team")
        winners = _rows(config, detail.winners, "team")
    else:
        shown = table.entries if state.result is None else tuple(_visible(table.entries, hidden, top_n))
        rows = _rows(config, shown, "agent", name_style)
        winners = _rows(config, tuple(_visible(detail.winners, hidden, top_n)), "agent", name_style)
    left = max(0, int((instance.ends_at - now).total_seconds()))
    return ChallengeView(
        instance.id,
        challenge.title,
        challenge.kind,
        challenge.prize,
        detail.state.status,
        config.metric(challenge.metric),
        table.scope,
        table.score_unit,
        instance.ends_at,
        left,
        rows,
        table.progress,
        winners,
    )


def screen_challenges(
    store: Store,
    config: Config,
    now: datetime,
    *,
    top_n: int,
    hidden: Collection[str],
    name_style: str = "full",
) -> list[ChallengeView]:
    """The views a ``challenges`` screen rotates: running instances, and fixed ones while their winners
    are shown (``winners_hours`` after fixing)."""
    shown = []
    for state in challenge_states(store, config, now):
        keep_until = (
            state.result.fixed_at + config.challenges.winners_shown(state.instance.challenge)
            if state.result
            else None
        )
        if state.status == "active" or (keep_until is not None and now < keep_until):
            view = challenge_view(
                store, config, state.instance, now, top_n=top_n, hidden=hidden, name_style=name_style
            )
            if view is not None:
                shown.append(view)
    return shown


def my_challenges(store: Store, config: Config, agent_id: str, now: datetime) -> list[MyChallenge]:
    """The challenges (not tests) that include `agent_id`: running ones, and recently ended ones they have an
    entry in, with their own position (None while they have no figure yet)."""
    agent = store.agents([agent_id]).get(agent_id)
    team = agent.team if agent else None
    mine = []
    for state in challenge_states(store, config, now):
        participants = state.instance.challenge.participants
        if state.status == "upcoming" or not participants.includes(agent_id, team):
            continue
        table = challenge_detail(store, config, state.instance, now).standings
        entry = table.entry(team if table.scope == "team" and team else agent_id)
        if entry is None and state.status != "active":
            continue
        mine.append(MyChallenge(state, entry, len(table.placed()), table.progress))
    return mine


def for_teams(table: Standings, teams: Collection[str]) -> Standings:
    """The standings cut to entries of `teams` (ranks stay those of the whole challenge)."""
    return replace(table, entries=tuple(e for e in table.entries if e.team in teams))
