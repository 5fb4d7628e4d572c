"""What a TV has already been sent: kept in its browser (the ``kiosk-seen`` store) and sent back each poll.

The poll is a GET whose query carries it compactly (``v``, ``s``, ``c``, ``t``, ``d``: see `Seen.from_query`).
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

from kpi.store.celebration_feed import START

_HEX = re.compile(r"[0-9a-f]{12}")
_SHORT = re.compile(r"[A-Za-z0-9_-]{8}")


@dataclass(frozen=True)
class Seen:
    """The data version, screen signature, last celebration and view fingerprints one TV has.

    In the browser it is a small dict with the keys ``v``, ``sig``, ``c``, ``ct`` and ``d``. What comes back
    is only a hint and never trusted: a forged or broken value costs at most a resend.
    """

    version: int | None = None
    signature: str | None = None
    celebration: str = START
    """The id of the newest celebration handled (shown, or passed over because the screen may not show it)."""
    shown_at: float = 0
    """When the TV started showing its current celebration (seconds since the epoch; 0 for none)."""
    digests: tuple[str, ...] = ()
    """The fingerprint of each view's data, in view order (in the browser and the query each is 8 URL-safe
    base64 characters instead of 12 hex digits: 40 bytes less per poll of a ten-view screen)."""

    def to_store(self) -> dict[str, Any]:
        """The dict the browser keeps."""
        return {
            "v": self.version,
            "sig": self.signature,
            "c": self.celebration,
            "ct": self.shown_at,
            "d": [_short(d) for d in self.digests],
        }

    def changes_from(self, old: Seen) -> dict[str, Any]:
        """What an answer's ``s`` carries: the keys of `to_store` that differ from `old`'s, and ``d`` as
        the fingerprints that differ by index (``{"2": "…"}``); the TV merges it into what it has
        (``seenAfter`` in `assets/kiosk.js`, `dashboard.services.kiosk.wire.seen_after`)."""
        new, was = self.to_store(), old.to_store()
        delta: dict[str, Any] = {key: value for key, value in new.items() if key != "d" and was[key] != value}
        known = old.digests
        changed = {str(i): _short(d) for i, d in enumerate(self.digests) if i >= len(known) or known[i] != d}
        if changed:
            delta["d"] = changed
        return delta

    @classmethod
    def from_store(cls, data: object) -> Seen:
        """Read what a browser sent back; anything missing or of the wrong type counts as not seen."""
        raw = data if isinstance(data, dict) else {}
        version, sig, shown_at, digests = raw.get("v"), raw.get("sig"), raw.get("ct"), raw.get("d")
        return cls(
            version=int(version) if _is_number(version) and float(version).is_integer() else None,
            signature=sig if isinstance(sig, str) else None,
            celebration=str(raw.get("c") or START),
            shown_at=shown_at if _is_number(shown_at) else 0,
            digests=tuple(_long(_text(d)) for d in digests) if isinstance(digests, list) else (),
        )

    @classmethod
    def from_query(cls, args: Mapping[str, str]) -> Seen:
        """Read a poll's query: ``v`` version, ``s`` signature, ``c`` and ``t`` the celebration and when it
        was shown, ``d`` the fingerprints joined by dots. Anything broken counts as not seen."""
        raw: dict[str, Any] = {"sig": args.get("s"), "c": args.get("c")}
        for key, name in (("v", "v"), ("ct", "t")):
            try:
                number = float(args[name])
            except (KeyError, ValueError):
                number = None
            raw[key] = number if number is not None and math.isfinite(number) else None
        if raw["v"] is not None and raw["v"].is_integer():
            raw["v"] = int(raw["v"])
        digests = args.get("d")
        raw["d"] = digests.split(".") if digests else []
        return cls.from_store(raw)


@lru_cache(maxsize=8192)
def _short(digest: str) -> str:
    """A view fingerprint (12 hex digits) as the TV keeps and sends it: 8 URL-safe base64 characters."""
    return base64.urlsafe_b64encode(bytes.fromhex(digest)).decode() if _HEX.fullmatch(digest) else digest


@lru_cache(maxsize=8192)
def _long(text: str) -> str:
    """A fingerprint as the TV sent it, back in hex (anything else as it is: it then matches nothing)."""
    if not _SHORT.fullmatch(text):
        return text
    try:
        return base64.urlsafe_b64decode(text).hex()
    except (binascii.Error, ValueError):
        return text


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
