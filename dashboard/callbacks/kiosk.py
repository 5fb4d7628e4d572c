"""Kiosk wiring: a cheap server poll for changed data and celebrations, and clientside rotation.

The poll takes only the screen's name, the display key and what the TV has seen from the browser; who
and how many are shown is decided on the server from the config every time.
"""

from __future__ import annotations

import time
from typing import Any

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, no_update

from dashboard import ids
from dashboard.context import get_context
from dashboard.layouts.kiosk.views import celebration, render
from dashboard.services.kiosk.access import signature
from dashboard.services.kiosk.poll import must_reload, next_celebration, pulse, views_to_send
from dashboard.services.kiosk.screen_data import changes_since
from dashboard.services.kiosk.seen import Seen
from dashboard.services.kiosk.view_cache import draw_bodies, screen_views
from kpi.store.base import StoreUnavailable

LOCKED = "locked"


def register(app: dash.Dash) -> None:
    """Wire the kiosk page's callbacks on `app`."""
    app.callback(
        Output(ids.KIOSK_PULSE, "data"),
        Output(ids.KIOSK_SEEN, "data"),
        Output({"type": ids.KIOSK_VIEW_BODY, "index": ALL}, "children"),
        Output(ids.KIOSK_CELEBRATION, "data"),
        Output(ids.KIOSK_OVERLAY_BODY, "children"),
        Output(ids.KIOSK_RELOAD, "data"),
        Input(ids.KIOSK_POLL, "n_intervals"),
        State(ids.KIOSK_META, "data"),
        State(ids.KIOSK_SEEN, "data"),
        prevent_initial_call=True,
    )(poll)
    app.clientside_callback(
        ClientsideFunction("kiosk", "tick"),
        Output({"type": ids.KIOSK_VIEW, "index": ALL}, "className"),
        Output(ids.KIOSK_PROGRESS, "style"),
        Output(ids.KIOSK_CLOCK, "children"),
        Output(ids.KIOSK_STATUS, "children"),
        Output(ids.KIOSK_STATUS, "className"),
        Output(ids.KIOSK_OVERLAY, "className"),
        Input(ids.KIOSK_TICK, "n_intervals"),
        Input(ids.KIOSK_PULSE, "data"),
        Input(ids.KIOSK_CELEBRATION, "data"),
        State(ids.KIOSK_META, "data"),
    )
    app.clientside_callback(
        ClientsideFunction("kiosk", "reload"),
        Output(ids.KIOSK_RELOAD, "id"),
        Input(ids.KIOSK_RELOAD, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("kiosk", "retry"),
        Output(ids.KIOSK_LOCKED_TICK, "id"),
        Input(ids.KIOSK_LOCKED_TICK, "n_intervals"),
        prevent_initial_call=True,
    )


def poll(_ticks: int | None, meta: dict[str, Any] | None, sent: dict[str, Any] | None) -> tuple:
    """Send the views again only when the data changed, a new celebration, or a reload order.

    An unchanged poll costs one version read and one stream read, and answers with a few bytes (the pulse)
    that tell the TV the server is reachable.
    """
    context = get_context()
    meta, seen = meta or {}, Seen.from_store(sent)
    keep_views = [no_update] * len(dash.callback_context.outputs_list[2])
    nothing = (no_update, keep_views, no_update, no_update)
    screen = context.config.screens.get(str(meta.get("screen", "")))
    if screen is None or not screen.key_matches(meta.get("key")):
        return (pulse(False, time.time()), *nothing, LOCKED)
    now = context.clock()
    local = now.astimezone(context.config.zone)
    current = signature(screen, local)
    views = screen.views_at(local)
    if must_reload(seen, current, len(views), len(keep_views)):
        return (pulse(True, time.time()), *nothing, current)
    shared = screen_views(context.cache, str(meta.get("screen")), current)
    try:
        changes = changes_since(context.store, context.config, screen, views, seen, now, shared)
    except StoreUnavailable:
        return (pulse(False, time.time()), *nothing, no_update)
    status = pulse(True, time.time(), changes.sources)
    if changes.datas is None and not changes.fresh:
        return (status, *nothing, no_update)
    digests, bodies = seen.digests, keep_views
    if changes.datas is not None:
        digests, datas = changes.digests, changes.datas
        send = views_to_send(seen.digests, digests)
        drawn = draw_bodies(shared, digests, send, lambda i: render(views[i], datas[i]))
        bodies = [no_update if body is None else body for body in drawn]
    seconds = context.config.celebrations.show_seconds
    turn = next_celebration(
        changes.fresh, seen, now.timestamp(), seconds, context.config.agents, screen.name_style
    )
    show, overlay = no_update, no_update
    if turn.show is not None:
        show, overlay = {"id": turn.latest, "seconds": seconds}, celebration(turn.show)
    seen = Seen(changes.version, current, turn.latest, turn.shown_at, digests)
    return (status, seen.to_store(), bodies, show, overlay, no_update)
