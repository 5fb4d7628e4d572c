"""Rescore on Redis: a correction that arrives mid-rescore wins, and unchanged records are not rewritten."""

from __future__ import annotations

import gc

from kpi.config import Config
from kpi.model.events import Event
from kpi.store import MemoryStore, RedisStore
from kpi.store.script_args import ShortChange
from tests.game.points_helpers import ev, make_config, points

NO_RULES = make_config({"rules": {}})
STORED = [ev("t1", attributes={"priority": "low"}), ev("t2", attributes={"priority": "normal"})]
CORRECTED = ev("t1", attributes={"priority": "urgent"}, updated_at="2026-11-24T12:00:00+01:00")


def test_a_correction_between_reading_and_writing_is_not_overwritten_by_the_rescore(
    redis_store: RedisStore, rules: Config
) -> None:
    redis_store.upsert(STORED, NO_RULES)
    read = redis_store.read_buckets

    def read_then_correct(keys: list[str]) -> list:
        found = read(keys)
        redis_store.upsert([CORRECTED], rules)
        return found

    redis_store.read_buckets = read_then_correct  # type: ignore[method-assign]
    redis_store.rescore(rules)
    final = MemoryStore()
    final.upsert([CORRECTED, STORED[1]], rules)
    assert points(redis_store) == points(final) == 30 + 10


def test_a_rescore_read_with_an_older_hash_is_skipped_by_the_script(
    redis_store: RedisStore, rules: Config
) -> None:
    redis_store.upsert([STORED[0]], NO_RULES)
    stale_hash = STORED[0].content_hash
    redis_store.upsert([CORRECTED], NO_RULES)
    call = redis_store.script_input(STORED[0], None, rescore_of=stale_hash)
    assert redis_store.run_batch([call]) == ["stale"]


def test_a_second_rescore_sends_no_record_to_the_script(redis_store: RedisStore, rules: Config) -> None:
    redis_store.upsert(STORED, NO_RULES)
    redis_store.rescore(rules)
    sent: list[object] = []
    redis_store.run_batch = lambda calls: sent.extend(calls) or []  # type: ignore[method-assign]
    assert (redis_store.rescore(rules).records, sent) == (2, [])


def test_a_short_rescore_read_with_another_contribution_is_skipped_by_the_script(
    redis_store: RedisStore, rules: Config
) -> None:
    redis_store.upsert([STORED[0]], NO_RULES)
    bucket = redis_store.keys.record(STORED[0].source, STORED[0].id)
    stored = {found[1]: found[2] for found in redis_store.read_buckets([bucket])}[STORED[0].id]
    change = ShortChange(stored.contribution + "\nzz", "not what is stored", "", "")
    call = redis_store.script_args.rescore_short(STORED[0], None, stored.packed_hash, stored.event, change)
    assert redis_store.run_batch([call]) == ["stale"]


def test_the_cycle_collector_runs_again_after_a_rescore(redis_store: RedisStore, rules: Config) -> None:
    redis_store.upsert(STORED, NO_RULES)
    redis_store.rescore(rules)
    assert gc.isenabled()


def test_a_rescore_that_takes_a_records_contribution_away_keeps_its_agent_and_team(
    redis_store: RedisStore, rules: Config
) -> None:
    redis_store.upsert([STORED[0]], rules)
    no_tickets = make_config({"rules": {}}, metrics={"revenue": {"type": "deal_won", "aggregation": "sum"}})
    redis_store.rescore(no_tickets)
    stored = redis_store.record(STORED[0].source, STORED[0].id)
    assert stored is not None
    event = Event.model_validate_json(stored.event_json)
    assert (event.agent_id, event.team) == ("ann", "North")
