"""The connector contract: what every connector must do, run against a vendor's replay scenario.

A vendor supplies a `ReplayScenario`: its documented responses served from a local pytest-httpserver,
how to make one request fail (429, 5xx, 401/403), and the figures a full run stores. Subclassing
`ConnectorContract` and providing a ``scenario`` fixture runs the whole suite for that connector::

    class TestMyVendorContract(ConnectorContract):
        @pytest.fixture
        def scenario(self, httpserver):
            return MyVendorReplay(httpserver)

Runs go to an in-process store unless the ``store`` fixture is overridden (e.g. with a real Redis).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from connectors.core.base import Connector
from connectors.core.runner import Runner
from connectors.testing.replay import Answer
from kpi.config import Config, load_config
from kpi.store import MemoryStore
from kpi.store.base import Store
from kpi.store.sync_state import sync_state_for

Figures = Mapping[str, Mapping[str, tuple[int, int, int, int]]]
"""Per metric, per agent: the month's ``(count, total, promoters, detractors)``, the total in thousandths."""

RETRY_AFTER_SECONDS = 7


@dataclass(frozen=True)
class Expected:
    """What a full first run of a scenario stores.

    Attributes:
        month: the month bucket the figures are read from (``2026-11``).
        figures: per metric and agent, ``(count, total, promoters, detractors)``.
        skipped: ``(record id, reason)`` of each malformed record, in the order they are met.
        pages: how many pages a full read yields (one of them empty).
    """

    month: str
    figures: Figures
    skipped: Sequence[tuple[str, str]]
    pages: int


class ReplayScenario(ABC):
    """One vendor's API replayed in its documented response shape.

    `serve` scripts a complete read: several pages, one of them empty, a record edited on a later page,
    and at least one malformed record. The answers of a request repeat, so a backfill re-reads the same.
    """

    type_name: str
    """The connector's entry-point name in the ``wallboard.connectors`` group."""
    secret: str
    """A secret the connector sends; it must never appear in an error."""
    start: datetime
    """The connector's configured ``start``: a backfill from here re-reads everything."""
    expected: Expected

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.serve()

    @abstractmethod
    def serve(self) -> None:
        """Script the vendor's answers for a complete read."""

    @abstractmethod
    def connector(self, sleep: Callable[[float], None]) -> Connector:
        """The connector under test, pointed at the replay, with `sleep` recording waits."""

    @abstractmethod
    def inject(self, *answers: Answer) -> None:
        """Answer `answers` to a request after the first page, then the scripted page."""

    @abstractmethod
    def refuse_first(self, answer: Answer) -> None:
        """Answer `answer` to the first request of a run, every time."""

    @abstractmethod
    def server_error(self) -> Answer:
        """A 5xx as the vendor sends it."""

    def rate_limited(self, seconds: int) -> Answer:
        """A 429 as the vendor sends it, with ``Retry-After: seconds`` (override for a vendor's own body)."""
        return Answer("Too many requests", 429, {"Retry-After": str(seconds)})

    @abstractmethod
    def auth_error(self, message: str) -> Answer:
        """The vendor's refusal of an expired or revoked credential (401 or 403), carrying `message`."""


class Crash(BaseException):
    """Stands for the process dying: nothing catches it."""


class CrashOnSave:
    """The real sync state, except that the process 'dies' before saving the cursor of page `n`."""

    def __init__(self, state: Any, n: int) -> None:
        self.state, self.n, self.saves = state, n, 0
        self.saved: str | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.state, name)

    def save(self, name: str, token: str, ttl: float, cursor: str | None) -> bool:
        self.saves += 1
        if self.saves == self.n:
            raise Crash()
        if cursor is not None:
            self.saved = cursor
        return self.state.save(name, token, ttl, cursor)


def figures_of(store: Store, expected: Expected) -> dict[str, dict[str, tuple[int, int, int, int]]]:
    """The stored figures of the expected metrics, in the form of `Expected.figures`."""
    found = {}
    for metric in expected.figures:
        stored = store.figures(metric, expected.month, "agent")
        found[metric] = {m: (f.count, f.total, f.promoters, f.detractors) for m, f in stored.items()}
    return found


class ConnectorContract:
    """The behaviour every connector shares; a subclass provides the ``scenario`` fixture."""

    @pytest.fixture
    def scenario(self) -> ReplayScenario:
        pytest.fail("a ConnectorContract subclass must provide a `scenario` fixture")

    @pytest.fixture
    def store(self) -> Store:
        """Where runs store their events (override to use a real Redis)."""
        return MemoryStore()

    @pytest.fixture
    def config(self) -> Config:
        return load_config()

    @pytest.fixture
    def waits(self) -> list[float]:
        """Every wait the connector asked for (nothing really sleeps)."""
        return []

    @pytest.fixture
    def connector(self, scenario: ReplayScenario, waits: list[float]) -> Connector:
        return scenario.connector(waits.append)

    @pytest.fixture
    def runner(self, store: Store, config: Config) -> Runner:
        return Runner(store, config)

    def test_first_sync_stores_the_expected_figures(self, scenario, connector, runner, store):
        assert runner.run(connector).status == "ok"
        assert figures_of(store, scenario.expected) == scenario.expected.figures

    def test_second_sync_over_the_same_data_changes_nothing(self, scenario, connector, runner, store):
        runner.run(connector)
        version = store.data_version()
        runner.run(connector)
        backfill = runner.run(connector, since=scenario.start)
        assert backfill.pages == scenario.expected.pages
        assert store.data_version() == version

    def test_empty_page_is_read_like_any_other(self, scenario, connector, runner, store):
        records = [page.records for page in connector.fetch(None)]
        assert 0 in records and len(records) == scenario.expected.pages
        runner.run(connector)
        assert figures_of(store, scenario.expected) == scenario.expected.figures

    def test_malformed_record_is_skipped_with_its_reason(self, scenario, connector, runner):
        report = runner.run(connector)
        assert report.status == "ok" and scenario.expected.skipped
        assert [(s.record_id, s.reason) for s in report.skipped] == list(scenario.expected.skipped)

    def test_rate_limited_request_waits_as_long_as_retry_after_says(
        self, scenario, connector, runner, store, waits
    ):
        scenario.inject(scenario.rate_limited(RETRY_AFTER_SECONDS))
        assert runner.run(connector).status == "ok"
        assert float(RETRY_AFTER_SECONDS) in waits
        assert figures_of(store, scenario.expected) == scenario.expected.figures

    def test_server_error_is_retried_until_it_succeeds(self, scenario, connector, runner, store):
        scenario.inject(scenario.server_error(), scenario.server_error())
        assert runner.run(connector).status == "ok"
        assert figures_of(store, scenario.expected) == scenario.expected.figures

    def test_expired_token_stops_the_connector_with_a_clear_error(self, scenario, connector, runner, store):
        refusal = scenario.auth_error("token expired")
        scenario.refuse_first(refusal)
        report = runner.run(connector)
        assert report.status == "auth_failed"
        assert f"refused the credentials (HTTP {refusal.status}" in report.error
        assert "token expired" in report.error and scenario.secret not in report.error
        assert sync_state_for(store).cursor(connector.name) is None

    def test_auth_error_never_shows_the_token(self, scenario, connector, runner, store):
        scenario.refuse_first(scenario.auth_error(f"invalid token {scenario.secret}"))
        runner.run(connector)
        health = sync_state_for(store).health()[connector.name]
        assert scenario.secret not in health["last_error"] and "***" in health["last_error"]

    def test_failed_run_resumes_from_the_last_stored_page(self, scenario, connector, runner, store):
        scenario.inject(*[scenario.server_error()] * connector.options.retry_attempts)
        assert runner.run(connector).status == "error"
        resumed_from = sync_state_for(store).cursor(connector.name)
        report = runner.run(connector)
        assert report.status == "ok"
        if resumed_from is not None:
            assert report.pages < scenario.expected.pages
        assert figures_of(store, scenario.expected) == scenario.expected.figures

    def test_crash_between_storing_a_page_and_saving_its_cursor_rereads_the_page(
        self, scenario, connector, config, store
    ):
        state = sync_state_for(store)
        crashing = CrashOnSave(state, scenario.expected.pages)
        with pytest.raises(Crash):
            Runner(store, config, crashing).run(connector)
        assert state.cursor(connector.name) == crashing.saved
        Runner(store, config).run(connector)
        assert figures_of(store, scenario.expected) == scenario.expected.figures
