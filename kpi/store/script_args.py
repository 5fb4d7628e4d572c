"""upsert.lua's keys and arguments for one record (see the script's header for what each one is)."""

from __future__ import annotations

from dataclasses import dataclass

from kpi.model.contributions import Contribution
from kpi.model.events import Event
from kpi.store.base import seen_version
from kpi.store.keys import Keys
from kpi.store.record_codec import encode_event, pack_hash, pack_version


@dataclass(frozen=True)
class ShortChange:
    """A rescore's change of one record in the stored form: the new and the read contribution (short),
    and the lines to take back and to add, in full under their head ('' for none)."""

    new: str
    old: str
    gone: str
    came: str


@dataclass(frozen=True)
class ScriptArgs:
    """Builds the script's keys and arguments; the key names every call sends are computed once."""

    keys: Keys
    agents: str
    data_version: str
    versions: str
    board_prefix: str
    record_prefix: str
    dependents_prefix: str
    names: str

    @classmethod
    def of(cls, keys: Keys) -> ScriptArgs:
        names = ("agents", "data_version", "versions", "board_prefix", "record_prefix", "dependents_prefix")
        return cls(keys, *(getattr(keys, name) for name in names), keys.names)

    def upsert(
        self, event: Event, contribution: Contribution | None, today: str = ""
    ) -> tuple[list[str], list[str]]:
        """The call that stores this version of `event` with `contribution`; `today` is the office-local
        day (ISO): figures of days before it also move their metric's ``@past`` version ('' for every day)."""
        link = contribution.link if contribution else None
        return self._call(
            event,
            [
                pack_version(event.version),
                pack_hash(event.content_hash),
                "1" if event.deleted else "0",
                contribution.encode() if contribution else "",
                encode_event(event, in_head=contribution is not None and not event.deleted),
                event.agent_id,
                event.agent_name or "",
                event.team or "",
                seen_version(event),
                self.keys.record_ref(event.source, link.target) if link else "",
                link.encode() if link else "",
                "1" if contribution and contribution.linkable else "0",
            ],
            "",
            today,
        )

    def rescore(
        self, event: Event, contribution: Contribution | None, packed_hash: str, encoded_event: str
    ) -> tuple[list[str], list[str]]:
        """The call that re-derives a stored record read with `packed_hash`: version, agent name and team
        are left empty (the stored ones stay); every day counts as past (a rescore re-derives old days)."""
        encoded = contribution.encode() if contribution else ""
        keys, args = self._rederive(event, contribution, encoded, packed_hash, encoded_event, "rescore")
        return keys, [*args, "", "", ""]

    def rescore_short(
        self,
        event: Event,
        contribution: Contribution | None,
        packed_hash: str,
        encoded_event: str,
        short: ShortChange,
    ) -> tuple[list[str], list[str]]:
        """`rescore` with the contributions in their stored (short) form and the lines that move."""
        mode = "rescore-short"
        keys, args = self._rederive(event, contribution, short.new, packed_hash, encoded_event, mode)
        return keys, [*args, short.old, short.gone, short.came]

    def name_ids(self, names: list[str]) -> tuple[list[str], list[str]]:
        """The call that returns the short ids of contribution lines ("metric<TAB>aggregation")."""
        keys = [self.names, self.agents, self.data_version, self.names, self.versions]
        return keys, [self.board_prefix, *[""] * 14, "names", "", self.names, "", *names]

    def _rederive(
        self,
        event: Event,
        contribution: Contribution | None,
        encoded: str,
        packed_hash: str,
        encoded_event: str,
        mode: str,
    ) -> tuple[list[str], list[str]]:
        link = contribution.link if contribution else None
        return self._call(
            event,
            [
                "",
                packed_hash,
                "1" if event.deleted else "0",
                encoded,
                encoded_event,
                event.agent_id,
                "",
                "",
                "",
                self.keys.record_ref(event.source, link.target) if link else "",
                link.encode() if link else "",
                "1" if contribution and contribution.linkable else "0",
            ],
            mode,
            "",
        )

    def _call(self, event: Event, varying: list[str], mode: str, today: str) -> tuple[list[str], list[str]]:
        """The keys, and the arguments around `varying` (ARGV[2] to ARGV[13])."""
        record = self.keys.record(event.source, event.id)
        dependents = f"{self.dependents_prefix}{event.source}:{event.id}"
        keys = [record, self.agents, self.data_version, dependents, self.versions]
        args = [self.board_prefix, *varying, self.record_prefix, self.dependents_prefix, mode]
        return keys, [*args, event.id, self.names, today]
