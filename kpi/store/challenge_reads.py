"""Server-side reads for a challenge's TV view: answers Redis gives without sending whole boards.

A fair race's newcomer check asks which of a window's agents have no event of the metric in the 90 days
before it. Read plainly, that is every agent's counters over those days (thousands of rows on each
refresh after the metric moved); Redis answers it with ZDIFF, which sends back the newcomers alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from kpi.store.base import Store
from kpi.store.redis_store import RedisStore, call_redis


def absent_members(
    store: Store, metric: str, within: Sequence[str], before: Sequence[str]
) -> set[str] | None:
    """The agents with a count of `metric` in a bucket of `within` and in none of `before` (one ZDIFF per
    bucket of `within`, one round trip), or None when `store` is not Redis (the caller reads the boards)."""
    if not isinstance(store, RedisStore):
        return None
    if not within:
        return set()
    boards = [store.keys.board(metric, bucket, "agent", "n") for bucket in before]
    pipe = store.client.pipeline(transaction=False)
    for bucket in within:
        pipe.zdiff([store.keys.board(metric, bucket, "agent", "n"), *boards])
    return {member for reply in call_redis(pipe.execute) for member in reply}
