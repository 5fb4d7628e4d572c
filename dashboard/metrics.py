"""Prometheus metrics at ``GET /metrics``: the only module that imports prometheus_client.

Request latency by route class (kiosk poll, manage, api, other), ingest counts by outcome, Redis
errors, the circuit breaker's state and cache hits are counted in the process; kpi reports the last four
through the thin hook `kpi.model.telemetry`, so kpi never imports Prometheus. Connector lag and last
success are read from the store's sync state at each scrape (the sync workers write them to Redis).

Under gunicorn (``wallboard serve``, the image) the workers share ``PROMETHEUS_MULTIPROC_DIR`` and a
scrape of any worker answers for all of them (prometheus_client's multiprocess mode; the gunicorn config
sets the directory up and marks exited workers dead). Without the variable, one process counts alone.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric

from dashboard.context import get_context
from dashboard.services.kiosk.wire import POLL_PATH as KIOSK_POLL_PATH
from kpi.model import telemetry
from kpi.store import Store, StoreUnavailable
from kpi.store.sync_state import sync_state_for

METRICS_PATH = "/metrics"
CALLBACK_PATH = "/_dash-update-component"
ROUTE_CLASSES = ("kiosk poll", "manage", "api", "other")
BREAKER_STATES = ("closed", "open", "half-open")

REQUEST_SECONDS = Histogram(
    "wallboard_request_seconds",
    "Seconds to answer an HTTP request, by route class",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0),
)
REQUESTS = Counter("wallboard_requests_total", "HTTP requests answered", ["route", "status"])
INGEST = Counter("wallboard_ingest_events_total", "Events ingested, by outcome", ["outcome"])
REDIS_ERRORS = Counter(
    "wallboard_redis_errors_total",
    "Redis commands that failed (timeout, connection) or were refused by the open breaker",
    ["kind"],
)
BREAKER = Gauge(
    "wallboard_redis_breaker_state",
    "Web workers whose Redis circuit breaker is in each state",
    ["state"],
    multiprocess_mode="livesum",
)
CACHE = Counter("wallboard_cache_requests_total", "Cache look-ups, by cache and result", ["cache", "result"])


def install(server: Flask) -> None:
    """Time every request of `server` by route class, count kpi's telemetry, and serve ``/metrics``."""
    telemetry.subscribe(_on_telemetry)
    _set_breaker("closed")
    server.before_request_funcs.setdefault(None, []).insert(0, _start_timer)
    server.after_request(_observe)
    server.add_url_rule(METRICS_PATH, "metrics", _scrape)


def route_class(path: str, method: str, body: Any) -> str:
    """Which class of route a request belongs to (a Dash callback by the component it updates)."""
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/manage"):
        return "manage"
    if path.startswith(KIOSK_POLL_PATH):
        return "kiosk poll"
    if path == CALLBACK_PATH and method == "POST" and isinstance(body, dict):
        if "manage-" in str(body.get("output", "")):
            return "manage"
    return "other"


def _start_timer() -> None:
    g.metrics_started = time.perf_counter()


def _observe(response: Response) -> Response:
    started = g.pop("metrics_started", None)
    if started is not None and request.path != METRICS_PATH:
        body = request.get_json(silent=True) if request.path == CALLBACK_PATH else None
        route = route_class(request.path, request.method, body)
        REQUEST_SECONDS.labels(route).observe(time.perf_counter() - started)
        REQUESTS.labels(route, f"{response.status_code // 100}xx").inc()
    return response


def _on_telemetry(event: str, fields: dict[str, Any]) -> None:
    if event == "ingest":
        for outcome, count in fields["outcomes"].items():
            if count:
                INGEST.labels(outcome).inc(count)
    elif event == "ingest_rejected":
        INGEST.labels("invalid").inc(fields["items"])
    elif event == "redis_error":
        REDIS_ERRORS.labels(fields["kind"]).inc()
    elif event == "breaker":
        _set_breaker(fields["state"])
    elif event == "cache":
        CACHE.labels(fields["cache"], "hit" if fields["hit"] else "miss").inc(fields.get("count", 1))


def _set_breaker(state: str) -> None:
    for each in BREAKER_STATES:
        BREAKER.labels(each).set(1 if each == state else 0)


def _scrape() -> Response:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(_Connectors(get_context().store))
    response = Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response


class _ThisProcess:
    """The default registry's series (this process alone, with its platform and GC collectors)."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


class _Connectors:
    """Each connector's lag and last success, read from the store's sync state at scrape time."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def collect(self) -> Iterator[Metric]:
        lag = GaugeMetricFamily(
            "wallboard_connector_lag_seconds",
            "Seconds between a connector's newest record and the end of its last run",
            labels=["connector"],
        )
        success = GaugeMetricFamily(
            "wallboard_connector_last_success_timestamp_seconds",
            "Unix time of a connector's last successful run",
            labels=["connector"],
        )
        try:
            health = sync_state_for(self.store).health()
        except StoreUnavailable:
            health = {}
        for name, fields in health.items():
            if fields.get("lag_seconds"):
                lag.add_metric([name], float(fields["lag_seconds"]))
            if fields.get("last_success_at"):
                success.add_metric([name], datetime.fromisoformat(fields["last_success_at"]).timestamp())
        yield lag
        yield success
