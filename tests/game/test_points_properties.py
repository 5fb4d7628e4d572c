"""Whatever the history, live points equal a plain recomputation and equal a rescore of the final history.

Hypothesis draws tickets (priorities, reopen flags, agents and days that change between versions,
retractions) and ratings that name a ticket — possibly one that never arrives, arrives later, or is
retracted — sends every version plus duplicates in a shuffled order, and compares the points boards of
(1) live ingest with the rules, (2) a plain recomputation from the newest version of each record, and
(3) ingest with no rules followed by `rescore` with the rules (twice: the second changes nothing).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta, timezone
from typing import Callable
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi.model.contributions import SCALE
from kpi.model.events import Event
from kpi.model.periods import buckets_of
from kpi.store import MemoryStore, RedisStore, Store
from tests.game.points_helpers import make_config

RULES = make_config()
NO_RULES = make_config({"rules": {}})
OSLO = ZoneInfo("Europe/Oslo")
DAYS = [datetime(2026, 11, 22, 22, 30, tzinfo=timezone.utc), datetime(2026, 11, 24, 9, tzinfo=timezone.utc)]
AGENTS = {"ana": "north", "bo": "south", "cy": "north"}
TICKETS = ("t1", "t2", "t3")


@st.composite
def versions_of(draw: st.DrawFn, record_id: str, kind: str) -> list[Event]:
    origin = datetime(2026, 11, 30, tzinfo=timezone.utc)
    stamps = sorted(draw(st.lists(st.integers(0, 4), min_size=1, max_size=3)))
    found = []
    for stamp in stamps:
        agent = draw(st.sampled_from(sorted(AGENTS)))
        if kind == "ticket_solved":
            value = 1.0
            attributes = {
                "priority": draw(st.sampled_from(["urgent", "high", "normal", "low"])),
                "reopened": draw(st.sampled_from([False, False, True])),
                "sla_breached": draw(st.booleans()),
            }
        else:
            value = float(draw(st.sampled_from([3, 4, 5, 5])))
            attributes = {"ticket_id": draw(st.sampled_from([*TICKETS, "t9"]))}
        found.append(
            Event(
                source="zd",
                id=record_id,
                type=kind,
                agent_id=agent,
                team=AGENTS[agent],
                value=value,
                occurred_at=draw(st.sampled_from(DAYS)),
                updated_at=origin + timedelta(hours=stamp),
                attributes=attributes,
                deleted=draw(st.sampled_from([False, False, False, True])),
            )
        )
    return found


@st.composite
def arrivals(draw: st.DrawFn) -> list[Event]:
    versions: list[Event] = []
    for ticket in draw(st.lists(st.sampled_from(TICKETS), unique=True, max_size=3)):
        versions += draw(versions_of(ticket, "ticket_solved"))
    for rating in draw(st.lists(st.sampled_from(["r1", "r2", "r3"]), unique=True, min_size=1, max_size=3)):
        versions += draw(versions_of(rating, "csat_rating"))
    duplicates = draw(st.lists(st.sampled_from(versions), max_size=3))
    return draw(st.permutations(versions + duplicates))


Boards = dict[tuple[str, str], dict[str, int]]


def expected_points(arrived: list[Event]) -> Boards:
    """Each record's newest version scored by the rules; a rating's points go to its live ticket's owner."""
    newest: dict[str, Event] = {}
    for event in arrived:
        current = newest.get(event.id)
        if current is None or (event.updated_at, event.content_hash) > (
            current.updated_at,
            current.content_hash,
        ):
            newest[event.id] = event
    boards: Boards = defaultdict(lambda: defaultdict(int))
    scorer = RULES.points_scorer
    assert scorer is not None
    for event in newest.values():
        score = scorer.score(event)
        if score is None or event.deleted or not score.points:
            continue
        owner = event
        if score.link is not None:
            target = newest.get(score.link)
            linkable = target is not None and not target.deleted and scorer.score(target).linkable
            if not linkable:
                continue
            owner = target
        for bucket in buckets_of(owner.occurred_at, OSLO).values():
            boards[(bucket, "agent")][owner.agent_id] += round(score.points * SCALE)
            boards[(bucket, "team")][owner.team or ""] += round(score.points * SCALE)
    return {key: {m: t for m, t in members.items()} for key, members in boards.items()}


def board_points(store: Store) -> Boards:
    keys = {(b, s) for day in DAYS for b in buckets_of(day, OSLO).values() for s in ("agent", "team")}
    found = {}
    for bucket, scope in keys:
        figures = store.figures("points", bucket, scope)  # type: ignore[arg-type]
        found[(bucket, scope)] = {m: f.total for m, f in figures.items()}
    return found


def without_empty(boards: Boards) -> Boards:
    return {key: members for key, members in boards.items() if members}


@pytest.fixture(params=["memory", "redis"])
def fresh(request: pytest.FixtureRequest) -> Callable[[], Store]:
    if request.param == "memory":
        return MemoryStore
    client = request.getfixturevalue("redis_client")

    def flushed() -> Store:
        client.flushdb()
        return RedisStore(client, "live")

    return flushed


def test_live_points_equal_a_recomputation_and_a_rescore_of_the_final_history(
    fresh: Callable[[], Store], request: pytest.FixtureRequest
) -> None:
    examples = 60 if "redis" in request.node.callspec.id else 250

    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(arrived=arrivals())
    def check(arrived: list[Event]) -> None:
        live = fresh()
        live.upsert(arrived, RULES)
        got = without_empty(board_points(live))
        # Points equal to zero keep a member on the board (count > 0), so compare non-zero totals.
        nonzero = {k: {m: t for m, t in v.items() if t} for k, v in got.items()}
        assert without_empty(nonzero) == without_empty(expected_points(arrived))
        rescored = MemoryStore() if isinstance(live, MemoryStore) else RedisStore(live.client, "rescored")
        rescored.upsert(arrived, NO_RULES)
        rescored.rescore(RULES)
        assert without_empty(board_points(rescored)) == got
        assert rescored.rescore(RULES).changed == 0
        assert without_empty(board_points(rescored)) == got

    check()
