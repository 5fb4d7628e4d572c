"""Counts and sums are ranked by their own counters; only means and NPS keep a ranking set (real Redis)."""

from __future__ import annotations

from kpi.config import Config
from kpi.model.events import Event
from kpi.store import RedisStore

DAY = "2026-11-24"


def event(record_id: str, kind: str, agent: str, value: float, **fields: object) -> Event:
    return Event.model_validate(
        {
            "source": "t",
            "id": record_id,
            "type": kind,
            "agent_id": agent,
            "team": "north",
            "value": value,
            "occurred_at": "2026-11-24T10:00:00+01:00",
            **fields,
        }
    )


def history() -> list[Event]:
    return [
        event("d1", "deal_won", "a1", 500.5),
        event("d2", "deal_won", "a2", 1200),
        event("d3", "deal_won", "a2", 10),
        event("c1", "csat_rating", "a1", 5),
        event("c2", "csat_rating", "a2", 3),
    ]


def test_count_and_sum_boards_write_no_ranking_set(redis_store: RedisStore, config: Config) -> None:
    redis_store.upsert(history(), config)
    keys = redis_store.keys
    ranking_sets = [keys.board(m, DAY, "agent", "r") for m in ("deals_won", "revenue", "csat")]
    assert [bool(redis_store.client.exists(key)) for key in ranking_sets] == [False, False, True]


def test_each_aggregation_is_ranked_by_its_figure(redis_store: RedisStore, config: Config) -> None:
    redis_store.upsert(history(), config)
    found = {
        name: redis_store.ranked(
            name, DAY, "agent", ascending=False, start=0, count=5, aggregation=config.metric(name).aggregation
        )
        for name in ("deals_won", "revenue", "csat")
    }
    assert found == {
        "deals_won": [("a2", 2.0), ("a1", 1.0)],
        "revenue": [("a2", 1210.0), ("a1", 500.5)],
        "csat": [("a1", 5.0), ("a2", 3.0)],
    }


def test_a_board_of_unknown_aggregation_is_ranked_by_the_set_it_has(
    redis_store: RedisStore, config: Config
) -> None:
    redis_store.upsert(history(), config)
    for name in ("deals_won", "revenue", "csat"):
        known = config.metric(name).aggregation
        kwargs = {"ascending": False, "start": 0, "count": 5}
        assert redis_store.ranked(name, DAY, "agent", **kwargs) == redis_store.ranked(
            name, DAY, "agent", **kwargs, aggregation=known
        )


def test_a_retracted_sum_leaves_its_board(redis_store: RedisStore, config: Config) -> None:
    redis_store.upsert(history(), config)
    gone = event("d1", "deal_won", "a1", 500.5, deleted=True, updated_at="2026-11-24T12:00:00+01:00")
    redis_store.upsert([gone], config)
    assert redis_store.ranked(
        "revenue", DAY, "agent", ascending=False, start=0, count=5, aggregation="sum"
    ) == [("a2", 1210.0)]
