"""The ``names`` hash read from Python: the texts of the short ids in stored records (record_codec.py).

Ids are given by upsert.lua and never change, so a process keeps what it read and reads the hash again
only when a record names an id it has not seen yet.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


class RecordNames(Mapping[str, str]):
    """Id → text, read from the names hash `key` again on the first unknown id."""

    def __init__(self, client: Any, key: str) -> None:
        self._client = client
        self._key = key
        self._texts: dict[str, str] = {}

    def __getitem__(self, ident: str) -> str:
        try:
            return self._texts[ident]
        except KeyError:
            self.reload()
            return self._texts[ident]

    def reload(self) -> None:
        found = self._client.hgetall(self._key)
        self._texts = {k[1:]: v for k, v in found.items() if k.startswith("\x1f") and len(k) > 1}

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)
