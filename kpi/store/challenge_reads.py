"""Server-side reads for a challenge's TV view: answers Redis gives without sending whole counters.

A fair race's newcomer check asks which agents have an event of the metric in the 90 days before a window
(the others joined in it). Only the members count, not their figures: Redis unites the boards' members
(ZUNION without scores, so no score is formatted for thousands of rows).
"""

from __future__ import annotations

from collections.abc import Sequence

from kpi.store.base import Store
from kpi.store.redis_store import RedisStore, call_redis


def board_members(store: Store, metric: str, buckets: Sequence[str]) -> frozenset[str] | None:
    """The agents with a count of `metric` (any, even zero) in a bucket of `buckets` (one ZUNION), or None
    when `store` is not Redis (the caller reads the boards)."""
    if not isinstance(store, RedisStore):
        return None
    if not buckets:
        return frozenset()
    boards = [store.keys.board(metric, bucket, "agent", "n") for bucket in buckets]
    return frozenset(call_redis(store.client.zunion, boards))
