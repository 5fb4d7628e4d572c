"""The HTTP API under /api/v1: push events in, read rankings and metrics out."""

from __future__ import annotations

import math

from flask import Blueprint, Flask, jsonify
from werkzeug.exceptions import HTTPException

from dashboard.context import get_context
from kpi.store import retry_after_seconds
from kpi.store.base import StoreUnavailable


def register(server: Flask) -> None:
    """Mount the API blueprint on the app's Flask server."""
    from dashboard.api import challenges, game, ingest, openapi, read

    blueprint = Blueprint("api_v1", __name__, url_prefix="/api/v1")
    ingest.register(blueprint)
    read.register(blueprint)
    game.register(blueprint)
    challenges.register(blueprint)
    openapi.register(blueprint)
    blueprint.register_error_handler(HTTPException, _http_error)
    blueprint.register_error_handler(StoreUnavailable, _store_down)
    server.register_blueprint(blueprint)


def _http_error(exc: HTTPException):  # noqa: ANN202 - a Flask response tuple
    message = exc.description or exc.name
    if exc.code == 413:
        message = "the request body is too large for this endpoint (see api.max_body_bytes in the config)"
    return jsonify(error=message), exc.code


def _store_down(exc: StoreUnavailable):  # noqa: ANN202 - a Flask response tuple
    response = jsonify(
        error=f"the store is unavailable, nothing was changed by the failed step; "
        f"retry (writes are idempotent): {exc}"
    )
    response.headers["Retry-After"] = str(max(1, math.ceil(retry_after_seconds(get_context().store))))
    return response, 503
