"""`History.preload` reads many daily series in a few round trips and finds what lazy reads find."""

from __future__ import annotations

from datetime import datetime, timezone

from kpi.config import load_config
from kpi.read.achievement_history import History, read_pairs
from kpi.store.base import Store
from tests.game.points_helpers import ev, rating

NOW = datetime(2026, 11, 24, 15, tzinfo=timezone.utc)


class _Unreachable:
    """A store that must not be read again once the history is preloaded."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"read {name} after the preload")


def test_preloaded_history_equals_the_lazily_read_one(store: Store) -> None:
    config = load_config()
    events = [
        ev("t1", occurred_at="2025-03-04T10:00:00+01:00"),
        ev("t2", occurred_at="2026-02-10T10:00:00+01:00", attributes={"channel": "chat"}),
        ev("t3", agent_id="bo", team="South", occurred_at="2026-11-23T10:00:00+01:00"),
        rating("r1", "t2", 5, occurred_at="2026-06-01T10:00:00+01:00"),
        ev("d1", "deal_won", value=500, occurred_at="2026-11-24T09:00:00+01:00"),
    ]
    store.upsert(events, config)
    subjects = [("agent", "ann"), ("team", "North")]
    pairs = read_pairs(config)
    preloaded, lazy = History(store, config, NOW, subjects), History(store, config, NOW, subjects)
    preloaded.preload(pairs)
    preloaded.store = _Unreachable()  # type: ignore[assignment]
    for metric, scope in sorted(pairs):
        member = "ann" if scope == "agent" else "North"
        assert preloaded.days([metric], scope) == lazy.days([metric], scope), metric
        assert preloaded.daily(metric, scope, member) == lazy.daily(metric, scope, member), metric
    assert preloaded.daily("tickets_solved", "agent", "ann")
