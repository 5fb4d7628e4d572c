"""POST /api/v1/events: one event, a JSON array, NDJSON or CSV; all-or-nothing per batch."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from dashboard.api.auth import bearer_problem
from dashboard.context import get_context
from kpi.ingest.pipeline import decode_csv, decode_json, decode_ndjson, ingest
from kpi.model.events import BatchRejected, EventError

DECODERS = {
    "application/json": decode_json,
    "application/x-ndjson": decode_ndjson,
    "application/ndjson": decode_ndjson,
    "text/csv": decode_csv,
}


def register(blueprint: Blueprint) -> None:
    blueprint.add_url_rule("/events", "post_events", post_events, methods=["POST"])


def post_events():  # noqa: ANN201 - a Flask response
    context = get_context()
    problem = bearer_problem(context.settings.ingest_token, "WALLBOARD_INGEST_TOKEN")
    if problem:
        return problem
    limits = context.config.api
    decoder = DECODERS.get(request.mimetype)
    if decoder is None:
        return jsonify(
            error=f"unsupported Content-Type {request.mimetype or '(none)'!r}; "
            f"use one of {', '.join(DECODERS)}"
        ), 415
    request.max_content_length = limits.max_body_bytes
    try:
        text = request.get_data(cache=False).decode("utf-8")
    except UnicodeDecodeError:
        return _rejected([EventError(index=0, field="(body)", reason="the body is not UTF-8 text")])
    try:
        items = decoder(text)
        if len(items) > limits.max_batch:
            return jsonify(
                error=f"a batch may hold at most {limits.max_batch} events; "
                f"this one holds {len(items)}: split it"
            ), 413
        if not items:
            return _rejected([EventError(index=0, field="(body)", reason="the batch is empty")])
        result = ingest(context.store, context.config, items)
    except BatchRejected as exc:
        return _rejected(exc.errors)
    return jsonify(result.public()), 200


def _rejected(errors: list[EventError]):  # noqa: ANN202 - a Flask response tuple
    return jsonify(error="invalid batch: nothing was written", errors=[e.model_dump() for e in errors]), 400
