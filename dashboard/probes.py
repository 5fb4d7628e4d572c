"""Liveness and readiness probes for load balancers, orchestrators and the image's HEALTHCHECK.

``GET /healthz`` says the process answers HTTP and never touches Redis, so a Redis outage does not make
an orchestrator restart healthy web workers. ``GET /readyz`` says this instance can serve: its config is
loaded and the store answered within the request's Redis deadline (a 503 JSON otherwise, so a load
balancer sends no traffic to an instance that would only answer 503s). ``/api/v1/health`` stays the
integrations' richer view (data version, connectors).
"""

from __future__ import annotations

import time

from flask import Flask, Response, jsonify

from dashboard.context import get_context

HEALTHZ = "/healthz"
READYZ = "/readyz"


def install(server: Flask) -> None:
    """Add ``/healthz`` and ``/readyz`` to `server`."""
    server.add_url_rule(HEALTHZ, "healthz", healthz)
    server.add_url_rule(READYZ, "readyz", readyz)


def healthz() -> Response:
    """The process is up and answers; nothing else is asked."""
    response = jsonify(status="ok")
    response.headers["Cache-Control"] = "no-store"
    return response


def readyz() -> tuple[Response, int]:
    """Ready when the config is loaded and the store answers a ping within the request's deadline."""
    context = get_context()
    started = time.monotonic()
    up = context.store.ping()
    waited_ms = round((time.monotonic() - started) * 1000, 1)
    ready = up and context.config is not None
    body = {
        "status": "ready" if ready else "not ready",
        "config": {"loaded": context.config is not None, "metrics": len(context.config.metrics)},
        "store": {"kind": context.store.kind, "up": up, "ping_ms": waited_ms},
    }
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if ready else 503
