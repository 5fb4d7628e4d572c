"""GET endpoints of the game: one agent's achievements and the badge catalogue (read token)."""

from __future__ import annotations

from flask import Blueprint, jsonify

from dashboard.api.auth import bearer_problem
from dashboard.api.game_models import AgentAchievements, BadgeCatalogue, BadgeInfo
from dashboard.context import get_context
from dashboard.services.me_badges import BADGE_ICONS
from kpi.read.agent_summary import known_agent, summary


def register(blueprint: Blueprint) -> None:
    blueprint.add_url_rule(
        "/agents/<agent_id>/achievements", "get_agent_achievements", get_agent_achievements
    )
    blueprint.add_url_rule("/badges", "get_badges", get_badges)


def get_agent_achievements(agent_id: str):  # noqa: ANN201 - a Flask response
    """The agent's points, level and badges: the figures `/me` shows (test badges left out)."""
    context = get_context()
    problem = bearer_problem(context.settings.api_token, "WALLBOARD_API_TOKEN")
    if problem:
        return problem
    if not known_agent(context.store, agent_id):
        return jsonify(error=f"unknown agent {agent_id[:128]!r}"), 404
    found = summary(context.store, context.config, agent_id, context.clock())
    return jsonify(AgentAchievements.model_validate(found.public()).model_dump(mode="json"))


def get_badges():  # noqa: ANN201 - a Flask response
    """Every badge that is not in test mode, in config order."""
    context = get_context()
    problem = bearer_problem(context.settings.api_token, "WALLBOARD_API_TOKEN")
    if problem:
        return problem
    badges = [
        BadgeInfo(
            id=b.id, name=b.name, criterion=b.criterion, group=b.group, icon=BADGE_ICONS + b.icon, kind=b.kind
        )
        for b in context.config.achievements.values()
        if not b.test
    ]
    return jsonify(BadgeCatalogue(badges=badges).model_dump(mode="json"))
