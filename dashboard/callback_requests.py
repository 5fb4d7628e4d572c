"""Refuse malformed bodies to Dash's callback endpoint with a 400 instead of letting Dash fail with a 500.

Dash trusts the body of ``POST /_dash-update-component`` (its own renderer builds it), so a body that is
not an object, names no registered callback or carries inputs of the wrong shape or number raises deep in
Dash. The check here mirrors what the renderer sends; the values themselves stay the callbacks' business.
"""

from __future__ import annotations

from typing import Any

import dash
from flask import Response, jsonify, request
from pydantic import BaseModel, ConfigDict, ValidationError

CALLBACK_ENDPOINT = "_dash-update-component"


class _Prop(BaseModel):
    """One component property as the renderer sends it: which component, which property, its value."""

    model_config = ConfigDict(extra="allow")

    id: str | dict[str, Any]
    property: str


_Props = _Prop | list[_Prop]
"""One property, or the list a pattern-matching (ALL/ALLSMALLER) dependency expands to."""


class _CallbackBody(BaseModel):
    """The body of one callback request."""

    model_config = ConfigDict(extra="allow")

    output: str
    outputs: _Props | list[_Props]
    inputs: list[_Props]
    state: list[_Props] = []
    changedPropIds: list[str] = []  # noqa: N815 - Dash's own field name


def install(app: dash.Dash) -> None:
    """Check every callback request to `app` before Dash runs it (after Dash's own first-request setup,
    which registers the pages router callback)."""
    path = app.config.routes_pathname_prefix + CALLBACK_ENDPOINT

    def check_callback_body() -> tuple[Response, int] | None:
        if request.path != path or request.method != "POST":
            return None
        problem = body_problem(app, request.get_json(silent=True))
        return (jsonify(error=f"malformed callback request: {problem}"), 400) if problem else None

    app.server.before_request(check_callback_body)


def body_problem(app: dash.Dash, body: object) -> str | None:
    """What is wrong with a callback request body for `app`, or None when Dash can run it."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    try:
        parsed = _CallbackBody.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        return f"{'.'.join(str(part) for part in first['loc']) or '(body)'}: {first['msg']}"
    callback = app.callback_map.get(parsed.output)
    if callback is None:
        return f"no callback has the output {parsed.output!r}"
    declared_outputs = callback["output"] if isinstance(callback["output"], list) else [callback["output"]]
    outputs = parsed.outputs if isinstance(callback["output"], list) else [parsed.outputs]
    if not callback.get("no_output") and not _same_shape(
        [output.component_id_str() for output in declared_outputs], outputs
    ):
        return "the outputs do not match the callback's"
    if not _same_shape([d["id"] for d in callback["inputs"]], parsed.inputs):
        return "the inputs do not match the callback's"
    if not _same_shape([d["id"] for d in callback["state"]], parsed.state):
        return "the state does not match the callback's"
    return None


def _same_shape(declared_ids: list[str], given: object) -> bool:
    """As many dependencies as declared, each a list exactly where the declared id has an ALL wildcard."""
    if not isinstance(given, list) or len(given) != len(declared_ids):
        return False
    return all(
        isinstance(item, list) == _expands(component_id) for component_id, item in zip(declared_ids, given)
    )


def _expands(component_id: str) -> bool:
    """Whether a dependency with this (stringified) id arrives as a list: ALL and ALLSMALLER do."""
    return component_id.startswith("{") and ('["ALL"]' in component_id or '["ALLSMALLER"]' in component_id)
