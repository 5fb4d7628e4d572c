"""A rescore's contributions in their stored (short) form, so Python compares and Redis stores them as is.

upsert.lua's ``pack_c`` writes a contribution short (kpi/store/record_codec.py): each metric line's
"metric<TAB>aggregation" becomes an id of the names hash, a count of 1 and trailing zeros are left out, and
the head keeps the day and week of its buckets. `ShortForms` does the same in Python with the names hash
read once per rescore (ids not given yet are asked of the script, which gives them), and finds the lines a
change moves (upsert.lua's ``replace``) in full, so the script neither expands nor packs a contribution.
Every body (what follows the head) is converted once: a rescore's bodies are few.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import lru_cache

from kpi.model.contributions import Contribution
from kpi.model.periods import bucket_of
from kpi.store.record_codec import expand_contribution
from kpi.store.script_args import ShortChange

NameIds = Callable[[Sequence[str]], list[str]]
"""The short ids of contribution lines' names ("metric<TAB>aggregation"), new ones given by the store."""
Names = Callable[[], Mapping[str, str]]
"""The names hash as it is now."""


@lru_cache(maxsize=4096)
def _cut(day: str) -> str:
    """The buckets after a day's week that pack_c leaves out (month, quarter, year)."""
    found = date.fromisoformat(day)
    return ",".join(bucket_of(found, period) for period in ("month", "quarter", "year"))


@lru_cache(maxsize=1 << 16)
def _full_head(head: str) -> str:
    """A short head with the buckets pack_c left out (record_codec.expand_contribution's head)."""
    days = head.rpartition("\t")[2].split(",")
    return f"{head},{_cut(days[0])}" if len(days) == 2 else head


class ShortForms:
    """Contributions to and from their short form (see the module)."""

    def __init__(self, names: Names, ids_of: NameIds) -> None:
        self._names, self._ids_of = names, ids_of
        self._name_of: dict[str, str] = {}
        self._id_of: dict[str, str] = {}
        self._short: dict[str, str] = {}
        self._moved: dict[tuple[str, str], tuple[str, str]] = {}
        self._read()

    def short(self, contribution: Contribution, team: str) -> str:
        """`contribution`, credited to `team`, as pack_c stores it."""
        buckets = contribution.buckets
        if len(buckets) > 2 and ",".join(buckets[2:]) == _cut(buckets[0]):
            buckets = buckets[:2]
        head = f"{contribution.agent}\t{team}\t{','.join(buckets)}"
        body = contribution.body
        if body is None:
            encoded = contribution.encode()
            body = encoded[len(encoded.partition("\n")[0]) :]
        try:
            return head + self._short[body]
        except KeyError:
            self._short[body] = short = self._short_body(body)
            return head + short

    def change(self, old: str, new: str) -> ShortChange:
        """The change from the stored `old` to `new` (both short), with the lines replace moves in full."""
        old_head, _, old_body = old.partition("\n")
        new_head, _, new_body = new.partition("\n")
        if not old or not new or old_head != new_head:
            return ShortChange(new, old, self._full(old), self._full(new))
        try:
            gone, came = self._moved[old_body, new_body]
        except KeyError:
            gone, came = self._moved[old_body, new_body] = self._lines_moved(old_body, new_body)
        head = _full_head(old_head)
        return ShortChange(new, old, head + gone if gone else "", head + came if came else "")

    def _lines_moved(self, old_body: str, new_body: str) -> tuple[str, str]:
        """The full lines of `old_body` that `new_body` lacks, and the other way round."""
        old_full = self._full("\t\t\n" + old_body).split("\n")[1:] if old_body else []
        new_full = self._full("\t\t\n" + new_body).split("\n")[1:] if new_body else []
        kept, had = set(new_full), set(old_full)
        gone = "".join(f"\n{line}" for line in old_full if line not in kept)
        came = "".join(f"\n{line}" for line in new_full if line not in had)
        return gone, came

    def _full(self, short: str) -> str:
        if not short:
            return ""
        try:
            return expand_contribution(short, self._name_of)
        except KeyError:
            self._read()
            return expand_contribution(short, self._name_of)

    def _short_body(self, body: str) -> str:
        lines = [line.split("\t", 2) for line in body.split("\n")[1:]]
        names = [f"{metric}\t{aggregation}" for metric, aggregation, _ in lines]
        missing = [name for name in dict.fromkeys(names) if name not in self._id_of]
        if missing:
            for name, ident in zip(missing, self._ids_of(missing)):
                self._id_of[name], self._name_of[ident] = ident, name
        out = []
        for name, (_, _, numbers) in zip(names, lines):
            while numbers.endswith("\t0"):
                numbers = numbers[:-2]
            ident = self._id_of[name]
            out.append(ident if numbers == "1" else f"{ident}\t{numbers}")
        return "".join(f"\n{line}" for line in out)

    def _read(self) -> None:
        found = self._names()
        self._name_of = {k[1:]: v for k, v in found.items() if k.startswith("\x1f") and len(k) > 1}
        self._id_of = {k: v for k, v in found.items() if not k.startswith("\x1f")}
