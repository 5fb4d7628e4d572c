"""Callbacks of the manager pages, one module per page (and one for what they all start with)."""

from __future__ import annotations

import dash

from dashboard.callbacks.manage import agent, overview


def register(app: dash.Dash) -> None:
    """Wire the callbacks of ``/manage`` and of the agent page on `app`."""
    overview.register(app)
    agent.register(app)
