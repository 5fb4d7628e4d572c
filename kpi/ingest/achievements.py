"""Evaluating achievements: store what the history deserves, withdraw what it no longer supports.

Awards follow the history. Each evaluation derives, from the figures as they stand, every award its holders
deserve with its original date, then stores the new ones, re-dates those a correction moved and withdraws
those a correction took away (quietly: a withdrawal is never shown on a TV). So a live store and one rebuilt
from the sources hold the same awards, and evaluating twice awards nothing the second time.

An award is *live* (and may be celebrated, if its badge says so and it is not a test) only when it was
earned just now: today for a running total, or its period closed within ``celebrations.recent_minutes``
for a judged-at-close badge, and its badge was already being evaluated before (switching a badge on is a
retroactive sweep). Everything else is retroactive and never celebrated.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from datetime import datetime, time, timedelta

from kpi.config import Config
from kpi.game.achievements import Champion
from kpi.game.criteria import Found
from kpi.ingest.award_celebrations import award_celebrations, celebrated
from kpi.model.awards import Award, Subject
from kpi.model.periods import local_day, span_of
from kpi.read.achievement_history import (
    History,
    Rule,
    champion_buckets,
    champion_winners,
    found_for,
    rules_of,
)
from kpi.store.agent_choices import choices_for
from kpi.store.awards import AwardBook, awards_for
from kpi.store.base import Store, StoreUnavailable
from kpi.store.celebration_feed import feed_for

log = logging.getLogger("wallboard.achievements")


def evaluate_achievements(
    store: Store, config: Config, now: datetime, agents: Collection[str] | None = None
) -> list[Award]:
    """Bring the stored awards in line with the history; return the awards newly stored.

    Args:
        now: the moment of evaluation (today, closed periods, and whether an award is live).
        agents: evaluate only these agents and their teams (after an ingest batch); None sweeps everyone.
    """
    rules = rules_of(config)
    if not rules:
        return []
    book = awards_for(store)
    subjects = _subjects(store, config, book, agents)
    history = History(store, config, now, None if agents is None else subjects)
    fresh = book.enable([r.id for r in rules], now)
    held = book.held(sorted(subjects))
    add: list[Award] = []
    moved: list[Award] = []
    gone: list[Award] = []
    for rule in rules:
        if isinstance(rule.badge, Champion):
            _champions(store, config, book, history, rule, rule.badge, held, now, fresh, add, gone)
            continue
        for subject in subjects:
            if subject[0] != rule.scope:
                continue
            mine = {k: a for k, a in held[subject].items() if a.badge == rule.id}
            for found in found_for(history, rule, subject[1]):
                old = mine.pop(f"{rule.id}|{found.occurrence}", None)
                if old is None:
                    add.append(_award(config, rule, subject, found, now, fresh))
                elif old.earned_on != found.earned_on:
                    moved.append(old.redated(found.earned_on))
            gone.extend(mine.values())
    stored = book.add(add)
    book.replace(moved)
    book.remove(gone)
    if gone or moved:
        log.info("achievements: %d withdrawn, %d re-dated after corrections", len(gone), len(moved))
    _celebrate(store, config, stored, now)
    return stored


def _subjects(store: Store, config: Config, book: AwardBook, agents: Collection[str] | None) -> set[Subject]:
    if agents is None:
        known = store.agents()
        teams = {a.team for a in known.values() if a.team} | set(config.goals)
        return {("agent", a) for a in known} | {("team", t) for t in teams} | book.subjects()
    known = store.agents(sorted(set(agents)))
    teams = {a.team for a in known.values() if a.team}
    return {("agent", a) for a in agents} | {("team", t) for t in teams}


def _champions(
    store: Store,
    config: Config,
    book: AwardBook,
    history: History,
    rule: Rule,
    badge: Champion,
    held: dict[Subject, dict[str, Award]],
    now: datetime,
    fresh: set[str],
    add: list[Award],
    gone: list[Award],
) -> None:
    """A rank depends on everyone: judge each period one of the holders took part in or holds, as a whole."""
    buckets: set[str] = set()
    for (scope, member), awards in held.items():
        if scope == "agent":
            buckets |= champion_buckets(history, badge, member)
            buckets |= {a.occurrence for a in awards.values() if a.badge == rule.id}
    holders = book.holders(rule.id, sorted(buckets))
    for bucket in sorted(buckets):
        last = span_of(badge.period, bucket).last
        found = Found(bucket, last, True)
        winners = {("agent", m) for m in champion_winners(store, config, badge, bucket)}
        add.extend(_award(config, rule, s, found, now, fresh) for s in sorted(winners - holders[bucket]))
        gone.extend(Award(rule.id, s[0], s[1], bucket, last, now) for s in sorted(holders[bucket] - winners))


def _award(
    config: Config, rule: Rule, subject: Subject, found: Found, now: datetime, fresh: set[str]
) -> Award:
    live = rule.id not in fresh and _just_earned(config, found, now)
    return Award(
        badge=rule.id,
        scope=subject[0],
        member=subject[1],
        occurrence=found.occurrence,
        earned_on=found.earned_on,
        found_at=now,
        retroactive=not live,
        celebrate=live and rule.celebrate and not rule.test,
        test=rule.test,
        name=rule.name,
    )


def _just_earned(config: Config, found: Found, now: datetime) -> bool:
    """Earned today (a running total), or judged at a close that came within the recent minutes."""
    if not found.closed:
        return found.earned_on == local_day(now, config.zone)
    closed_at = datetime.combine(found.earned_on + timedelta(days=1), time(), config.zone)
    return now - timedelta(minutes=config.celebrations.recent_minutes) <= closed_at <= now


def _celebrate(store: Store, config: Config, awards: Sequence[Award], now: datetime) -> None:
    """Announce live awards on the kiosks' celebration feed (see `award_celebrations` for which)."""
    if not celebrated(awards, config.agents):
        return
    try:
        choices = choices_for(store).all()
        known = store.agents(sorted({a.member for a in awards if a.scope == "agent"}))
        items = award_celebrations(awards, config.agents, choices, known, now)
        if items:
            feed_for(store).publish(items, config.celebrations.keep)
    except StoreUnavailable as exc:
        log.warning("achievement celebrations not published: %s", exc)
