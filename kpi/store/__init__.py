"""The live figures: an in-process store for the demo, Redis for everything else."""

from __future__ import annotations

from kpi.model.agents import Agent
from kpi.store.base import Store, StoredRecord, StoreUnavailable
from kpi.store.clients import breaker_of, make_redis
from kpi.store.memory import MemoryStore
from kpi.store.redis_store import RedisStore

__all__ = [
    "Agent",
    "breaker_of",
    "MemoryStore",
    "RedisStore",
    "Store",
    "StoreUnavailable",
    "StoredRecord",
    "make_redis",
    "open_store",
    "retry_after_seconds",
]


def open_store(redis_url: str | None, namespace: str = "main", *, for_requests: bool = False) -> Store:
    """Redis at `redis_url` (``redis://``, ``rediss://``, ``unix://``, or a cluster's
    ``redis+cluster://host:port,...``), else an in-process store.

    Args:
        for_requests: the web app's store: it gives up on a hung Redis within a request's deadline
            and refuses at once while Redis is known down (see `make_redis`).
    """
    if redis_url:
        return RedisStore(make_redis(redis_url, for_requests=for_requests), namespace)
    return MemoryStore()


def retry_after_seconds(store: Store) -> float:
    """How long a client should wait before retrying: until the store's breaker probes Redis again
    (5 s for a store without one, which has just waited out its own retries)."""
    breaker = breaker_of(store.client) if isinstance(store, RedisStore) else None
    return breaker.retry_after() if breaker is not None else 5.0
