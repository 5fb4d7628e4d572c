"""Callbacks of `/me`: fill the page for the signed-in agent, and save their choices about the TVs."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.agent_auth import current_agent, form_token
from dashboard.context import get_context
from dashboard.layouts.me.sections import content, toast
from dashboard.services.me import me_page, new_awards, save_choices

SAVED = "Saved. The TVs follow at their next refresh."


def register(app: dash.Dash) -> None:
    """Wire the callbacks of `/me` on `app`."""
    app.callback(
        Output(ids.ME_CONTENT, "children"),
        Output(ids.ME_NAME, "children"),
        Output(ids.ME_HIDE, "value"),
        Output(ids.ME_QUIET, "value"),
        Output(ids.ME_CSRF, "value"),
        Output(ids.ME_TOAST, "children"),
        Input(ids.ME_TICK, "n_intervals"),
    )(render_me)
    app.callback(
        Output(ids.ME_SAVED, "children"),
        Input(ids.ME_HIDE, "value"),
        Input(ids.ME_QUIET, "value"),
        State(ids.ME_SAVED, "children"),
        prevent_initial_call=True,
    )(save_me)


def _agent() -> str:
    """The signed-in agent; otherwise no answer at all (HTTP 204)."""
    agent_id = current_agent()
    if agent_id is None:
        raise PreventUpdate
    return agent_id


def render_me(_tick: int | None) -> tuple[Any, ...]:
    """The agent's figures, their saved choices, the sign-out token and any new badges."""
    agent_id = _agent()
    context = get_context()
    now = context.clock()
    page = me_page(context.store, context.config, agent_id, now)
    on = ["on"]
    return (
        content(page),
        page.name,
        on if page.choices.hide_from_screens else [],
        [] if page.choices.celebrate_badges else on,
        form_token(),
        toast(new_awards(context.store, context.config, agent_id, now)),
    )


def save_me(hide: list[str] | None, quiet: list[str] | None, shown: str | None) -> str:
    """Keep the two switches' values as the agent's choices."""
    agent_id = _agent()
    if save_choices(get_context().store, agent_id, bool(hide), bool(quiet)):
        return SAVED
    if shown:
        return shown
    raise PreventUpdate
