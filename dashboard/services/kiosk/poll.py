"""What a kiosk poll decides, as pure functions: reload or not, which views to send, which celebration now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from dashboard.services.kiosk.seen import Seen
from kpi.config.agents import AgentsDisplay
from kpi.config.screens import Screen, View
from kpi.model.celebration import Celebration
from kpi.read.celebrations import for_screen
from kpi.read.freshness import Freshness


def must_reload(seen: Seen, signature: str, views: int, views_on_tv: int) -> bool:
    """Whether a TV must reload: its screen changed (config, app, schedule window) or its views did."""
    return signature != seen.signature or views != views_on_tv


def views_due(showing: int | None, durations: Sequence[float], refresh: float) -> list[bool]:
    """For each view, whether a TV showing view `showing` needs it fresh now: the one it shows, and those
    that may come on screen before the answer to its next poll (within two poll intervals from now, when
    the view shown ends now). All of them when the TV did not say which it shows (`showing` None)."""
    count = len(durations)
    if showing is None or not 0 <= showing < count:
        return [True] * count
    due, lead = [False] * count, 0.0
    for step in range(count):
        index = (showing + step) % count
        if step > 1:
            lead += durations[(index - 1) % count]
        if step > 1 and lead >= 2 * refresh:
            break
        due[index] = True
    return due


def views_to_send(
    known: Sequence[str], digests: Sequence[str], due: Sequence[bool] | None = None
) -> list[bool]:
    """For each view, whether the TV needs it again: one it has never had, or one that is `due` (all when
    None) and whose fingerprint differs from the one it has."""
    return [
        index >= len(known) or not known[index] or (known[index] != digest and (due is None or due[index]))
        for index, digest in enumerate(digests)
    ]


def held_back(known: Sequence[str], digests: Sequence[str], send: Sequence[bool]) -> tuple[str, ...]:
    """The fingerprints the TV has after an answer that sends the views marked in `send`: the new one of
    each view sent, the one it had of each view held back."""
    return tuple(digest if send[index] else known[index] for index, digest in enumerate(digests))


def due_on(screen: Screen, views: Sequence[View], showing: str | None) -> list[bool]:
    """`views_due` for a TV of `screen` that says (the poll's ``w``) it shows view `showing`."""
    try:
        index = int(showing) if showing is not None else None
    except ValueError:
        index = None
    return views_due(index, [screen.seconds_of(view) for view in views], screen.refresh_seconds)


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
