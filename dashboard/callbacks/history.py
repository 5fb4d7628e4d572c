"""Hide the "Loading history…" notice once the store's history is in."""

from __future__ import annotations

import dash
from dash import Input, Output

from dashboard import ids
from dashboard.context import get_context
from kpi.store.history_state import history_loading


def register(app: dash.Dash) -> None:
    """Wire the notice's check on `app`."""
    app.callback(
        Output(ids.HISTORY_NOTICE, "hidden"),
        Output(ids.HISTORY_TICK, "disabled"),
        Input(ids.HISTORY_TICK, "n_intervals"),
        prevent_initial_call=True,
    )(check_history)


def check_history(_ticks: int | None) -> tuple[bool, bool]:
    """Hidden and no more checks once loaded; shown and checking while loading."""
    loading = history_loading(get_context().store)
    return not loading, not loading
