"""Manager reads memoized per (scope, filters, data version) in the shared cache."""

from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask

from dashboard.cache import shared_cache
from dashboard.context import AppContext
from dashboard.services.manage.memo import canonical, memoized
from kpi.config import Config
from kpi.config.settings import Settings
from kpi.ingest.pipeline import ingest_events
from kpi.model.events import Event
from kpi.model.viewer import Viewer
from kpi.store import RedisStore
from kpi.store.base import Store

NOW = datetime(2026, 11, 25, 13, 0, tzinfo=timezone.utc)
calls: list[tuple[str, ...]] = []


@memoized
def _teams_seen(store: Store, config: Config, viewer: Viewer, metric: str) -> list[str]:
    calls.append((viewer.username, metric))
    return sorted(viewer.teams)


def _app(store: RedisStore, config: Config) -> Flask:
    server = Flask(__name__)
    context = AppContext(Settings(), config, store)
    context.cache = shared_cache(server, store, config)
    context.install(server)
    return server


def _ticket(record: str) -> Event:
    return Event(
        source="test", id=record, type="ticket_solved", agent_id="a1", agent_name="Ada", team="Support",
        occurred_at=NOW,
    )  # fmt: skip


def test_the_same_read_at_the_same_data_version_is_computed_once(
    redis_store: RedisStore, config: Config
) -> None:
    calls.clear()
    lead = Viewer("leo", "lead", frozenset({"Support", "Phones"}))
    with _app(redis_store, config).app_context():
        first = _teams_seen(redis_store, config, lead, "csat")
        second = _teams_seen(redis_store, config, lead, "csat")
    assert first == second == ["Phones", "Support"]
    assert len(calls) == 1


def test_a_new_data_version_or_other_filters_compute_again(redis_store: RedisStore, config: Config) -> None:
    calls.clear()
    lead = Viewer("leo", "lead", frozenset({"Support"}))
    with _app(redis_store, config).app_context():
        _teams_seen(redis_store, config, lead, "csat")
        _teams_seen(redis_store, config, lead, "nps")
        ingest_events(redis_store, config, [_ticket("t1")], now=NOW)
        _teams_seen(redis_store, config, lead, "csat")
    assert calls == [("leo", "csat"), ("leo", "nps"), ("leo", "csat")]


def test_the_key_of_a_set_does_not_depend_on_its_order() -> None:
    assert canonical(frozenset(["b", "a", "c"])) == canonical(frozenset(["c", "a", "b"]))
