"""A rating linked to its ticket, both stored in the nine-field layout before the short one (issue #13):
read as they were, converted by ``wallboard migrate`` without moving a point, and linked after it."""

from __future__ import annotations

import pytest

from kpi.config import Config
from kpi.store import RedisStore
from kpi.store.record_codec import is_legacy
from tests.game.points_helpers import ev, points, rating
from tests.nine_fields import as_nine_fields

pytestmark = pytest.mark.cluster

LATER = "2026-11-25T09:00:00+01:00"


def linked_pair_of_the_layout_before(store: RedisStore, rules: Config) -> None:
    store.upsert([ev("t1"), rating("r1", "t1", 5)], rules)
    as_nine_fields(store, "zd", "t1")
    as_nine_fields(store, "zd", "r1")


def test_sl001_a_reassigned_ticket_of_the_layout_before_takes_its_rating_bonus_along(
    redis_store: RedisStore, rules: Config
) -> None:
    linked_pair_of_the_layout_before(redis_store, rules)
    redis_store.upsert([ev("t1", agent_id="bo", team="South", updated_at=LATER)], rules)
    assert (points(redis_store, "ann"), points(redis_store, "bo")) == (0, 25)


def test_sl002_migrate_converts_a_linked_pair_without_moving_a_point(
    redis_store: RedisStore, rules: Config
) -> None:
    linked_pair_of_the_layout_before(redis_store, rules)
    assert redis_store.migrate_records() == 2
    values = redis_store.client.hgetall(redis_store.keys.record("zd", "r1")).values()
    assert (points(redis_store), any(is_legacy(v) for v in values)) == (25, False)


def test_sl003_a_converted_ticket_still_gives_its_rating_bonus_to_whoever_solved_it(
    redis_store: RedisStore, rules: Config
) -> None:
    linked_pair_of_the_layout_before(redis_store, rules)
    redis_store.migrate_records()
    redis_store.upsert([ev("t1", agent_id="bo", team="South", updated_at=LATER)], rules)
    assert (points(redis_store, "ann"), points(redis_store, "bo")) == (0, 25)
