"""Rescore: stored history re-derived with today's rules, equal to live ingest, and idempotent."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kpi.config import Config
from kpi.model.contributions import Figures
from kpi.store import MemoryStore
from kpi.store.base import PAST, Store
from tests.game.points_helpers import ev, make_config, points, rating

pytestmark = pytest.mark.cluster
"""Also on a three-master Redis Cluster (tests/conftest.py)."""

HISTORY = [
    ev("t1", attributes={"priority": "urgent", "first_contact_resolution": True}),
    ev("t2", agent_id="bo", team="South", attributes={"priority": "low"}),
    ev("t3", agent_id="cy", attributes={"sla_breached": True}),
    rating("r1", "t1", 5),
    rating("r2", "t2", 5, agent_id="bo"),
    ev("d1", "deal_won", value=15000, agent_id="bo"),
    ev("t4", occurred_at="2026-11-20T10:00:00+01:00", agent_id="cy"),
]
BUCKETS = ("2026-11-24", "2026-11-20", "2026-W48", "2026-11", "2026")


def all_points(store: Store) -> dict[tuple[str, str], dict[str, Figures]]:
    return {(b, s): store.figures("points", b, s) for b in BUCKETS for s in ("agent", "team")}


def test_rescore_after_a_rule_change_equals_live_ingest_with_the_new_rules(
    store: Store, rules: Config
) -> None:
    store.upsert(HISTORY, make_config({"rules": {"ticket_solved": {"base": 1}}}))
    store.rescore(rules)
    live = MemoryStore()
    live.upsert(HISTORY, rules)
    assert all_points(store) == all_points(live)


def test_rescore_turns_points_on_over_existing_history(store: Store, rules: Config) -> None:
    store.upsert(HISTORY, make_config({"rules": {}}))
    assert points(store) == 0
    result = store.rescore(rules)
    assert (result.records, points(store)) == (len(HISTORY), 30 + 5 + 15)


def test_rescore_twice_changes_nothing_the_second_time(store: Store, rules: Config) -> None:
    store.upsert(HISTORY, make_config({"rules": {}}))
    store.rescore(rules)
    before, version = all_points(store), store.data_version()
    assert store.rescore(rules).changed == 0
    assert (all_points(store), store.data_version()) == (before, version)


def test_rescore_with_unchanged_rules_changes_nothing(store: Store, rules: Config) -> None:
    store.upsert(HISTORY, rules)
    before = all_points(store)
    assert store.rescore(rules).changed == 0
    assert all_points(store) == before


def test_rescore_since_a_date_leaves_older_records_as_they_were(store: Store, rules: Config) -> None:
    store.upsert(HISTORY, make_config({"rules": {"ticket_solved": {"base": 1}}}))
    since = datetime.fromisoformat("2026-11-21T00:00:00+01:00")
    result = store.rescore(rules, since=since)
    assert result.records == len(HISTORY) - 1
    assert points(store, "cy", "2026-11-20") == 1


def test_rescore_keeps_other_metrics_and_retracted_records_as_they_were(store: Store, rules: Config) -> None:
    store.upsert([*HISTORY, ev("t9", deleted=True)], make_config({"rules": {}}))
    solved = store.figures("tickets_solved", "2026-11", "agent")
    store.rescore(rules)
    assert store.figures("tickets_solved", "2026-11", "agent") == solved


def test_rescore_keeps_the_team_first_credited(store: Store, rules: Config) -> None:
    store.upsert([ev("t1", team="North"), ev("t2", team=None)], make_config({"rules": {}}))
    store.upsert(
        [ev("t3", team="South", occurred_at="2026-11-25T10:00:00+01:00")], make_config({"rules": {}})
    )
    store.rescore(rules)
    assert points(store, "North", "2026-11", "team") == 20


def test_rescore_reports_its_progress(store: Store, rules: Config) -> None:
    store.upsert(HISTORY, rules)
    seen: list[tuple[int, int]] = []
    store.rescore(rules, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (len(HISTORY), len(HISTORY))


def test_rescore_moves_the_points_version_and_leaves_other_metrics_versions(
    store: Store, rules: Config
) -> None:
    store.upsert(HISTORY, make_config({"rules": {}}))
    before = store.versions(["points", "revenue"])
    store.rescore(rules)
    after = store.versions(["points", "revenue"])
    assert after["points"] > before["points"]
    assert after["revenue"] == before["revenue"]


def test_rescore_moves_the_past_version_of_points(store: Store, rules: Config) -> None:
    """A rescore re-derives old days: ended days remembered under `PAST` versions are read again."""
    store.upsert(HISTORY, make_config({"rules": {}}), today=date(2026, 11, 30))
    before = store.versions(["points" + PAST])
    store.rescore(rules)
    assert store.versions(["points" + PAST])["points" + PAST] > before["points" + PAST]
