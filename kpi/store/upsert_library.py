"""upsert.lua as a Redis function library: loaded once per server, then each call runs only itself.

An EVALSHA of a script runs the whole script each time: upsert.lua would define its ~40 functions again
for the one record they serve (about 6 % of a single event's time in Redis when measured). As a function
library (Redis 7's ``FUNCTION LOAD``) they are defined once, by the first call after the library is loaded,
and ``FCALL`` runs the call alone. A single event is then one ``FCALL``, one round trip (a script in a
transaction took redis-py two: ``SCRIPT EXISTS``, then ``MULTI``/``EVALSHA``/``EXEC``). The library is
upsert.lua, then upsert_batch.lua, then the two registrations:

* ``wb_upsert_<sha>``: one record (upsert.lua's KEYS and ARGV);
* ``wb_upsert_batch_<sha>``: many records in one run, board writes summed per cell (upsert_batch.lua).

``<sha>`` names this code: processes of two releases (a rolling upgrade) call their own functions side by
side. A server that does not know them (its first use, a restart without persistence, a new cluster node)
answers "Function not found" and nothing ran: the library is loaded where the namespace lives, and the call
is made again.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from importlib import resources
from typing import Sequence

from redis.exceptions import ResponseError

from kpi.store.base import StoreUnavailable
from kpi.store.clients import Client, on_node_of

_PARTS = ("upsert.lua", "upsert_batch.lua")

_PREFIX = "wallboard_upsert_"
"""Every release's upsert library is named this, then the hash of its code."""

_LIBRARY = """#!lua name={name}
local single, batch
local function define()
{body}
return upsert_single, upsert_batch
end
redis.register_function('{single}', function(keys, args)
  if not single then single, batch = define() end
  return single(keys, args)
end)
redis.register_function('{batch}', function(keys, args)
  if not single then single, batch = define() end
  return batch(keys, args)
end)
"""
"""Redis 7.0 loads a library with little more than ``redis.register_function`` in reach (no ``string``, no
``redis.call``): upsert.lua's functions are defined by the first call after a load, and kept."""


@dataclass(frozen=True)
class UpsertLibrary:
    """The library's code and the names of its two functions."""

    code: str
    name: str
    single: str
    batch: str

    @classmethod
    @functools.cache
    def build(cls) -> UpsertLibrary:
        """The library of this release's upsert.lua and upsert_batch.lua."""
        return cls.of(release_body())

    @classmethod
    def of(cls, body: str) -> UpsertLibrary:
        """The library of `body` (Lua defining ``upsert_single`` and ``upsert_batch``), named by its hash."""
        sha = hashlib.sha1(body.encode()).hexdigest()[:16]
        name, single, batch = f"{_PREFIX}{sha}", f"wb_upsert_{sha}", f"wb_upsert_batch_{sha}"
        return cls(_LIBRARY.format(name=name, body=body, single=single, batch=batch), name, single, batch)


def release_body() -> str:
    """This release's library body: upsert.lua, then upsert_batch.lua."""
    return "\n".join(resources.files("kpi.store").joinpath(part).read_text() for part in _PARTS)


class UpsertFunctions:
    """Calls of the library's functions on one client, loading the library where it is missing."""

    def __init__(self, client: Client, home_key: str, library: UpsertLibrary | None = None) -> None:
        """`home_key`: a key of the namespace (on a cluster, the library is loaded on its node)."""
        self.client = client
        self.home_key = home_key
        self.library = library or UpsertLibrary.build()

    def single(self, keys: Sequence[str], args: Sequence[str]) -> str:
        """One upsert.lua call; its outcome."""
        return self._fcall(self.library.single, keys, args)

    def batch(self, keys: Sequence[str], args: Sequence[str]) -> list[str]:
        """One upsert_batch.lua run; each call's outcome."""
        return list(self._fcall(self.library.batch, keys, args))

    def load(self) -> None:
        """Load (or load again) the library on the namespace's node."""
        code, node = self.library.code, on_node_of(self.client, self.home_key)
        self.client.execute_command("FUNCTION LOAD", "REPLACE", code, **node)

    def loaded_libraries(self) -> list[str]:
        """The names of the upsert libraries loaded where the namespace lives (this release's among them
        once a write loaded it)."""
        node = on_node_of(self.client, self.home_key)
        listed = self.client.execute_command("FUNCTION LIST", "LIBRARYNAME", f"{_PREFIX}*", **node)
        return sorted(str(library["library_name"]) for library in listed)

    @property
    def name(self) -> str:
        """This release's library name."""
        return self.library.name

    def _fcall(self, function: str, keys: Sequence[str], args: Sequence[str]):  # noqa: ANN202 - a Redis reply
        try:
            return self.client.fcall(function, len(keys), *keys, *args)
        except ResponseError as exc:
            if _unknown_command(exc):
                raise RedisTooOld(_TOO_OLD.format(exc=exc)) from exc
            if not _not_found(exc):
                raise
        self.load()
        return self.client.fcall(function, len(keys), *keys, *args)


class RedisTooOld(StoreUnavailable):
    """The Redis has no functions (older than 7.0): nothing was written; writes work once it is upgraded."""


_TOO_OLD = (
    "this Redis has no FCALL ({exc}): Wallboard's upsert is a function library and needs Redis 7.0 or "
    "later (wallboard doctor checks the version; Ubuntu 22.04's redis-server is 6.0: use the compose file's "
    "redis:7 or Redis's own packages)"
)


def _not_found(exc: ResponseError) -> bool:
    """True for the server's answer to a call of a function it does not know."""
    return "function not found" in str(exc).lower()


def _unknown_command(exc: ResponseError) -> bool:
    """True for a server that does not know FCALL itself (Redis before 7.0)."""
    return "unknown command" in str(exc).lower()
