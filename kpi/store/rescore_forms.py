"""A rescore's contributions in their stored (short) form, so Python compares and Redis stores them as is.

upsert.lua's ``c_texts``/``c_short`` write a contribution short (kpi/store/record_codec.py): the agent, the
team and each metric line's "metric<TAB>aggregation" become ids of the names hash, the buckets the day's
number when they are that day's usual five, a count of 1 and trailing zeros are left out. `ShortForms` does
the same in Python with the names hash read once per rescore (texts without an id yet are given one by the
script), and finds the lines a change moves (upsert.lua's ``replace``) in full, so the script neither
expands nor packs a contribution. Every body (what follows the head) and head is converted once: a
rescore's are few.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from kpi.model.contributions import Contribution
from kpi.store.record_codec import expand_body, expand_contribution, full_head, short_buckets
from kpi.store.script_args import ShortChange

NameIds = Callable[[Sequence[str]], list[str]]
"""The short ids of texts (contribution lines' "metric<TAB>aggregation", agents, teams), new ones given by
the store."""
Names = Callable[[], Mapping[str, str]]
"""The names hash as it is now."""


class ShortForms:
    """Contributions to and from their short form (see the module)."""

    def __init__(self, names: Names, ids_of: NameIds) -> None:
        self._names, self._ids_of = names, ids_of
        self._name_of: dict[str, str] = {}
        self._id_of: dict[str, str] = {}
        self._short: dict[str, str] = {}
        self._heads: dict[tuple[str, str, tuple[str, ...]], str] = {}
        self._full_heads: dict[str, str] = {}
        self._moved: dict[tuple[str, str], tuple[str, str]] = {}
        self._read()

    def short(self, contribution: Contribution, team: str) -> str:
        """`contribution`, credited to `team`, as upsert.lua stores it."""
        key = (contribution.agent, team, tuple(contribution.buckets))
        head = self._heads.get(key)
        if head is None:
            ids = self._ids([contribution.agent, team] if team else [contribution.agent])
            team_id = ids[team] if team else ""
            head = self._heads[key] = f"{ids[contribution.agent]}\t{team_id}\t{short_buckets(key[2])}"
        body = contribution.body
        if body is None:
            encoded = contribution.encode()
            body = encoded[len(encoded.partition("\n")[0]) :]
        try:
            return head + self._short[body]
        except KeyError:
            self._short[body] = short = self._short_body(body)
            return head + short

    def full_head(self, short: str) -> str:
        """The head of a stored contribution (either layout) in full: agent, team, every bucket."""
        head = short.partition("\n")[0]
        try:
            return self._full_heads[head]
        except KeyError:
            pass
        try:
            full = full_head(head, self._name_of)
        except KeyError:
            self._read()
            full = full_head(head, self._name_of)
        self._full_heads[head] = full
        return full

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
        head = self.full_head(old_head)
        return ShortChange(new, old, head + gone if gone else "", head + came if came else "")

    def _lines_moved(self, old_body: str, new_body: str) -> tuple[str, str]:
        """The full lines of `old_body` that `new_body` lacks, and the other way round."""
        old_full = self._expand(expand_body, "\n" + old_body).split("\n")[1:] if old_body else []
        new_full = self._expand(expand_body, "\n" + new_body).split("\n")[1:] if new_body else []
        kept, had = set(new_full), set(old_full)
        gone = "".join(f"\n{line}" for line in old_full if line not in kept)
        came = "".join(f"\n{line}" for line in new_full if line not in had)
        return gone, came

    def _full(self, short: str) -> str:
        return self._expand(expand_contribution, short) if short else ""

    def _expand(self, expand: Callable[[str, Mapping[str, str]], str], short: str) -> str:
        """`expand` of `short` with the names hash, read again when `short` names an id not seen yet."""
        try:
            return expand(short, self._name_of)
        except KeyError:
            self._read()
            return expand(short, self._name_of)

    def _ids(self, texts: Sequence[str]) -> dict[str, str]:
        """The ids of `texts`, asking the store for those without one yet."""
        missing = [text for text in dict.fromkeys(texts) if text not in self._id_of]
        if missing:
            for text, ident in zip(missing, self._ids_of(missing)):
                self._id_of[text], self._name_of[ident] = ident, text
        return {text: self._id_of[text] for text in texts}

    def _short_body(self, body: str) -> str:
        lines = [line.split("\t", 2) for line in body.split("\n")[1:]]
        names = [f"{metric}\t{aggregation}" for metric, aggregation, _ in lines]
        ids = self._ids(names)
        out = []
        for name, (_, _, numbers) in zip(names, lines):
            while numbers.endswith("\t0"):
                numbers = numbers[:-2]
            out.append(ids[name] if numbers == "1" else f"{ids[name]}\t{numbers}")
        return "".join(f"\n{line}" for line in out)

    def _read(self) -> None:
        found = self._names()
        self._name_of = {k[1:]: v for k, v in found.items() if k.startswith("\x1f") and len(k) > 1}
        self._id_of = {k: v for k, v in found.items() if not k.startswith("\x1f")}
