"""The store's behaviour, the same for the in-process store and Redis: idempotent upserts and the queries.

Every test that takes the `store` fixture runs twice: once on `MemoryStore`, once on `RedisStore` against
the real redis-server of tests/conftest.py.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import pytest
import redis

from kpi.config import Config, parse_config
from kpi.model.contributions import Figures, Outcome, Scope
from kpi.model.events import Event
from kpi.read.rankings import daily_series, floor_reading, member_reading, ranking, ranks_of
from kpi.store import RedisStore, Store, StoreUnavailable

pytestmark = pytest.mark.cluster
"""Also on a three-master Redis Cluster (tests/conftest.py)."""

if TYPE_CHECKING:
    from conftest import RedisServer

DAY = "2026-11-24"
"""The Oslo day of the default event time."""
BUCKETS = {"day": DAY, "week": "2026-W48", "month": "2026-11", "quarter": "2026-Q4", "year": "2026"}


def ev(
    record_id: str = "r1",
    *,
    kind: str = "deal_won",
    agent: str = "a1",
    team: str | None = "north",
    value: float = 100,
    at: str = "2026-11-24T10:00:00+01:00",
    updated: str | None = None,
    deleted: bool = False,
    name: str | None = None,
    source: str = "crm",
) -> Event:
    """An event with sensible defaults: a 100 EUR deal by a1 of team north on 24 November 2026."""
    data: dict[str, Any] = {
        "source": source,
        "id": record_id,
        "type": kind,
        "agent_id": agent,
        "value": value,
        "occurred_at": at,
        "deleted": deleted,
    }
    if team is not None:
        data["team"] = team
    if updated is not None:
        data["updated_at"] = updated
    if name is not None:
        data["agent_name"] = name
    return Event.model_validate(data)


def v(minute: int) -> str:
    """The updated_at of version `minute` of a record (later minute, newer version)."""
    return f"2026-11-24T12:{minute:02d}:00+00:00"


def board(store: Store, metric: str, bucket: str = DAY, scope: Scope = "agent") -> dict[str, Figures]:
    """Every member's counters on one board."""
    return store.figures(metric, bucket, scope)


def value_of(
    store: Store, config: Config, metric: str, member: str, bucket: str = DAY, scope: Scope = "agent"
) -> float | None:
    """One member's figure, None when it has none."""
    return member_reading(store, config, metric, bucket, scope, member).value


# --- upserts: new, duplicate, newer, older, deleted ------------------------------------------------------


def test_st001_new_record_counts_in_every_bucket_for_agent_and_team(store: Store, config: Config) -> None:
    """A new deal adds to deals_won and revenue in every bucket (day … year), for its agent and team."""
    assert store.upsert([ev()], config) == [Outcome.NEW]
    for bucket in BUCKETS.values():
        assert board(store, "deals_won", bucket) == {"a1": Figures(count=1)}
        assert board(store, "revenue", bucket, "team") == {"north": Figures(count=1, total=100_000)}
        assert value_of(store, config, "revenue", "a1", bucket) == 100.0


def test_st002_duplicate_changes_nothing(store: Store, config: Config) -> None:
    """Sending the same record again is reported unchanged and changes no figure nor the data version."""
    store.upsert([ev(updated=v(1))], config)
    before, version = board(store, "revenue"), store.data_version()
    assert store.upsert([ev(updated=v(1)), ev(updated=v(1))], config) == [Outcome.UNCHANGED] * 2
    assert board(store, "revenue") == before
    assert store.data_version() == version


def test_st003_newer_version_replaces_by_the_delta(store: Store, config: Config) -> None:
    """An amount corrected from 100 to 250 leaves one deal worth 250, not two deals."""
    store.upsert([ev(updated=v(1), value=100)], config)
    assert store.upsert([ev(updated=v(2), value=250)], config) == [Outcome.UPDATED]
    assert board(store, "revenue") == {"a1": Figures(count=1, total=250_000)}
    assert board(store, "deals_won", "2026", "team") == {"north": Figures(count=1)}


def test_st004_older_version_arriving_late_is_ignored(store: Store, config: Config) -> None:
    """A version older than the stored one is stale and changes nothing."""
    store.upsert([ev(updated=v(2), value=250)], config)
    version = store.data_version()
    assert store.upsert([ev(updated=v(1), value=100)], config) == [Outcome.STALE]
    assert board(store, "revenue") == {"a1": Figures(count=1, total=250_000)}
    assert store.data_version() == version


def test_st005_deleted_retracts_the_contribution(store: Store, config: Config) -> None:
    """`deleted: true` removes the record from every board; an emptied member leaves the board."""
    store.upsert([ev("r1", updated=v(1)), ev("r2", updated=v(1), value=50)], config)
    assert store.upsert([ev("r1", updated=v(2), deleted=True)], config) == [Outcome.RETRACTED]
    assert board(store, "revenue") == {"a1": Figures(count=1, total=50_000)}
    assert store.upsert([ev("r2", updated=v(2), deleted=True)], config) == [Outcome.RETRACTED]
    for bucket in BUCKETS.values():
        assert board(store, "revenue", bucket) == {}
        assert board(store, "deals_won", bucket, "team") == {}
    assert store.ranked("revenue", DAY, "agent", ascending=False, start=0, count=10) == []


def test_st006_older_version_after_delete_does_not_resurrect(store: Store, config: Config) -> None:
    """Once retracted, a record stays gone when an older version arrives late."""
    store.upsert([ev(updated=v(1)), ev(updated=v(3), deleted=True)], config)
    assert store.upsert([ev(updated=v(2), value=999)], config) == [Outcome.STALE]
    assert board(store, "revenue") == {}


def test_st007_delete_of_an_unknown_record_blocks_older_versions(store: Store, config: Config) -> None:
    """A retraction that arrives first is remembered: the record it retracts never counts."""
    assert store.upsert([ev(updated=v(3), deleted=True)], config) == [Outcome.UNCHANGED]
    assert store.upsert([ev(updated=v(1))], config) == [Outcome.STALE]
    assert board(store, "deals_won") == {}
    assert store.record("crm", "r1") is not None and store.record("crm", "r1").deleted


def test_st008_repeated_delete_is_unchanged(store: Store, config: Config) -> None:
    """Retracting twice retracts once."""
    store.upsert([ev(updated=v(1)), ev(updated=v(2), deleted=True)], config)
    version = store.data_version()
    assert store.upsert([ev(updated=v(2), deleted=True), ev(updated=v(3), deleted=True)], config) == [
        Outcome.UNCHANGED,
        Outcome.UNCHANGED,
    ]
    assert store.data_version() == version


def test_st009_newer_version_after_delete_restores(store: Store, config: Config) -> None:
    """A deal re-opened after a retraction counts again, as new."""
    store.upsert([ev(updated=v(1)), ev(updated=v(2), deleted=True)], config)
    assert store.upsert([ev(updated=v(3), value=70)], config) == [Outcome.NEW]
    assert board(store, "revenue") == {"a1": Figures(count=1, total=70_000)}


def test_st010_versions_within_one_batch_apply_in_order(store: Store, config: Config) -> None:
    """A batch holding several versions of one record ends with the newest, whatever their order."""
    outcomes = store.upsert(
        [
            ev(updated=v(2), value=20),
            ev(updated=v(1), value=10),
            ev(updated=v(3), value=30),
            ev(updated=v(2), value=20),
        ],
        config,
    )
    assert outcomes == [Outcome.NEW, Outcome.STALE, Outcome.UPDATED, Outcome.STALE]
    assert board(store, "revenue") == {"a1": Figures(count=1, total=30_000)}


def test_st011_without_updated_at_occurred_at_is_the_version(store: Store, config: Config) -> None:
    """A record without updated_at is versioned by occurred_at: a later occurred_at replaces it."""
    store.upsert([ev(at="2026-11-24T10:00:00+01:00", value=1)], config)
    assert store.upsert([ev(at="2026-11-24T11:00:00+01:00", value=2)], config) == [Outcome.UPDATED]
    assert store.upsert([ev(at="2026-11-24T09:00:00+01:00", value=3)], config) == [Outcome.STALE]
    assert board(store, "revenue") == {"a1": Figures(count=1, total=2_000)}


def test_st012_same_record_id_in_another_source_is_another_record(store: Store, config: Config) -> None:
    """Records are identified by (source, id)."""
    assert store.upsert([ev(source="crm"), ev(source="erp")], config) == [Outcome.NEW, Outcome.NEW]
    assert board(store, "deals_won") == {"a1": Figures(count=2)}


def test_st013_stored_record_keeps_version_and_event(store: Store, config: Config) -> None:
    """The store remembers each record's current version, digest and event."""
    event = ev(updated=v(5))
    store.upsert([event], config)
    stored = store.record("crm", "r1")
    assert stored is not None
    assert (stored.version, stored.content_hash, stored.deleted) == (event.version, event.content_hash, False)
    assert Event.model_validate_json(stored.event_json) == event
    assert store.record("crm", "nope") is None


def test_st014_large_batch_counts_every_event_once(store: Store, config: Config) -> None:
    """A batch of 1,200 events (several Redis transactions) counts each once, duplicates within it too."""
    batch = [
        ev(f"t{n}", kind="ticket_solved", agent=f"a{n % 3}", team=None if n >= 600 else "north")
        for n in range(1200)
    ]
    outcomes = store.upsert(batch + batch[:10], config)
    assert outcomes.count(Outcome.NEW) == 1200 and outcomes[1200:] == [Outcome.UNCHANGED] * 10
    assert board(store, "tickets_solved") == {f"a{n}": Figures(count=400) for n in range(3)}
    assert board(store, "tickets_solved", DAY, "team") == {"north": Figures(count=1200)}


# --- corrections that move a contribution ----------------------------------------------------------------


def test_st020_record_moved_to_another_agent(store: Store, config: Config) -> None:
    """A deal reassigned to another rep leaves the first rep's boards and lands on the second's."""
    store.upsert([ev(agent="a1", updated=v(1)), ev("r2", agent="a1", updated=v(1))], config)
    store.upsert([ev(agent="a2", updated=v(2))], config)
    assert board(store, "deals_won") == {"a1": Figures(count=1), "a2": Figures(count=1)}
    assert board(store, "deals_won", "2026", "team") == {"north": Figures(count=2)}


def test_st021_record_moved_to_another_team(store: Store, config: Config) -> None:
    """A deal moved to another team leaves the first team's boards entirely."""
    store.upsert([ev(team="north", updated=v(1))], config)
    store.upsert([ev(team="south", updated=v(2))], config)
    for bucket in BUCKETS.values():
        assert board(store, "revenue", bucket, "team") == {"south": Figures(count=1, total=100_000)}


def test_st022_amount_corrected_down_to_zero_keeps_the_deal(store: Store, config: Config) -> None:
    """A deal whose amount becomes 0 still counts as a deal with no revenue."""
    store.upsert([ev(updated=v(1), value=500)], config)
    store.upsert([ev(updated=v(2), value=0)], config)
    assert board(store, "deals_won") == {"a1": Figures(count=1)}
    assert board(store, "revenue") == {"a1": Figures(count=1, total=0)}


def test_st023_type_changed(store: Store, config: Config) -> None:
    """A record whose type changes leaves the old type's metrics and feeds the new one's."""
    store.upsert([ev(kind="deal_won", updated=v(1))], config)
    store.upsert([ev(kind="ticket_solved", updated=v(2))], config)
    assert board(store, "deals_won") == {}
    assert board(store, "revenue") == {}
    assert board(store, "tickets_solved") == {"a1": Figures(count=1)}


def test_st024_occurred_at_moved_to_another_day(store: Store, config: Config) -> None:
    """A record whose occurred_at moves to another Oslo day leaves the old day and joins the new one."""
    store.upsert([ev(at="2026-11-24T10:00:00+01:00", updated=v(1))], config)
    store.upsert([ev(at="2026-11-22T23:30:00+00:00", updated=v(2))], config)
    assert board(store, "deals_won", "2026-11-24") == {}
    assert board(store, "deals_won", "2026-11-23") == {"a1": Figures(count=1)}
    assert board(store, "deals_won", "2026-W48") == {"a1": Figures(count=1)}
    assert board(store, "deals_won", "2026-11") == {"a1": Figures(count=1)}


def test_st025_occurred_at_moved_to_another_year(store: Store, config: Config) -> None:
    """Moving across New Year moves every bucket but the ISO week."""
    store.upsert([ev(at="2026-12-31T12:00:00+00:00", updated=v(1))], config)
    store.upsert([ev(at="2026-12-31T23:30:00+00:00", updated=v(2))], config)
    assert board(store, "deals_won", "2026") == {}
    assert board(store, "deals_won", "2026-Q4") == {}
    assert board(store, "deals_won", "2027") == {"a1": Figures(count=1)}
    assert board(store, "deals_won", "2027-01-01") == {"a1": Figures(count=1)}
    assert board(store, "deals_won", "2026-W53") == {"a1": Figures(count=1)}


def test_st026_rating_changed(store: Store, config: Config) -> None:
    """A CSAT rating changed from 2 to 5 changes the mean by exactly that, not by another rating."""
    store.upsert(
        [
            ev("c1", kind="csat_rating", value=4, updated=v(1)),
            ev("c2", kind="csat_rating", value=2, updated=v(1)),
        ],
        config,
    )
    store.upsert([ev("c2", kind="csat_rating", value=5, updated=v(2))], config)
    assert board(store, "csat") == {"a1": Figures(count=2, total=9_000)}
    assert value_of(store, config, "csat", "a1") == 4.5


def test_st027_nps_answer_changed_from_detractor_to_promoter(store: Store, config: Config) -> None:
    """An NPS answer corrected from 3 to 10 moves one response from detractors to promoters."""
    store.upsert([ev("n1", kind="nps_response", value=3, updated=v(1))], config)
    store.upsert([ev("n1", kind="nps_response", value=10, updated=v(2))], config)
    assert board(store, "nps") == {"a1": Figures(count=1, promoters=1, detractors=0)}


# --- values ----------------------------------------------------------------------------------------------


def test_st030_sum_is_exact_to_the_thousandth(store: Store, config: Config) -> None:
    """0.1 + 0.2 of revenue is exactly 0.3, and stays exact after a retraction."""
    store.upsert([ev("r1", value=0.1), ev("r2", value=0.2), ev("r3", value=1234.567)], config)
    assert value_of(store, config, "revenue", "a1") == 1234.867
    store.upsert([ev("r3", value=1234.567, updated=v(1), deleted=True)], config)
    assert value_of(store, config, "revenue", "a1") == 0.3


def test_st031_mean_is_total_over_count(store: Store, config: Config) -> None:
    """CSAT 5, 4 and 4 average 13/3."""
    store.upsert([ev(f"c{n}", kind="csat_rating", value=score) for n, score in enumerate([5, 4, 4])], config)
    assert board(store, "csat") == {"a1": Figures(count=3, total=13_000)}
    assert value_of(store, config, "csat", "a1") == 13 / 3


def test_st032_nps_is_promoters_minus_detractors_percent(store: Store, config: Config) -> None:
    """Answers 10, 10, 9, 7 and 3: three promoters, one passive, one detractor, NPS 40."""
    answers = [10, 10, 9, 7, 3]
    store.upsert([ev(f"n{n}", kind="nps_response", value=a) for n, a in enumerate(answers)], config)
    figures = board(store, "nps")["a1"]
    assert (figures.count, figures.promoters, figures.passives, figures.detractors) == (5, 3, 1, 1)
    assert value_of(store, config, "nps", "a1") == 40.0


def test_st033_nps_boundaries(store: Store, config: Config) -> None:
    """9 is a promoter, 7 and 8 passives, 6 a detractor: 9, 8, 7, 6 score 0."""
    store.upsert([ev(f"n{a}", kind="nps_response", value=a) for a in (9, 8, 7, 6)], config)
    figures = board(store, "nps")["a1"]
    assert (figures.promoters, figures.passives, figures.detractors) == (1, 2, 1)
    assert value_of(store, config, "nps", "a1") == 0.0


def test_st034_team_figure_adds_its_agents(store: Store, config: Config) -> None:
    """A team's counters are the sum of its agents' in that bucket."""
    store.upsert(
        [
            ev("r1", agent="a1", value=10),
            ev("r2", agent="a2", value=20),
            ev("r3", agent="a3", team="south", value=40),
        ],
        config,
    )
    assert board(store, "revenue", DAY, "team") == {
        "north": Figures(count=2, total=30_000),
        "south": Figures(count=1, total=40_000),
    }
    assert floor_reading(store, config, "revenue", DAY).value == 70.0


def test_st035_figures_of_chosen_members_leave_absent_ones_out(store: Store, config: Config) -> None:
    """Asking for members that have no figure returns only those that do."""
    store.upsert([ev("r1", agent="a1"), ev("r2", agent="a2")], config)
    assert store.figures("deals_won", DAY, "agent", ["a2", "ghost"]) == {"a2": Figures(count=1)}
    assert store.figures("deals_won", DAY, "agent", []) == {}
    assert member_reading(store, config, "deals_won", DAY, "agent", "ghost").value is None


def test_st036_event_type_without_metric_is_stored_but_counts_nowhere(store: Store, config: Config) -> None:
    """A config with no metric for a built-in type keeps the record but has no board for it."""
    small = parse_config({"metrics": {"tickets": {"type": "ticket_solved", "aggregation": "count"}}}, "test")
    assert store.upsert([ev(kind="deal_won")], small) == [Outcome.NEW]
    assert store.record("crm", "r1") is not None
    assert board(store, "tickets") == {}


# --- rankings --------------------------------------------------------------------------------------------


def deals(store: Store, config: Config, per_agent: dict[str, int], team: str = "north") -> None:
    """Give each agent that many deals today."""
    store.upsert(
        [
            ev(f"{agent}-{n}", agent=agent, team=team)
            for agent, count in per_agent.items()
            for n in range(count)
        ],
        config,
    )


def test_st040_ranking_orders_best_first(store: Store, config: Config) -> None:
    """The agent with most deals ranks first, with value and count."""
    deals(store, config, {"a1": 1, "a2": 3, "a3": 2})
    rows = ranking(store, config, "deals_won", "day", DAY)
    assert [(r.rank, r.id, r.value, r.count) for r in rows] == [
        (1, "a2", 3.0, 3),
        (2, "a3", 2.0, 2),
        (3, "a1", 1.0, 1),
    ]


def test_st041_ties_share_a_rank(store: Store, config: Config) -> None:
    """Equal figures share a place and the next place is skipped (1, 1, 3)."""
    deals(store, config, {"a1": 2, "a2": 2, "a3": 1})
    rows = ranking(store, config, "deals_won", "day", DAY)
    assert [r.rank for r in rows] == [1, 1, 3]
    assert {r.id for r in rows[:2]} == {"a1", "a2"}


def test_st042_limit_cuts_the_ranking(store: Store, config: Config) -> None:
    """Only `limit` rows come back."""
    deals(store, config, {f"a{n}": n for n in range(1, 8)})
    rows = ranking(store, config, "deals_won", "day", DAY, limit=3)
    assert [r.id for r in rows] == ["a7", "a6", "a5"]
    assert ranking(store, config, "deals_won", "day", DAY, limit=0) == []


def test_st043_min_volume_excludes_small_samples(store: Store, config: Config) -> None:
    """An agent with fewer CSAT ratings than min_volume (5) is not ranked, however good."""
    store.upsert(
        [ev(f"x{n}", kind="csat_rating", agent="lucky", value=5) for n in range(4)]
        + [ev(f"y{n}", kind="csat_rating", agent="steady", value=4) for n in range(5)],
        config,
    )
    rows = ranking(store, config, "csat", "day", DAY)
    assert [(r.rank, r.id, r.value) for r in rows] == [(1, "steady", 4.0)]


def test_st044_lower_is_better_orders_ascending(store: Store, config: Config) -> None:
    """The shortest average handle time ranks first."""
    store.upsert(
        [
            ev(f"{agent}-{n}", kind="call_handled", agent=agent, value=seconds)
            for agent, seconds in (("slow", 600), ("fast", 120), ("mid", 300))
            for n in range(10)
        ],
        config,
    )
    rows = ranking(store, config, "avg_handle_time", "week", "2026-W48")
    assert [(r.rank, r.id, r.value) for r in rows] == [
        (1, "fast", 120.0),
        (2, "mid", 300.0),
        (3, "slow", 600.0),
    ]


def test_st045_team_filter_keeps_that_teams_agents(store: Store, config: Config) -> None:
    """Filtering by team ranks only that team's agents, with ranks counted within the team."""
    deals(store, config, {"n1": 1, "n2": 3}, team="north")
    deals(store, config, {"s1": 5}, team="south")
    rows = ranking(store, config, "deals_won", "day", DAY, team="north")
    assert [(r.rank, r.id, r.team) for r in rows] == [(1, "n2", "north"), (2, "n1", "north")]


def test_st046_team_filter_uses_the_agents_latest_team(store: Store, config: Config) -> None:
    """An agent who moved team shows under the new team's filter."""
    store.upsert(
        [
            ev("r1", agent="mover", team="north", at="2026-11-24T09:00:00+01:00"),
            ev("r2", agent="mover", team="south", at="2026-11-24T10:00:00+01:00"),
        ],
        config,
    )
    assert [r.id for r in ranking(store, config, "deals_won", "day", DAY, team="south")] == ["mover"]
    assert ranking(store, config, "deals_won", "day", DAY, team="north") == []


def test_st047_team_scope_ranks_teams(store: Store, config: Config) -> None:
    """A team ranking has the team as id, name and team."""
    deals(store, config, {"n1": 1, "n2": 1}, team="north")
    deals(store, config, {"s1": 3}, team="south")
    rows = ranking(store, config, "deals_won", "month", "2026-11", "team")
    assert [(r.rank, r.id, r.name, r.team, r.value) for r in rows] == [
        (1, "south", "south", "south", 3.0),
        (2, "north", "north", "north", 2.0),
    ]


def test_st048_exclude_removes_members_without_taking_a_place(store: Store, config: Config) -> None:
    """Excluded members are skipped and the next member takes their place."""
    deals(store, config, {"a1": 3, "a2": 2, "a3": 1})
    rows = ranking(store, config, "deals_won", "day", DAY, exclude={"a1"})
    assert [(r.rank, r.id) for r in rows] == [(1, "a2"), (2, "a3")]


def test_st049_ranking_shows_the_agents_latest_name(store: Store, config: Config) -> None:
    """Rows carry the agent's name and team; an agent never named shows their id."""
    store.upsert([ev("r1", agent="a1", name="Ada"), ev("r2", agent="a2")], config)
    rows = {r.id: r for r in ranking(store, config, "deals_won", "day", DAY)}
    assert (rows["a1"].name, rows["a1"].team) == ("Ada", "north")
    assert rows["a2"].name == "a2"


def test_st050_ranked_pages_through_a_board(store: Store, config: Config) -> None:
    """`ranked` returns the board's members in order, a page at a time."""
    deals(store, config, {"a1": 1, "a2": 4, "a3": 3, "a4": 2})
    assert store.ranked("deals_won", DAY, "agent", ascending=False, start=0, count=2) == [
        ("a2", 4.0),
        ("a3", 3.0),
    ]
    assert store.ranked("deals_won", DAY, "agent", ascending=False, start=2, count=10) == [
        ("a4", 2.0),
        ("a1", 1.0),
    ]
    assert store.ranked("deals_won", DAY, "agent", ascending=True, start=0, count=1) == [("a1", 1.0)]


def test_st051_ranking_pages_past_unqualified_members(store: Store, config: Config) -> None:
    """Many top members below min_volume do not hide qualified ones further down the board."""
    many = [ev(f"top{n}", kind="csat_rating", agent=f"top{n:03d}", value=5) for n in range(150)]
    steady = [ev(f"s{n}", kind="csat_rating", agent="steady", value=3) for n in range(5)]
    store.upsert(many + steady, config)
    assert [r.id for r in ranking(store, config, "csat", "day", DAY)] == ["steady"]


# --- series ----------------------------------------------------------------------------------------------


def test_st060_daily_series_has_every_day(store: Store, config: Config) -> None:
    """A series has one entry per day, empty on days without events."""
    store.upsert(
        [
            ev("r1", team="north", at="2026-11-22T10:00:00+01:00"),
            ev("r2", team="north", at="2026-11-24T10:00:00+01:00"),
            ev("r3", team="south", at="2026-11-24T11:00:00+01:00"),
            ev("r4", team="north", at="2026-11-22T23:30:00+00:00"),
        ],
        config,
    )
    series = daily_series(store, config, "deals_won", "team", date(2026, 11, 22), date(2026, 11, 25))
    assert series == {
        date(2026, 11, 22): {"north": Figures(count=1)},
        date(2026, 11, 23): {"north": Figures(count=1)},
        date(2026, 11, 24): {"north": Figures(count=1), "south": Figures(count=1)},
        date(2026, 11, 25): {},
    }


def test_st061_daily_series_of_chosen_members(store: Store, config: Config) -> None:
    """A series can be restricted to some members."""
    store.upsert([ev("r1", team="north"), ev("r2", team="south")], config)
    series = daily_series(
        store, config, "revenue", "team", date(2026, 11, 24), date(2026, 11, 24), members=["south"]
    )
    assert series == {date(2026, 11, 24): {"south": Figures(count=1, total=100_000)}}


# --- agents ----------------------------------------------------------------------------------------------


def test_st070_agent_name_and_team_are_remembered(store: Store, config: Config) -> None:
    """An event's agent_name and team describe the agent."""
    store.upsert([ev(agent="a1", name="Ada", team="north")], config)
    agent = store.agents()["a1"]
    assert (agent.id, agent.name, agent.team) == ("a1", "Ada", "north")


def test_st071_latest_name_and_team_win_by_occurred_at(store: Store, config: Config) -> None:
    """The name and team of the agent's latest event (by occurred_at) win, whatever the arrival order."""
    store.upsert([ev("r2", name="Ada Lovelace", team="south", at="2026-11-24T15:00:00+01:00")], config)
    store.upsert([ev("r1", name="Ada", team="north", at="2026-11-24T09:00:00+01:00")], config)
    agent = store.agents(["a1"])["a1"]
    assert (agent.name, agent.team) == ("Ada Lovelace", "south")
    store.upsert([ev("r3", name="Ada L.", team="west", at="2026-11-24T16:00:00+01:00")], config)
    agent = store.agents(["a1"])["a1"]
    assert (agent.name, agent.team) == ("Ada L.", "west")


def test_st072_event_without_name_keeps_the_known_name(store: Store, config: Config) -> None:
    """A later event without agent_name changes the team but keeps the name."""
    store.upsert(
        [
            ev("r1", name="Ada", team="north", at="2026-11-24T09:00:00+01:00"),
            ev("r2", team="south", at="2026-11-24T10:00:00+01:00"),
        ],
        config,
    )
    agent = store.agents(["a1"])["a1"]
    assert (agent.name, agent.team) == ("Ada", "south")


def test_st073_event_without_team_credits_the_agents_known_team(store: Store, config: Config) -> None:
    """A team-less event counts for the team the agent was last seen in."""
    store.upsert([ev("r1", team="north", at="2026-11-24T09:00:00+01:00")], config)
    store.upsert([ev("r2", team=None, at="2026-11-24T10:00:00+01:00")], config)
    assert board(store, "deals_won", DAY, "team") == {"north": Figures(count=2)}
    assert store.agents(["a1"])["a1"].team == "north"


def test_st074_event_without_team_in_the_same_batch(store: Store, config: Config) -> None:
    """An agent introduced earlier in the same batch already lends their team."""
    store.upsert([ev("r1", team="north"), ev("r2", team=None)], config)
    assert board(store, "deals_won", DAY, "team") == {"north": Figures(count=2)}


def test_st075_agent_never_in_a_team_counts_only_for_themself(store: Store, config: Config) -> None:
    """Without any known team an event feeds the agent boards only."""
    store.upsert([ev(team=None)], config)
    assert board(store, "deals_won") == {"a1": Figures(count=1)}
    assert board(store, "deals_won", DAY, "team") == {}


def test_st076_agents_unknown_ids_are_left_out(store: Store, config: Config) -> None:
    """Asking for agents never seen returns nothing for them."""
    store.upsert([ev(name="Ada")], config)
    assert set(store.agents(["a1", "ghost"])) == {"a1"}
    assert store.agents([]) == {}


def test_st077_retraction_does_not_rename_an_agent(store: Store, config: Config) -> None:
    """A deleted event's name and team are not taken as the agent's latest."""
    store.upsert([ev("r1", name="Ada", team="north", at="2026-11-24T09:00:00+01:00")], config)
    store.upsert([ev("r2", name="Bob", team="south", at="2026-11-24T10:00:00+01:00", deleted=True)], config)
    agent = store.agents(["a1"])["a1"]
    assert (agent.name, agent.team) == ("Ada", "north")


def test_st078_older_event_fills_in_a_name_the_latest_lacks(store: Store, config: Config) -> None:
    """If the latest event carries no name, a name from an older event is used, in either arrival order."""
    store.upsert([ev("r2", team="south", at="2026-11-24T15:00:00+01:00")], config)
    store.upsert([ev("r1", name="Ada", team="north", at="2026-11-24T09:00:00+01:00")], config)
    agent = store.agents(["a1"])["a1"]
    assert (agent.name, agent.team) == ("Ada", "south")


# --- data version ----------------------------------------------------------------------------------------


def test_st080_data_version_grows_only_on_change(store: Store, config: Config) -> None:
    """New, updated and retracted records raise the data version; duplicates and stale versions do not."""
    assert store.data_version() == 0
    store.upsert([ev(updated=v(2))], config)
    after_new = store.data_version()
    assert after_new > 0
    store.upsert([ev(updated=v(2)), ev(updated=v(1))], config)
    assert store.data_version() == after_new
    store.upsert([ev(updated=v(3), value=5)], config)
    after_update = store.data_version()
    assert after_update > after_new
    store.upsert([ev(updated=v(4), deleted=True)], config)
    assert store.data_version() > after_update


def test_st081_empty_batch_does_nothing(store: Store, config: Config) -> None:
    """An empty upsert returns no outcomes and changes nothing."""
    assert store.upsert([], config) == []
    assert store.data_version() == 0


def test_st082_ping(store: Store) -> None:
    """A reachable store answers ping."""
    assert store.ping() is True


# --- Redis specifics -------------------------------------------------------------------------------------


def test_st090_every_redis_key_carries_the_namespace_hash_tag(
    redis_store: RedisStore, redis_client: redis.Redis, config: Config
) -> None:
    """All keys of a namespace share the `{main}` hash tag, so one upsert stays in one cluster slot."""
    redis_store.upsert(
        [
            ev("r1", kind="deal_won", name="Ada"),
            ev("r2", kind="csat_rating", value=4),
            ev("r3", kind="nps_response", value=9, team=None),
            ev("r4", kind="call_handled", value=300, at="2026-12-31T23:30:00+00:00"),
            ev("r1", updated=v(9), deleted=True),
        ],
        config,
    )
    keys = list(redis_client.scan_iter(count=1000))
    assert len(keys) > 50
    assert all("{main}" in key for key in keys), [k for k in keys if "{main}" not in k]
    assert {_hash_slot(key) for key in keys} == {"main"}


def _hash_slot(key: str) -> str:
    """The part of a key that Redis Cluster hashes (the first `{...}` with something inside)."""
    start = key.find("{")
    end = key.find("}", start + 1)
    assert 0 <= start < end - 1, key
    return key[start + 1 : end]


def test_st091_namespaces_do_not_share_figures(redis_client: redis.Redis, config: Config) -> None:
    """Two namespaces on one Redis keep separate figures, each under its own hash tag."""
    north, south = RedisStore(redis_client, "acme"), RedisStore(redis_client, "globex")
    north.upsert([ev()], config)
    assert south.figures("deals_won", DAY, "agent") == {}
    assert south.data_version() == 0
    assert all("{acme}" in key for key in redis_client.scan_iter())


def test_st092_redis_outage_raises_store_unavailable_and_recovers(
    redis_server: RedisServer, redis_store: RedisStore, config: Config
) -> None:
    """With Redis down every call raises StoreUnavailable and ping is False; after a restart it works."""
    redis_store.upsert([ev("r1")], config)
    redis_server.stop()
    try:
        with pytest.raises(StoreUnavailable):
            redis_store.upsert([ev("r2")], config)
        with pytest.raises(StoreUnavailable):
            redis_store.upsert([ev("r3", team=None)], config)
        with pytest.raises(StoreUnavailable):
            redis_store.data_version()
        with pytest.raises(StoreUnavailable):
            redis_store.figures("deals_won", DAY, "agent")
        with pytest.raises(StoreUnavailable):
            redis_store.agents()
        assert redis_store.ping() is False
    finally:
        redis_server.start()
    # The test server keeps no data across a restart: the store starts from empty and works again.
    assert redis_store.ping() is True
    assert redis_store.upsert([ev("r4")], config) == [Outcome.NEW]
    assert board(redis_store, "deals_won") == {"a1": Figures(count=1)}


def test_st093_memory_use_is_reported(redis_store: RedisStore, config: Config) -> None:
    """The Redis store reports Redis's own memory figure (used by the benchmark)."""
    assert redis_store.memory_bytes() > 0


# --- versions that tie, versions that only restamp, team-less events -------------------------------------


def test_st101_tie_on_version_is_order_independent_on_each_store(store: Store, config: Config) -> None:
    """Whichever of two same-version contents arrives second, the figures end up the same."""
    a, b = ev(value=100, updated=v(5)), ev(value=250, updated=v(5))
    winner = max((a, b), key=lambda e: e.content_hash)
    outcomes = store.upsert([a, b], config)
    assert board(store, "revenue") == {"a1": Figures(count=1, total=round(winner.value * 1000))}
    assert outcomes[1] == (Outcome.UPDATED if b is winner else Outcome.STALE)


def test_st102_newer_version_with_same_content_changes_no_figure(store: Store, config: Config) -> None:
    """A re-stamped but identical record is unchanged, yet an older version after it is still stale."""
    store.upsert([ev(updated=v(1))], config)
    version = store.data_version()
    assert store.upsert([ev(updated=v(9))], config) == [Outcome.UNCHANGED]
    assert store.data_version() == version
    assert store.upsert([ev(value=999, updated=v(5))], config) == [Outcome.STALE]
    assert board(store, "revenue") == {"a1": Figures(count=1, total=100_000)}


def test_st103_teamless_event_goes_to_the_agents_latest_team_despite_a_stale_version(
    store: Store, config: Config
) -> None:
    """A stale version naming another team, earlier in the same batch, does not steer a team-less event."""
    store.upsert([ev("r1", team="north", at="2026-11-24T09:00:00+01:00", updated=v(5))], config)
    batch = [
        ev("r1", team="south", at="2026-11-24T11:00:00+01:00", updated=v(1)),  # stale
        ev("r2", team=None, at="2026-11-24T12:00:00+01:00"),
    ]
    assert store.upsert(batch, config) == [Outcome.STALE, Outcome.NEW]
    assert board(store, "deals_won", scope="team") == {"north": Figures(count=2)}


def test_st104_ranks_of_follows_the_ranking_rules(store: Store, config: Config) -> None:
    """Ties share a rank, excluded agents take no place, and an agent without figures is 0."""
    counts = {"a1": 3, "a2": 3, "a3": 2, "hidden": 5}
    events = [ev(f"{a}-{n}", agent=a) for a, count in counts.items() for n in range(count)]
    store.upsert(events, config)
    ranks = ranks_of(
        store, config, "deals_won", DAY, "agent", ["a1", "a2", "a3", "hidden", "nobody"], exclude={"hidden"}
    )
    assert ranks == {"a1": 1, "a2": 1, "a3": 3, "nobody": 0}
    assert ranks_of(store, config, "deals_won", DAY, "agent", ["a3"], team="north") == {"a3": 4}
    assert {r.id: r.rank for r in ranking(store, config, "deals_won", "day", DAY, exclude={"hidden"})} == {
        m: r for m, r in ranks.items() if r
    }


def test_st105_ranks_of_leaves_out_agents_below_the_minimum_volume(store: Store, config: Config) -> None:
    """CSAT needs 5 ratings: an agent with 1 has figures but no place (absent, not 0)."""
    ratings = [ev(f"r{n}", kind="csat_rating", agent="a1", value=4) for n in range(5)]
    store.upsert([*ratings, ev("one", kind="csat_rating", agent="a2", value=5)], config)
    assert ranks_of(store, config, "csat", DAY, "agent", ["a1", "a2"]) == {"a1": 1}
