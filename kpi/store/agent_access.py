"""Each agent's private marks for their own page: the generation of their sign-in links, their last visit.

In Redis two hashes map an agent id to a number: ``links`` holds the generation that personal sign-in
links carry (revoking bumps it, so every earlier link and the sessions opened with one stop working), and
``visits`` holds when the agent last opened ``/me`` (POSIX seconds), so that awards found since then
show as a toast. Neither moves the data version: no screen shows them.
"""

from __future__ import annotations

import threading
import weakref
from typing import Protocol

from kpi.store.base import Store
from kpi.store.keys import Keys
from kpi.store.redis_store import RedisStore, call_redis


class AgentAccess(Protocol):
    """Where the agents' link generations and last visits are kept."""

    def generation(self, agent_id: str) -> int:
        """The current generation of the agent's links (0 when never revoked)."""

    def revoke(self, agent_id: str) -> int:
        """Bump the generation, so that every link issued before stops working; return the new one."""

    def last_visit(self, agent_id: str) -> float | None:
        """When the agent last opened their page (POSIX seconds), None before their first visit."""

    def visited(self, agent_id: str, at: float) -> None:
        """Remember a visit at `at`."""


class RedisAgentAccess:
    """The marks in the store's Redis namespace."""

    def __init__(self, store: RedisStore) -> None:
        keys = Keys(store.namespace)
        self._client, self._links, self._visits = store.client, keys.agent_links, keys.agent_visits

    def generation(self, agent_id: str) -> int:
        return int(call_redis(self._client.hget, self._links, agent_id) or 0)

    def revoke(self, agent_id: str) -> int:
        return int(call_redis(self._client.hincrby, self._links, agent_id, 1))

    def last_visit(self, agent_id: str) -> float | None:
        text = call_redis(self._client.hget, self._visits, agent_id)
        return float(text) if text else None

    def visited(self, agent_id: str, at: float) -> None:
        call_redis(self._client.hset, self._visits, agent_id, repr(at))


class MemoryAgentAccess:
    """The marks of an in-process store."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._links: dict[str, int] = {}
        self._visits: dict[str, float] = {}

    def generation(self, agent_id: str) -> int:
        with self._lock:
            return self._links.get(agent_id, 0)

    def revoke(self, agent_id: str) -> int:
        with self._lock:
            self._links[agent_id] = self._links.get(agent_id, 0) + 1
            return self._links[agent_id]

    def last_visit(self, agent_id: str) -> float | None:
        with self._lock:
            return self._visits.get(agent_id)

    def visited(self, agent_id: str, at: float) -> None:
        with self._lock:
            self._visits[agent_id] = at


_ACCESS: weakref.WeakKeyDictionary[object, AgentAccess] = weakref.WeakKeyDictionary()
_ACCESS_LOCK = threading.Lock()


def access_for(store: Store) -> AgentAccess:
    """The agents' marks that go with `store` (the same Redis namespace, or this process)."""
    with _ACCESS_LOCK:
        found = _ACCESS.get(store)
        if found is None:
            found = RedisAgentAccess(store) if isinstance(store, RedisStore) else MemoryAgentAccess()
            _ACCESS[store] = found
        return found
