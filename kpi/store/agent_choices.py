"""Agents' own choices (appear on TVs or not, badge celebrations or not), kept beside the figures.

In Redis a hash ``wb:{<namespace>}:choices`` maps an agent id to two flags, ``<hide>,<celebrate>`` as
``0``/``1``; agents who never chose are absent (the defaults apply). Saving a choice moves the data
version and the choices' own version (`CHOICES_PART`), so every screen takes it into account at its next
refresh, and views cached by the versions they read are computed again.
"""

from __future__ import annotations

import threading
import weakref
from typing import Protocol

from kpi.model.agents import AgentChoices
from kpi.store.base import CHOICES_PART, Store
from kpi.store.keys import Keys
from kpi.store.memory import MemoryStore
from kpi.store.redis_store import RedisStore, call_redis


class ChoicesStore(Protocol):
    """Where agents' choices are kept."""

    def all(self) -> dict[str, AgentChoices]:
        """Every agent who made a choice (one read, for a whole screen refresh)."""

    def of(self, agent_id: str) -> AgentChoices:
        """One agent's choices, the defaults when they never chose."""

    def save(self, agent_id: str, choices: AgentChoices) -> None:
        """Keep `choices` and make every screen refresh."""


def _encode(choices: AgentChoices) -> str:
    return f"{int(choices.hide_from_screens)},{int(choices.celebrate_badges)}"


def _decode(text: str) -> AgentChoices:
    hide, celebrate = (text.split(",") + ["0", "1"])[:2]
    return AgentChoices(hide_from_screens=hide == "1", celebrate_badges=celebrate != "0")


class RedisChoices:
    """Choices in the store's Redis namespace."""

    def __init__(self, store: RedisStore) -> None:
        self._store = store
        self._key = Keys(store.namespace).agent_choices

    def all(self) -> dict[str, AgentChoices]:
        raw = call_redis(self._store.client.hgetall, self._key)
        return {agent_id: _decode(text) for agent_id, text in raw.items()}

    def of(self, agent_id: str) -> AgentChoices:
        text = call_redis(self._store.client.hget, self._key, agent_id)
        return _decode(text) if text else AgentChoices()

    def save(self, agent_id: str, choices: AgentChoices) -> None:
        pipe = self._store.client.pipeline(transaction=True)
        pipe.hset(self._key, agent_id, _encode(choices))
        pipe.incr(self._store.keys.data_version)
        pipe.hincrby(self._store.keys.versions, CHOICES_PART, 1)
        call_redis(pipe.execute)


class MemoryChoices:
    """Choices of an in-process store."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._choices: dict[str, AgentChoices] = {}

    def all(self) -> dict[str, AgentChoices]:
        with self._lock:
            return dict(self._choices)

    def of(self, agent_id: str) -> AgentChoices:
        with self._lock:
            return self._choices.get(agent_id, AgentChoices())

    def save(self, agent_id: str, choices: AgentChoices) -> None:
        with self._lock:
            self._choices[agent_id] = choices
        self._store.touch(CHOICES_PART)


_CHOICES: weakref.WeakKeyDictionary[object, ChoicesStore] = weakref.WeakKeyDictionary()
_CHOICES_LOCK = threading.Lock()


def choices_for(store: Store) -> ChoicesStore:
    """The agents' choices that go with `store` (the same Redis namespace, or this process)."""
    with _CHOICES_LOCK:
        found = _CHOICES.get(store)
        if found is None:
            found = RedisChoices(store) if isinstance(store, RedisStore) else MemoryChoices(store)  # type: ignore[arg-type]
            _CHOICES[store] = found
        return found
