"""A thin hook through which kpi reports what happens, without knowing who listens (or importing anyone).

kpi calls `emit` with an event name and fields; the web app's metrics module (`dashboard.metrics`)
subscribes and turns them into Prometheus series. With no listener (the CLI, the sync worker, tests),
`emit` does nothing. A failing listener never breaks the caller.

Events: ``ingest`` (``outcomes``: counts by outcome), ``ingest_rejected`` (``items``),
``redis_error`` (``kind``: timeout, connection or refused), ``breaker`` (``state``: closed, open or
half-open), ``cache`` (``cache``: its name, ``hit``: bool, ``count``: look-ups of that result, 1 when
absent).
"""

from __future__ import annotations

import logging
from typing import Any, Callable

Listener = Callable[[str, dict[str, Any]], None]

log = logging.getLogger("wallboard")
_listeners: list[Listener] = []


def subscribe(listener: Listener) -> None:
    """Call `listener(event, fields)` on every `emit` from now on (once, however often subscribed)."""
    if listener not in _listeners:
        _listeners.append(listener)


def unsubscribe(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def emit(event: str, **fields: Any) -> None:
    """Tell every listener that `event` happened."""
    for listener in tuple(_listeners):
        try:
            listener(event, fields)
        except Exception:  # noqa: BLE001 - telemetry must never break a request or an ingest
            log.debug("telemetry listener failed on %s", event, exc_info=True)
