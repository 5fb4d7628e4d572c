"""A metric with ``where:`` counts only the events whose attributes match (per-channel figures)."""

from __future__ import annotations

from kpi.ingest.pipeline import ingest_events
from kpi.model.events import Event
from kpi.read.rankings import member_reading
from kpi.store.base import Store
from tests.game.support import MONDAY, at, make_config


def _ticket(channel: str | None, version: int = 0) -> Event:
    return Event(
        source="z",
        id="t1",
        type="ticket_solved",
        agent_id="ann",
        occurred_at=at(MONDAY),
        updated_at=at(MONDAY, 11 + version),
        attributes={"channel": channel} if channel else {},
    )


def test_a_where_metric_follows_the_attribute_through_corrections(store: Store) -> None:
    config = make_config({})
    day = MONDAY.isoformat()

    def figures() -> tuple[float | None, float | None, float | None]:
        return tuple(  # type: ignore[return-value]
            member_reading(store, config, m, day, "agent", "ann").value
            for m in ("tickets_solved", "by_email", "by_chat")
        )

    ingest_events(store, config, [_ticket("email")])
    assert figures() == (1.0, 1.0, None)
    ingest_events(store, config, [_ticket("chat", version=1)])
    assert figures() == (1.0, None, 1.0)
    ingest_events(store, config, [_ticket(None, version=2)])
    assert figures() == (1.0, None, None)


def test_where_accepts_any_of_a_list() -> None:
    config = make_config({})
    metric = config.metric("by_email").model_copy(update={"where": {"channel": ["email", "web"]}})
    assert metric.accepts(_ticket("web")) and not metric.accepts(_ticket("chat"))
