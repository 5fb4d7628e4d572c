"""Whatever the arrival order and however many duplicates, the figures equal a recomputation from the
newest version of each record.

Hypothesis draws histories of several records with several versions each (versions that share an
updated_at with other content, an agent or team that changes,
an occurred_at that crosses an Oslo day or year boundary, an amount or score corrected, a retraction), sends
every version plus duplicates in a shuffled order and in random batches, then compares every figure of every
board any version could have touched with a plain recomputation that does not use the store's code.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterator
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi.config import Config, parse_config
from kpi.model.contributions import Figures, Scope
from kpi.model.events import Event
from kpi.store import MemoryStore, RedisStore, Store

OSLO = ZoneInfo("Europe/Oslo")
CONFIG: Config = parse_config(
    {
        "timezone": "Europe/Oslo",
        "metrics": {
            "deals_won": {"type": "deal_won", "aggregation": "count"},
            "revenue": {"type": "deal_won", "aggregation": "sum"},
            "tickets_solved": {"type": "ticket_solved", "aggregation": "count"},
            "avg_handle_time": {"type": "call_handled", "aggregation": "mean", "lower_is_better": True},
            "csat": {"type": "csat_rating", "aggregation": "mean"},
            "nps": {"type": "nps_response", "aggregation": "nps"},
            "refunds": {"type": "refund", "aggregation": "sum"},
        },
    },
    "property test config",
)

TEAMED_AGENTS = ("ana", "bo", "cy")
"""Agents whose every event names a team (teams may change between versions)."""
SOLO_AGENTS = ("solo",)
"""An agent who never has a team: their events feed agent boards only."""
TEAMS = ("north", "south", "west")


def _instants() -> list[datetime]:
    """Moments around Oslo midnights: a Sunday night (ISO week change), New Year, and a summer night."""
    base = [
        datetime(2026, 11, 22, 22, 0, tzinfo=timezone.utc),  # Oslo midnight is 23:00 UTC (CET)
        datetime(2026, 12, 31, 22, 0, tzinfo=timezone.utc),  # New Year's Eve, ISO week 53
        datetime(2026, 7, 14, 21, 0, tzinfo=timezone.utc),
    ]  # Oslo midnight is 22:00 UTC (CEST)
    return [start + timedelta(minutes=45 * step) for start in base for step in range(4)]


INSTANTS = _instants()


def _values(kind: str) -> st.SearchStrategy[float]:
    """Values a version of this type may carry (with three decimals where amounts allow)."""
    if kind == "csat_rating":
        return st.sampled_from([1, 2, 3, 3.5, 4, 5])
    if kind == "nps_response":
        return st.integers(0, 10).map(float)
    if kind == "refund":
        return st.integers(-100_000, 100_000).map(lambda n: n / 1000)
    if kind == "ticket_solved":
        return st.just(1.0)
    return st.integers(0, 5_000_000).map(lambda n: n / 1000)


@st.composite
def _content(draw: st.DrawFn) -> dict[str, object]:
    """The fields of one version apart from its identity and updated_at."""
    kind = draw(
        st.sampled_from(
            ["deal_won", "ticket_solved", "call_handled", "csat_rating", "nps_response", "refund"]
        )
    )
    agent = draw(st.sampled_from(TEAMED_AGENTS + SOLO_AGENTS))
    content: dict[str, object] = {
        "type": kind,
        "agent_id": agent,
        "value": draw(_values(kind)),
        "occurred_at": draw(st.sampled_from(INSTANTS)).isoformat(),
        "deleted": draw(st.sampled_from([False, False, False, True])),
    }
    if agent in TEAMED_AGENTS:
        content["team"] = draw(st.sampled_from(TEAMS))
    name = draw(st.sampled_from([None, agent.title()]))
    if name:
        content["agent_name"] = name
    return content


@dataclass(frozen=True)
class History:
    """Every version of every record, and the order (with duplicates and batches) in which they arrive."""

    versions: list[Event]
    batches: list[list[Event]]


@st.composite
def histories(draw: st.DrawFn) -> History:
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(["crm", "erp"]), st.sampled_from(["1", "2", "3", "4"])),
            min_size=1,
            max_size=6,
            unique=True,
        )
    )
    origin = datetime(2026, 11, 30, tzinfo=timezone.utc)
    versions: list[Event] = []
    for source, record_id in keys:
        count = draw(st.integers(1, 4))
        # Few distinct stamps, so that two versions often share an updated_at with different content.
        stamps = sorted(
            draw(st.lists(st.integers(0, 6).map(lambda n: n * 10_000), min_size=count, max_size=count))
        )
        for stamp in stamps:
            versions.append(
                Event.model_validate(
                    {
                        "source": source,
                        "id": record_id,
                        **draw(_content()),
                        "updated_at": (origin + timedelta(seconds=stamp)).isoformat(),
                    }
                )
            )
    duplicates = draw(st.lists(st.sampled_from(versions), max_size=len(versions) + 2))
    arrival = draw(st.permutations(versions + duplicates))
    cuts = sorted(draw(st.lists(st.integers(0, len(arrival)), max_size=3)))
    bounds = [0, *cuts, len(arrival)]
    batches = [arrival[a:b] for a, b in zip(bounds, bounds[1:])]
    return History(versions, batches)


# --- the plain recomputation -----------------------------------------------------------------------------


def _labels(moment: datetime) -> list[str]:
    """Day, ISO week, month, quarter and year of `moment` on the Oslo calendar."""
    day = moment.astimezone(OSLO).date()
    iso = day.isocalendar()
    return [
        day.isoformat(),
        f"{iso.year}-W{iso.week:02d}",
        f"{day.year}-{day.month:02d}",
        f"{day.year}-Q{(day.month + 2) // 3}",
        f"{day.year}",
    ]


BoardKey = tuple[str, str, Scope]


def _cells(event: Event) -> Iterator[tuple[BoardKey, str, Figures]]:
    """Every (board, member, counters) that a live version of a record would add."""
    for metric in CONFIG.metrics.values():
        if metric.type != event.type:
            continue
        scaled = round(event.value * 1000)
        figures = {
            "count": Figures(count=1),
            "sum": Figures(count=1, total=scaled),
            "mean": Figures(count=1, total=scaled),
            "nps": Figures(count=1, promoters=int(event.value >= 9), detractors=int(event.value <= 6)),
        }[metric.aggregation]
        for bucket in _labels(event.occurred_at):
            yield (metric.name, bucket, "agent"), event.agent_id, figures
            if event.team:
                yield (metric.name, bucket, "team"), event.team, figures


def expected_boards(versions: list[Event]) -> dict[BoardKey, dict[str, Figures]]:
    """The figures that the newest version of each record adds up to (a retraction adds nothing).

    Of two versions with the same updated_at, the one with the greater content hash is the newest.
    """
    newest: dict[tuple[str, str], Event] = {}
    for event in versions:
        current = newest.get(event.key)
        if current is None or (event.updated_at, event.content_hash) > (
            current.updated_at,
            current.content_hash,
        ):
            newest[event.key] = event
    boards: dict[BoardKey, dict[str, Figures]] = defaultdict(dict)
    for event in newest.values():
        if event.deleted:
            continue
        for board, member, figures in _cells(event):
            boards[board][member] = boards[board].get(member, Figures()) + figures
    return boards


def _value(figures: Figures, aggregation: str) -> float:
    if aggregation == "count":
        return float(figures.count)
    if aggregation == "sum":
        return figures.total / 1000
    if aggregation == "mean":
        return figures.total / figures.count / 1000
    return (figures.promoters - figures.detractors) * 100 / figures.count


# --- the property ----------------------------------------------------------------------------------------


def check_history(store: Store, history: History) -> None:
    """Ingest the history batch by batch, then compare every board any version touches."""
    for batch in history.batches:
        store.upsert(batch, CONFIG)
    expected = expected_boards(history.versions)
    touched = {board for event in history.versions for board, _, _ in _cells(event)}
    for metric, bucket, scope in sorted(touched):
        want = expected.get((metric, bucket, scope), {})
        got = store.figures(metric, bucket, scope)
        assert got == want, (metric, bucket, scope)
        aggregation = CONFIG.metric(metric).aggregation
        ranked = store.ranked(metric, bucket, scope, ascending=False, start=0, count=1000)
        assert {member for member, _ in ranked} == set(want), (metric, bucket, scope)
        for member, score in ranked:
            assert score == pytest.approx(_value(want[member], aggregation), rel=1e-12, abs=1e-9)
        assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)


@pytest.fixture(params=["memory", "redis"])
def empty_store(request: pytest.FixtureRequest) -> Callable[[], Store]:
    """A factory of empty stores of one kind: a fresh MemoryStore, or the test Redis flushed."""
    if request.param == "memory":
        return MemoryStore
    client = request.getfixturevalue("redis_client")

    def flushed() -> Store:
        client.flushdb()
        return RedisStore(client)

    return flushed


def test_sp001_figures_equal_recomputation_from_newest_versions(
    empty_store: Callable[[], Store], request: pytest.FixtureRequest
) -> None:
    """Every figure equals the sum over records of their newest version, whatever the arrival order."""
    examples = 60 if "redis" in request.node.callspec.id else 300

    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(history=histories())
    def check(history: History) -> None:
        check_history(empty_store(), history)

    check()


def test_sp002_arrival_order_does_not_matter(empty_store: Callable[[], Store]) -> None:
    """Two stores fed the same history in opposite orders hold the same figures."""

    @settings(max_examples=25, deadline=None)
    @given(history=histories())
    def check(history: History) -> None:
        arrival = [event for batch in history.batches for event in batch]
        forward = MemoryStore()
        forward.upsert(arrival, CONFIG)
        backward = empty_store()
        backward.upsert(arrival[::-1], CONFIG)
        boards = {board for event in history.versions for board, _, _ in _cells(event)}
        for metric, bucket, scope in boards:
            assert forward.figures(metric, bucket, scope) == backward.figures(metric, bucket, scope)

    check()
