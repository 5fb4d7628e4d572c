"""Every request gives up on Redis within a deadline, and answers 503 (with Retry-After) when it did.

The store of the web app refuses at once while its circuit breaker knows Redis is down, and each
request's Redis reads end by `REQUEST_DEADLINE` (see `kpi.store.breaker`), so a hung Redis costs a
request at most about that long. Kiosk polls catch the store's failure themselves: the TV keeps its
last data and shows the amber status.
"""

from __future__ import annotations

import math

from flask import Flask, Response, g, jsonify

from kpi.store import Store, StoreUnavailable, retry_after_seconds
from kpi.store.breaker import end_deadline, start_deadline

REQUEST_DEADLINE = 1.5
"""Seconds a request may spend waiting for Redis, all its commands together."""


def install(server: Flask, store: Store) -> None:
    """Give every request of `server` a Redis deadline, and turn "store unavailable" into a 503."""

    def start() -> None:
        g.redis_deadline = start_deadline(REQUEST_DEADLINE)

    def end(_exc: BaseException | None) -> None:
        token = g.pop("redis_deadline", None)
        if token is not None:
            end_deadline(token)

    def store_down(exc: StoreUnavailable) -> tuple[Response, int]:
        response = jsonify(error=f"the store is unavailable; retry: {exc}")
        response.headers["Retry-After"] = str(max(1, math.ceil(retry_after_seconds(store))))
        return response, 503

    server.before_request_funcs.setdefault(None, []).insert(0, start)
    server.teardown_request(end)
    server.register_error_handler(StoreUnavailable, store_down)
