"""Fixing challenge results once, and the challenge moments kiosks celebrate.

Both functions are idempotent and safe to run from several processes: call them from any periodic loop
(a sync run, a kiosk refresh, a cron) at any rate. Nothing needs to run at the exact end of a challenge:
an instance is fixed at the first call after its end plus grace period, from the figures as they then
stand (so corrections within the grace count, later ones do not change the stored result).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from kpi.config import Config
from kpi.game.challenge_calendar import Instance, instances_near
from kpi.game.challenge_scoring import lead_change
from kpi.model.celebration import Celebration
from kpi.model.challenge_results import Entry, FixedResult
from kpi.read.challenges import standings
from kpi.read.display_names import hidden_agents
from kpi.store.agent_choices import choices_for
from kpi.store.base import Store
from kpi.store.celebration_feed import feed_for
from kpi.store.challenge_results import challenge_book_for

WON, TARGET, LEAD = "challenge_won", "challenge_target", "challenge_lead"
"""The celebration kinds of challenges."""


def settle_challenges(store: Store, config: Config, now: datetime) -> list[FixedResult]:
    """Fix every instance past its end and grace period that is not fixed yet; return those this call fixed.

    Winners of a result fixed soon enough after its grace period (within ``celebrations.recent_minutes``)
    are celebrated, unless the challenge is a test; a result fixed late (nothing ran for days) is stored
    quietly.
    """
    settings = config.challenges
    due = [
        instance
        for challenge in settings.definitions
        for instance in instances_near(challenge, now, config.zone)
        if instance.phase(now, settings.grace(challenge)) == "ended"
    ]
    book = challenge_book_for(store)
    done = book.results([i.id for i in due])
    fixed: list[FixedResult] = []
    moments: list[Celebration] = []
    hidden = _hidden(store, config)
    for instance in due:
        if instance.id in done:
            continue
        final = standings(store, config, instance, max(now, instance.ends_at))
        result = FixedResult(instance.id, now, final, final.winners(instance.challenge.winners))
        if not book.fix(result):
            continue
        fixed.append(result)
        fresh = now - (instance.ends_at + settings.grace(instance.challenge)) <= _recent(config)
        if instance.challenge.test or not fresh:
            continue
        if final.progress is not None:
            if final.progress.reached and book.mark_reached(instance.id, now):
                moments.append(_target_reached(config, instance, now))
        else:
            moments.extend(_named(config, instance, result.winners, WON, "won!", hidden, now))
    feed_for(store).publish(moments, config.celebrations.keep)
    return fixed


def challenge_moments(store: Store, config: Config, now: datetime) -> list[Celebration]:
    """Publish and return what running challenges deserve now: a collaborative target reached (once), and a
    change of leader in a challenge's last minutes (rate-limited per instance; see `lead_change`)."""
    settings = config.challenges
    book = challenge_book_for(store)
    hidden = _hidden(store, config)
    moments: list[Celebration] = []
    for challenge in settings.definitions:
        if challenge.test:
            continue
        rule = settings.lead_rule(challenge)
        for instance in instances_near(challenge, now, config.zone, recent_days=0):
            if instance.phase(now, timedelta(0)) != "active":
                continue
            if challenge.kind == "collaborative":
                progress = standings(store, config, instance, now).progress
                if progress is not None and progress.reached and book.mark_reached(instance.id, now):
                    moments.append(_target_reached(config, instance, now))
                continue
            if not rule.enabled or now < instance.ends_at - timedelta(minutes=rule.last_minutes):
                continue
            record = book.lead(instance.id)
            kept, leader = lead_change(
                record, standings(store, config, instance, now), now, instance.ends_at, rule
            )
            if book.swap_lead(instance.id, record, kept) and leader is not None:
                moments.extend(_named(config, instance, [leader], LEAD, "new leader!", hidden, now))
    feed_for(store).publish(moments, config.celebrations.keep)
    return moments


def _recent(config: Config) -> timedelta:
    return timedelta(minutes=config.celebrations.recent_minutes)


def _hidden(store: Store, config: Config) -> frozenset[str]:
    return hidden_agents(config.agents, choices_for(store).all())


def _named(
    config: Config,
    instance: Instance,
    entries: Sequence[Entry],
    kind: str,
    words: str,
    hidden: frozenset[str],
    now: datetime,
) -> list[Celebration]:
    """One celebration per named entry (agents hidden from screens are never named)."""
    found = []
    for entry in entries:
        if entry.id in hidden:
            continue
        alias = config.agents[entry.id].alias if entry.id in config.agents else None
        found.append(
            Celebration(
                title=f"{instance.challenge.title}: {words}",
                kind=kind,
                agent_id=entry.id,
                name=alias or entry.name,
                is_alias=alias is not None,
                team=entry.team,
                amount=None,
                unit="",
                occurred_at=now.isoformat(),
            )
        )
    return found


def _target_reached(config: Config, instance: Instance, now: datetime) -> Celebration:
    teams = instance.challenge.participants.teams
    who = ", ".join(teams) if teams else "The floor"
    return Celebration(
        title=f"{instance.challenge.title}: target reached!",
        kind=TARGET,
        agent_id="",
        name=who,
        is_alias=False,
        team=teams[0] if len(teams) == 1 else None,
        amount=instance.challenge.target,
        unit=config.metric(instance.challenge.metric).unit,
        occurred_at=now.isoformat(),
    )
