"""What a kiosk poll decides, as pure functions: reload or not, which views to send, which celebration now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from dashboard.services.kiosk.seen import Seen
from kpi.config.agents import AgentsDisplay
from kpi.model.celebration import Celebration
from kpi.read.celebrations import for_screen
from kpi.read.freshness import Freshness


def must_reload(seen: Seen, signature: str, views: int, views_on_tv: int) -> bool:
    """Whether a TV must reload: its screen changed (config, app, schedule window) or its views did."""
    return signature != seen.signature or views != views_on_tv


def views_to_send(known: Sequence[str], digests: Sequence[str]) -> list[bool]:
    """For each view, whether the TV needs it again: its fingerprint is new or differs from the one it has."""
    return [index >= len(known) or known[index] != digest for index, digest in enumerate(digests)]


@dataclass(frozen=True)
class CelebrationTurn:
    """What a poll does about celebrations: what to show now, if anything, and what the TV has then seen."""

    latest: str
    """The id of the newest celebration handled."""
    show: Celebration | None
    """The celebration to show now, named as the screen names people; None to show nothing new."""
    shown_at: float


def next_celebration(
    fresh: Sequence[tuple[str, Celebration]],
    seen: Seen,
    now: float,
    show_seconds: float,
    agents: AgentsDisplay,
    style: str,
) -> CelebrationTurn:
    """One celebration at a time, oldest first: the next waits until the current one has had its seconds.

    Celebrations the screen may not show (an agent hidden from screens) are passed over on the way.
    """
    if fresh and now - seen.shown_at >= show_seconds:
        latest = seen.celebration
        for entry_id, item in fresh:
            latest = entry_id
            shown = for_screen([item], agents, style)
            if shown is not None:
                return CelebrationTurn(latest, shown, now)
        return CelebrationTurn(latest, None, seen.shown_at)
    return CelebrationTurn(seen.celebration, None, seen.shown_at)


def pulse(ok: bool, at: float, sources: Freshness | None = None) -> dict[str, Any]:
    """What the TV needs to show its status: the server answered, the store too, and which sources lag."""
    answer: dict[str, Any] = {"t": int(at), "ok": ok}
    if sources is not None and sources.behind:
        answer["behind"] = list(sources.behind)
        answer["asof"] = int(sources.oldest.timestamp()) if sources.oldest else None
    return answer
