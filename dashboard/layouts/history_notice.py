"""The "Loading history…" notice every page shows while the store's history is still being written."""

from __future__ import annotations

from dash import dcc, html

from dashboard import ids

CHECK_MS = 2000
"""How often a page asks whether the history is in, while it is loading."""


def history_notice(loading: bool) -> html.Div:
    """The notice, shown when `loading`, and the timer that hides it once the history is in."""
    return html.Div(
        [
            html.Div(
                "Loading history… figures are partial until it is in",
                id=ids.HISTORY_NOTICE,
                className="wb-history-notice",
                role="status",
                hidden=not loading,
            ),
            dcc.Interval(id=ids.HISTORY_TICK, interval=CHECK_MS, disabled=not loading),
        ]
    )
