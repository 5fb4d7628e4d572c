"""GET /api/v1/challenges and /api/v1/challenges/<id>: instances, status, full standings, fixed winners.

The read token guards both, as for the leaderboard. Test-mode challenges appear only with
``?include_test=true``. The response shapes are pydantic models; the OpenAPI document is generated from them.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from flask import Blueprint, jsonify, request
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from dashboard.api.auth import bearer_problem
from dashboard.context import get_context
from kpi.game.challenge_calendar import RECENT_DAYS, current_or_latest, find_instance
from kpi.game.challenges import Challenge
from kpi.read.challenge_views import ChallengeState, challenge_detail, challenge_states

REF = "#/components/schemas/{model}"


class ChallengeEntry(BaseModel):
    """One participant (an agent, or a team in a team race); rank 0 takes no place yet."""

    rank: int
    id: str
    name: str
    team: str | None
    score: float | None
    value: float | None
    count: int
    baseline: float | None
    target: float | None
    members: int | None
    note: str


class ChallengeProgress(BaseModel):
    """A collaborative challenge's figure against its target, with pace for running totals."""

    value: float | None
    target: float
    fraction: float | None
    expected: float | None
    status: str


class ChallengeInstance(BaseModel):
    """One run of a challenge and its status."""

    id: str
    challenge_id: str
    title: str
    kind: str
    metric: str
    prize: str
    test: bool
    recurring: str | None
    first_day: str
    last_day: str
    starts_at: str
    ends_at: str
    status: Literal["upcoming", "active", "settling", "final"]
    fixed_at: str | None


class ChallengeList(BaseModel):
    """Running, upcoming and recently ended challenge instances."""

    challenges: list[ChallengeInstance]


class ChallengeDetail(ChallengeInstance):
    """One instance in full: definition, full standings (the fixed ones once fixed), winners once fixed."""

    definition: Challenge
    scope: Literal["agent", "team"]
    score_unit: Literal["value", "percent", "points"]
    standings: list[ChallengeEntry]
    progress: ChallengeProgress | None
    winners: list[ChallengeEntry]


def register(blueprint: Blueprint) -> None:
    blueprint.add_url_rule("/challenges", "get_challenges", get_challenges)
    blueprint.add_url_rule("/challenges/<instance_id>", "get_challenge", get_challenge)


def _include_test() -> bool | None:
    """The ``include_test`` flag: ``true`` or ``false`` (the default); None for anything else."""
    return {"true": True, "false": False}.get(request.args.get("include_test", "false"))


def _bad_flag():  # noqa: ANN202 - a Flask response tuple
    return jsonify(error="include_test: use true or false", field="include_test"), 400


def _instance(state: ChallengeState) -> dict[str, Any]:
    return ChallengeInstance(**state.public()).model_dump(mode="json")


def get_challenges():  # noqa: ANN201 - a Flask response
    context = get_context()
    problem = bearer_problem(context.settings.api_token, "WALLBOARD_API_TOKEN")
    if problem:
        return problem
    include_test = _include_test()
    if include_test is None:
        return _bad_flag()
    recent_text = request.args.get("recent_days", "7")
    recent = int(recent_text) if re.fullmatch("[0-9]{1,4}", recent_text) else -1
    if not 0 <= recent <= RECENT_DAYS:
        return jsonify(
            error=f"recent_days: must be a whole number from 0 to {RECENT_DAYS}", field="recent_days"
        ), 400
    states = challenge_states(
        context.store, context.config, context.clock(), include_test=include_test, recent_days=recent
    )
    return jsonify(ChallengeList(challenges=[_instance(s) for s in states]).model_dump(mode="json"))


def get_challenge(instance_id: str):  # noqa: ANN201 - a Flask response
    context = get_context()
    problem = bearer_problem(context.settings.api_token, "WALLBOARD_API_TOKEN")
    if problem:
        return problem
    include_test = _include_test()
    if include_test is None:
        return _bad_flag()
    config, now = context.config, context.clock()
    instance = find_instance(config.challenges, instance_id, config.zone)
    challenge = config.challenges.by_id(instance_id)
    if instance is None and challenge is not None and challenge.recurring is not None:
        instance = current_or_latest(challenge, now, config.zone)
    if instance is None or (instance.challenge.test and not include_test):
        return jsonify(error=f"no challenge {instance_id!r}", field="id"), 404
    detail = challenge_detail(context.store, config, instance, now)
    body = ChallengeDetail(
        **detail.state.public(),
        definition=instance.challenge,
        scope=detail.standings.scope,
        score_unit=detail.standings.score_unit,
        standings=[e.public() for e in detail.standings.entries],
        progress=detail.standings.progress.__dict__ if detail.standings.progress else None,
        winners=[e.public() for e in detail.winners],
    )
    return jsonify(body.model_dump(mode="json"))


def schemas() -> dict[str, Any]:
    """The response schemas, generated from the models above, for the OpenAPI document's components."""
    _, top = models_json_schema(
        [(ChallengeList, "serialization"), (ChallengeDetail, "serialization")], ref_template=REF
    )
    return top["$defs"]


def paths(denied: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI paths of the challenge endpoints (`denied`: the shared 401 and 403 responses)."""

    def answer(model: str, description: str) -> dict[str, Any]:
        schema = {"$ref": REF.format(model=model)}
        return {"description": description, "content": {"application/json": {"schema": schema}}}

    include_test = {
        "name": "include_test",
        "in": "query",
        "required": False,
        "schema": {"type": "boolean", "default": False},
        "description": "also list test-mode challenges (hidden trials)",
    }
    recent = {
        "name": "recent_days",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 0, "maximum": RECENT_DAYS, "default": 7},
        "description": "list instances that ended at most this many days ago",
    }
    return {
        "/api/v1/challenges": {
            "get": {
                "summary": "Running, upcoming and recently ended challenge instances with their status",
                "parameters": [include_test, recent],
                "responses": {
                    "200": answer("ChallengeList", "The instances"),
                    "400": answer("Error", "A bad parameter, named in `field`"),
                    **denied,
                    "503": answer("Error", "The store is unavailable"),
                },
            }
        },
        "/api/v1/challenges/{id}": {
            "get": {
                "summary": "One instance (<id> or <id>:<bucket>): definition, status, standings, winners",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                        "description": "an instance id such as weekly:2026-W48; a recurring challenge's id "
                        "alone names its running (else latest) instance",
                    },
                    include_test,
                ],
                "responses": {
                    "200": answer("ChallengeDetail", "The instance"),
                    "400": answer("Error", "A bad parameter, named in `field`"),
                    "404": answer("Error", "No such challenge (or a test one without include_test)"),
                    **denied,
                    "503": answer("Error", "The store is unavailable"),
                },
            }
        },
    }
