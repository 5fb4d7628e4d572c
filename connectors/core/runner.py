"""Running a connector once: lock, read the cursor, store each page, then save its cursor, record health.

Order per page: the page's events are upserted through `kpi.ingest.pipeline.ingest_events` and only then is
the page's cursor saved (atomically with extending the lock, and only while the lock is held). A
crash between the two re-reads that page on the next run; upserts are idempotent, so the figures
end up exactly right.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from connectors.core.base import Connector, Page, Skipped, utc_now
from connectors.core.http import AuthError, ConnectorError, Interrupted, redact
from kpi.config import Config
from kpi.ingest.pipeline import IngestResult, ingest_events
from kpi.store.base import Store
from kpi.store.sync_state import SyncState, sync_state_for

log = logging.getLogger("wallboard.connectors")

Status = Literal["ok", "locked", "stopped", "error", "auth_failed"]
SKIPPED_SAMPLE = 20


class LockLost(ConnectorError):
    """Another runner took the connector's lock (this one stalled past its expiry); this run stops."""


@dataclass
class RunReport:
    """What one run of one connector did."""

    connector: str
    status: Status = "ok"
    pages: int = 0
    records: int = 0
    stored: IngestResult = field(default_factory=lambda: IngestResult(received=0))
    skipped: list[Skipped] = field(default_factory=list)
    newest: datetime | None = None
    error: str | None = None

    @property
    def events(self) -> int:
        return self.stored.received


class Runner:
    """Runs connectors against one store.

    Args:
        store: where events go.
        config: the metrics (passed to every upsert).
        state: cursors, locks and health (default: the store's own).
        now: the wall clock in UTC.
        should_stop: asked between pages; True ends the run cleanly after the page in hand.
    """

    def __init__(
        self,
        store: Store,
        config: Config,
        state: SyncState | None = None,
        *,
        now: Callable[[], datetime] = utc_now,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> None:
        self.store, self.config = store, config
        self.state = state if state is not None else sync_state_for(store)
        self.now = now
        self.should_stop = should_stop

    def run(
        self, connector: Connector, *, since: datetime | None = None, lock_ttl_seconds: float = 900
    ) -> RunReport:
        """Run `connector` once, from its saved cursor or, for a backfill, from `since`."""
        name = connector.name
        report = RunReport(name)
        token = uuid.uuid4().hex
        if not self.state.acquire(name, token, lock_ttl_seconds):
            log.info("%s: another runner holds the lock; skipping this run", name)
            report.status = "locked"
            return report
        started = self.now()
        try:
            self.state.write_health(name, {"status": "running", "last_run_started_at": started.isoformat()})
            cursor = connector.cursor_for(since) if since is not None else self.state.cursor(name)
            for page in connector.fetch(cursor):
                self._store_page(connector, token, lock_ttl_seconds, page, report)
                if self.should_stop():
                    report.status = "stopped"
                    break
        except Interrupted:
            report.status = "stopped"
        except AuthError as exc:
            self._fail(report, connector, "auth_failed", str(exc))
        except Exception as exc:  # noqa: BLE001 - a failed source must never stop the other connectors
            self._fail(report, connector, "error", f"{type(exc).__name__}: {exc}")
        finally:
            self._release(name, token)
        self._write_health(report, started)
        return report

    def _release(self, name: str, token: str) -> None:
        try:
            self.state.release(name, token)
        except Exception as exc:  # noqa: BLE001 - the lock expires by itself
            log.error("%s: could not release the lock (it expires by itself): %s", name, exc)

    def _store_page(
        self, connector: Connector, token: str, ttl: float, page: Page, report: RunReport
    ) -> None:
        if page.events:
            report.stored = report.stored + ingest_events(self.store, self.config, page.events)
        if not self.state.save(connector.name, token, ttl, page.next_cursor):
            raise LockLost(f"{connector.name}: the lock expired and another runner took it; stopping")
        report.pages += 1
        report.records += page.records
        report.skipped.extend(page.skipped)
        for item in page.skipped:
            log.warning("%s: skipped record %s: %s", connector.name, item.record_id, item.reason)
        if page.newest is not None and (report.newest is None or page.newest > report.newest):
            report.newest = page.newest

    def _fail(self, report: RunReport, connector: Connector, status: Status, message: str) -> None:
        report.status = status
        report.error = redact(message, connector.secrets.values())
        log.error("%s: run failed: %s", connector.name, report.error)

    def _write_health(self, report: RunReport, started: datetime) -> None:
        finished = self.now()
        fields = {
            "status": report.status,
            "last_run_finished_at": finished.isoformat(),
            "pages": str(report.pages),
            "records": str(report.records),
            "events": str(report.events),
            "skipped": str(len(report.skipped)),
            "skipped_sample": json.dumps([[s.record_id, s.reason] for s in report.skipped[:SKIPPED_SAMPLE]]),
            **{name: str(count) for name, count in report.stored.public().items() if name != "received"},
        }
        if report.status == "ok":
            fields["last_success_at"] = finished.isoformat()
            fields["data_as_of"] = started.isoformat()
        elif report.status != "stopped":
            fields["last_error"] = report.error or ""
            fields["last_error_at"] = finished.isoformat()
        if report.newest is not None:
            fields["newest_record_at"] = report.newest.isoformat()
            fields["lag_seconds"] = f"{max(0.0, (finished - report.newest).total_seconds()):.0f}"
        try:
            self.state.write_health(report.connector, fields)
        except Exception as exc:  # noqa: BLE001 - health is best effort when the store is down
            log.error("%s: could not record health: %s", report.connector, exc)
