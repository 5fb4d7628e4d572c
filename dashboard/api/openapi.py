"""GET /api/v1/openapi.json: the API described from the same pydantic models that validate it."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, jsonify, request
from pydantic.json_schema import models_json_schema

from dashboard.api import challenges
from dashboard.api.game_models import MODELS
from dashboard.context import get_context
from kpi.config import Config
from kpi.ingest.pipeline import known_types
from kpi.model.events import Event, EventError
from kpi.model.periods import PERIODS

_REF = "#/components/schemas/{model}"


def register(blueprint: Blueprint) -> None:
    blueprint.add_url_rule("/openapi.json", "get_openapi", lambda: jsonify(document(get_context().config)))
    blueprint.before_request(refuse_undocumented_parameters)


def refuse_undocumented_parameters() -> tuple[Response, int] | None:
    """400 for a query parameter the document does not list for this endpoint (a typo would be ignored)."""
    rule = request.url_rule
    if rule is None or not request.args:
        return None
    documented = _documented_query(get_context().config, rule.rule, request.method.lower())
    unknown = sorted(set(request.args) - documented)
    if not unknown:
        return None
    name = unknown[0][:64]
    return jsonify(error=f"{name}: not a parameter of this endpoint", field=name), 400


_QUERY_CACHE: dict[tuple[int, str, str], frozenset[str]] = {}


def _documented_query(config: Config, rule: str, method: str) -> frozenset[str]:
    key = (id(config), rule, method)
    if key not in _QUERY_CACHE:
        shape = re.sub(r"<[^>]+>", "{}", rule)
        paths = document(config)["paths"]
        path = next((p for p in paths if re.sub(r"\{[^}]+\}", "{}", p) == shape), "")
        operation = paths.get(path, {}).get(method, {})
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        _QUERY_CACHE[key] = frozenset(names)
    return _QUERY_CACHE[key]


def _error(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    properties: dict[str, Any] = {"error": {"type": "string"}, **(extra or {})}
    return {"type": "object", "required": ["error"], "properties": properties}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


BUCKET_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?|-W[0-9]{2}|-Q[1-4])?$"
"""Any period's bucket label; which one must match `period` (a rule between two parameters)."""


_SPACE = r"[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
"""Unicode White_Space, which pydantic strips from every text field of `Event` before checking it."""
_EDGE = r"[^\x00-\x20\x7f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_INNER = r"[^\x00-\x1f\x7f]"
_TEXT_FIELDS = {"id": (True, 256), "agent_id": (True, 256), "agent_name": (False, 256), "team": (True, 128)}
"""Text fields of `Event`: (must have a character, at most this many once stripped)."""


def _stripped(core: str) -> str:
    return f"^{_SPACE}*{core}{_SPACE}*$"


def _text_pattern(required: bool, longest: int) -> str:
    """Text that, stripped, has 1 (or 0) to `longest` characters and no control character."""
    core = f"{_EDGE}(?:{_INNER}{{0,{longest - 2}}}{_EDGE})?"
    return _stripped(core if required else f"(?:{core})?")


def _event_schema(config: Config) -> dict[str, Any]:
    """The Event model's schema, made as strict as its validators (and the configured event types)."""
    event = Event.model_json_schema(ref_template=_REF)
    properties = event["properties"]
    for name, (required, longest) in _TEXT_FIELDS.items():
        properties[name] = _with_text(properties[name], _text_pattern(required, longest))
    properties["source"] = _with_text(properties["source"], _stripped("[a-z0-9_-]{1,64}"))
    types = "|".join(re.escape(kind) for kind in sorted(known_types(config)))
    properties["type"] = _with_text(properties["type"], _stripped(f"(?:{types})"))
    for name in ("occurred_at", "updated_at"):
        properties[name] = _since_2000(properties[name])
    properties["value"] = {**properties["value"], "exclusiveMinimum": -1e11, "exclusiveMaximum": 1e11}
    event["allOf"] = [_score_rule(kind, rule) for kind, rule in SCORE_RULES.items()]
    return event


def _with_text(schema: dict[str, Any], pattern: str) -> dict[str, Any]:
    """`schema` (or its string branch) with `pattern` instead of any length or pattern limits."""
    text = {"type": "string", "pattern": pattern}
    if "anyOf" in schema:
        return {**schema, "anyOf": [text if s.get("type") == "string" else s for s in schema["anyOf"]]}
    kept = {k: v for k, v in schema.items() if k not in ("minLength", "maxLength", "pattern")}
    return {**kept, **text}


SCORE_RULES: dict[str, dict[str, Any]] = {
    "csat_rating": {"minimum": 1, "maximum": 5},
    "nps_response": {"minimum": 0, "maximum": 10, "multipleOf": 1},
    "call_handled": {"minimum": 0},
    "deal_won": {"minimum": 0},
    "ticket_solved": {"minimum": 0},
}
"""The values each built-in event type allows unless the event is deleted (as `Event` checks them)."""


def _score_rule(kind: str, rule: dict[str, Any]) -> dict[str, Any]:
    """`rule` for events of type `kind`, written with white space around it too (`Event` strips it)."""
    return {
        "if": {
            "properties": {"type": {"pattern": _stripped(re.escape(kind))}, "deleted": {"const": False}},
            "required": ["type"],
        },
        "then": {"properties": {"value": rule}},
    }


def _since_2000(schema: dict[str, Any]) -> dict[str, Any]:
    """A date-time in the year 2000 or later, with its offset (RFC 3339 requires one)."""
    text = {"type": "string", "format": "date-time", "pattern": "^[2-9][0-9]{3}-"}
    if "anyOf" in schema:
        return {**schema, "anyOf": [text if s.get("type") == "string" else s for s in schema["anyOf"]]}
    return {**schema, **text}


def _schemas(config: Config) -> dict[str, Any]:
    event = _event_schema(config)
    counts = {
        name: {"type": "integer", "minimum": 0}
        for name in ("received", "new", "updated", "unchanged", "retracted", "stale", "released")
    }
    row = {
        "type": "object",
        "required": ["rank", "id", "name", "team", "value", "count"],
        "properties": {
            "rank": {"type": "integer", "minimum": 1},
            "id": {"type": "string"},
            "name": {"type": "string"},
            "team": {"type": ["string", "null"]},
            "value": {"type": "number"},
            "count": {"type": "integer"},
        },
    }
    metric = {
        "type": "object",
        "required": ["name", "type", "aggregation", "label", "unit", "lower_is_better", "min_volume"],
        "properties": {
            "name": {"type": "string"},
            "type": {"type": "string"},
            "aggregation": {"enum": ["count", "sum", "mean", "nps"]},
            "label": {"type": "string"},
            "unit": {"type": "string"},
            "lower_is_better": {"type": "boolean"},
            "min_volume": {"type": "integer"},
        },
    }
    _, game = models_json_schema([(m, "serialization") for m in MODELS], ref_template=_REF)
    return {
        **game["$defs"],
        "Event": event,
        "EventError": EventError.model_json_schema(ref_template=_REF),
        "IngestResult": {"type": "object", "required": list(counts), "properties": counts},
        "Rejected": _error({"errors": {"type": "array", "items": {"$ref": _REF.format(model="EventError")}}}),
        "Error": _error({"field": {"type": "string"}}),
        "Row": row,
        "Leaderboard": {
            "type": "object",
            "required": ["metric", "period", "bucket", "scope", "rows"],
            "properties": {
                "metric": {"type": "string"},
                "period": {"enum": list(PERIODS)},
                "bucket": {"type": "string"},
                "scope": {"enum": ["agent", "team"]},
                "rows": {"type": "array", "items": {"$ref": _REF.format(model="Row")}},
            },
        },
        "Metric": metric,
        "Metrics": {
            "type": "object",
            "required": ["metrics"],
            "properties": {"metrics": {"type": "array", "items": {"$ref": _REF.format(model="Metric")}}},
        },
        **challenges.schemas(),
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _REF.format(model=name)}


def _query(name: str, schema: dict[str, Any], description: str, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": description}


def document(config: Config) -> dict[str, Any]:
    """The OpenAPI 3.1 document of /api/v1 for `config` (its metrics, event types and batch limit)."""
    denied = {
        "401": _json(_ref("Error"), "Missing or wrong bearer token"),
        "403": _json(_ref("Error"), "The endpoint is disabled: its token is not configured"),
    }
    batch = {
        "oneOf": [
            _ref("Event"),
            {"type": "array", "items": _ref("Event"), "minItems": 1, "maxItems": config.api.max_batch},
        ]
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Wallboard API", "version": "1"},
        "components": {
            "schemas": _schemas(config),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/events": {
                "post": {
                    "summary": "Upsert events; a batch is validated whole and written all-or-nothing",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": batch},
                            "application/x-ndjson": {
                                "schema": {"type": "string"},
                                "description": "one Event object per line",
                            },
                            "text/csv": {
                                "schema": {"type": "string"},
                                "description": "a header row of Event fields; attributes.X columns",
                            },
                        },
                    },
                    "responses": {
                        "200": _json(_ref("IngestResult"), "What each event did"),
                        "400": _json(
                            _ref("Rejected"),
                            "Invalid items, each with index, field and reason; nothing written",
                        ),
                        **denied,
                        "413": _json(_ref("Error"), "Body or batch larger than the configured limits"),
                        "415": _json(_ref("Error"), "Unsupported Content-Type"),
                        "503": _json(_ref("Error"), "The store is unavailable; retry"),
                    },
                }
            },
            "/api/v1/leaderboard": {
                "get": {
                    "summary": "A ranking; ties share a rank; members below min_volume are not ranked",
                    "parameters": [
                        _query(
                            "metric",
                            {"enum": sorted(config.metrics)},
                            "a configured metric name",
                            required=True,
                        ),
                        _query("period", {"enum": list(PERIODS), "default": "day"}, "the period"),
                        _query(
                            "bucket",
                            {"type": "string", "pattern": BUCKET_PATTERN},
                            "a bucket of `period`: 2026-11-24, 2026-W48, 2026-11, 2026-Q4 or 2026; "
                            "default: the current one",
                        ),
                        _query(
                            "scope", {"enum": ["agent", "team"], "default": "agent"}, "rank agents or teams"
                        ),
                        _query("team", {"type": "string"}, "only this team's agents"),
                        _query(
                            "limit",
                            {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
                            "rows at most",
                        ),
                    ],
                    "responses": {
                        "200": _json(_ref("Leaderboard"), "The ranking"),
                        "400": _json(_ref("Error"), "A bad parameter, named in `field`"),
                        **denied,
                        "503": _json(_ref("Error"), "The store is unavailable"),
                    },
                }
            },
            **challenges.paths(denied),
            "/api/v1/metrics": {
                "get": {
                    "summary": "The configured metrics",
                    "responses": {"200": _json(_ref("Metrics"), "Every metric"), **denied},
                }
            },
            "/api/v1/agents/{agent_id}/achievements": {
                "get": {
                    "summary": "One agent's points, level and badges (what their page /me shows)",
                    "parameters": [
                        {"name": "agent_id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": _json(_ref("AgentAchievements"), "The agent's game"),
                        "404": _json(_ref("Error"), "No event ever named this agent"),
                        **denied,
                        "503": _json(_ref("Error"), "The store is unavailable"),
                    },
                }
            },
            "/api/v1/badges": {
                "get": {
                    "summary": "The badge catalogue (badges in test mode left out)",
                    "responses": {"200": _json(_ref("BadgeCatalogue"), "Every badge"), **denied},
                }
            },
            "/api/v1/health": {
                "get": {
                    "summary": "Whether the store answers",
                    "security": [],
                    "responses": {"200": {"description": "Healthy"}, "503": {"description": "Store down"}},
                }
            },
            "/api/v1/openapi.json": {
                "get": {
                    "summary": "This document",
                    "security": [],
                    "responses": {"200": {"description": "The OpenAPI document"}},
                }
            },
        },
    }
