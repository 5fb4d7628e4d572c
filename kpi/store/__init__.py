"""The live figures: an in-process store for the demo, Redis for everything else."""

from __future__ import annotations

from kpi.model.agents import Agent
from kpi.store.base import Store, StoredRecord, StoreUnavailable
from kpi.store.memory import MemoryStore
from kpi.store.redis_store import RedisStore, make_redis

__all__ = [
    "Agent",
    "MemoryStore",
    "RedisStore",
    "Store",
    "StoreUnavailable",
    "StoredRecord",
    "make_redis",
    "open_store",
]


def open_store(redis_url: str | None, namespace: str = "main") -> Store:
    """Redis at `redis_url` (``redis://``, ``rediss://`` or ``unix://``), else an in-process store."""
    if redis_url:
        return RedisStore(make_redis(redis_url), namespace)
    return MemoryStore()
