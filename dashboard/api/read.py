"""GET endpoints for integrations: the metrics, a leaderboard, and the service's health."""

from __future__ import annotations

import re

from flask import Blueprint, jsonify, request

from dashboard.api.auth import bearer_problem
from dashboard.context import get_context
from kpi.model.periods import PERIODS, BucketError, current_bucket, span_of
from kpi.read.rankings import ranking
from kpi.store.sync_state import sync_state_for

MAX_ROWS = 100


def register(blueprint: Blueprint) -> None:
    blueprint.add_url_rule("/metrics", "get_metrics", get_metrics)
    blueprint.add_url_rule("/leaderboard", "get_leaderboard", get_leaderboard)
    blueprint.add_url_rule("/health", "get_health", get_health)


def get_metrics():  # noqa: ANN201 - a Flask response
    context = get_context()
    problem = bearer_problem(context.settings.api_token, "WALLBOARD_API_TOKEN")
    if problem:
        return problem
    return jsonify(metrics=[m.public() for m in context.config.metrics.values()])


def _bad(field: str, reason: str):  # noqa: ANN202 - a Flask response tuple
    return jsonify(error=f"{field}: {reason}", field=field), 400


def get_leaderboard():  # noqa: ANN201 - a Flask response
    context = get_context()
    problem = bearer_problem(context.settings.api_token, "WALLBOARD_API_TOKEN")
    if problem:
        return problem
    config, args = context.config, request.args
    metric = args.get("metric", "")
    if metric not in config.metrics:
        return _bad("metric", f"unknown metric {metric!r}; known: {', '.join(sorted(config.metrics))}")
    period = args.get("period", "day")
    if period not in PERIODS:
        return _bad("period", f"use one of {', '.join(PERIODS)}")
    scope = args.get("scope", "agent")
    if scope not in ("agent", "team"):
        return _bad("scope", "use agent or team")
    bucket = args.get("bucket")
    if bucket is None:
        bucket = current_bucket(period, context.clock(), config.zone)
    try:
        span_of(period, bucket)
    except BucketError as exc:
        return _bad("bucket", str(exc))
    limit_text = args.get("limit", "10")
    if not re.fullmatch("[0-9]{1,4}", limit_text):
        return _bad("limit", "must be a whole number")
    limit = int(limit_text)
    if not 1 <= limit <= MAX_ROWS:
        return _bad("limit", f"must be from 1 to {MAX_ROWS}")
    rows = ranking(
        context.store, config, metric, period, bucket, scope, team=args.get("team") or None, limit=limit
    )
    return jsonify(
        metric=metric, period=period, bucket=bucket, scope=scope, rows=[row.public() for row in rows]
    )


def get_health():  # noqa: ANN201 - a Flask response
    context = get_context()
    up = context.store.ping()
    body = {"status": "ok" if up else "degraded", "store": {"kind": context.store.kind, "up": up}}
    if up:
        body["store"]["data_version"] = context.store.data_version()
        body["connectors"] = sync_state_for(context.store).health()
    return jsonify(body), 200 if up else 503
