"""Feed a store from the simulated floor: a backfill of history, then live events every few seconds.

After the backfill a full awarding sweep finds the history's badges (retroactive, never celebrated); after
each tick the agents it changed are evaluated, so badges are earned live and celebrated on the TVs.
While the history is being written every page says "Loading history…" (`kpi.store.history_state`), and the
console says when it is in.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timezone
from typing import Callable

from connectors.simulator import SimulatedFloor
from kpi.config import Config
from kpi.ingest.game_round import game_round
from kpi.ingest.pipeline import IngestResult, ingest_events
from kpi.store.base import Store, StoreUnavailable
from kpi.store.history_state import mark_history_loading

log = logging.getLogger("wallboard.demo")
BACKFILL_BATCH = 2000


class DemoFeed(threading.Thread):
    """A daemon thread that writes simulated events through the normal upsert path."""

    def __init__(
        self,
        store: Store,
        config: Config,
        *,
        days: int,
        tick_seconds: float,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        super().__init__(name="demo-feed", daemon=True)
        self.store, self.config = store, config
        self.days, self.tick_seconds, self.clock = days, tick_seconds, clock
        self.floor = SimulatedFloor(config.zone)
        self.backfilled = threading.Event()
        self._stop_requested = threading.Event()

    def start(self) -> None:
        """Flag the history as loading before the thread runs, so no page is served without the notice."""
        mark_history_loading(self.store, True)
        super().start()

    def stop(self) -> None:
        self._stop_requested.set()

    def backfill(self) -> IngestResult:
        """Write `days` days of history in batches, so that readers are never blocked for long."""
        mark_history_loading(self.store, True)
        try:
            result = self._write_history()
        finally:
            mark_history_loading(self.store, False)
        self.backfilled.set()
        return result

    def _write_history(self) -> IngestResult:
        total = IngestResult(received=0)
        batch = []
        for event in self.floor.history(self.days, self.clock()):
            batch.append(event)
            if len(batch) == BACKFILL_BATCH:
                total += ingest_events(self.store, self.config, batch)
                batch = []
        if batch:
            total += ingest_events(self.store, self.config, batch)
        game_round(self.store, self.config, self.clock())
        return total

    def run(self) -> None:
        started = time.monotonic()
        result = self.backfill()
        log.info("demo history loaded: %d events over %d days", result.received, self.days)
        print(
            f"History loaded: {result.received:,} events over {self.days} days in "
            f"{time.monotonic() - started:.1f} s; every page shows the full figures now.",
            flush=True,
        )
        while not self._stop_requested.wait(self.tick_seconds):
            events = self.floor.live(self.clock(), self.tick_seconds)
            try:
                ingest_events(self.store, self.config, events)
                game_round(self.store, self.config, self.clock())
            except StoreUnavailable as exc:
                log.warning("demo events not written, will go on: %s", exc)
