"""Callbacks of the manager pages: one module per tab of ``/manage``, one for the agent page."""

from __future__ import annotations

import dash

from dashboard.callbacks.manage import (
    agent,
    challenges,
    connectors,
    goals,
    overview,
    ranking,
    rules,
    satisfaction,
)


def register(app: dash.Dash) -> None:
    """Wire the callbacks of ``/manage`` and of the agent page on `app`."""
    for page in (overview, ranking, satisfaction, goals, rules, challenges, connectors, agent):
        page.register(app)
