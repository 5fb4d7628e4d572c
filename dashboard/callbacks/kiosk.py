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
from dashboard.layouts.kiosk.page import digest, views_data
from dashboard.layouts.kiosk.views import celebration, render
from dashboard.services.kiosk.access import signature
from kpi.config.screens import View
from kpi.read.celebrations import for_screen
from kpi.read.freshness import Freshness, freshness
from kpi.read.kiosk_views import ViewData
from kpi.store.base import StoreUnavailable
from kpi.store.celebration_feed import START, feed_for
from kpi.store.sync_state import sync_state_for

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


def poll(_ticks: int | None, meta: dict[str, Any] | None, seen: dict[str, Any] | None) -> tuple:
    """Send the views again only when the data changed, a new celebration, or a reload order.

    An unchanged poll costs one version read and one stream read, and answers with a few bytes (the pulse)
    that tell the TV the server is reachable.
    """
    context = get_context()
    meta, seen = meta or {}, seen or {}
    outputs = dash.callback_context.outputs_list
    keep_views = [no_update] * len(outputs[2])
    nothing = (no_update, keep_views, no_update, no_update)
    screen = context.config.screens.get(str(meta.get("screen", "")))
    if screen is None or not screen.key_matches(meta.get("key")):
        return (_pulse(False), *nothing, LOCKED)
    now = context.clock()
    local = now.astimezone(context.config.zone)
    current = signature(screen, local)
    views = screen.views_at(local)
    if current != seen.get("sig") or len(views) != len(keep_views):
        return (_pulse(True), *nothing, current)
    try:
        sources = freshness(
            context.config.connectors, sync_state_for(context.store).health(), now, screen.stale_seconds
        )
        version = context.store.data_version()
        fresh = feed_for(context.store).since(
            str(seen.get("c") or START), max_age_seconds=context.config.celebrations.max_age_seconds
        )
        datas = views_data(context, screen, views, now) if version != seen.get("v") else None
    except StoreUnavailable:
        return (_pulse(False), *nothing, no_update)
    if datas is None and not fresh:
        return (_pulse(True, sources), *nothing, no_update)
    digests, bodies = seen.get("d"), keep_views
    if datas is not None:
        digests, bodies = _changed_views(views, datas, seen.get("d"))
    latest, shown_at = seen.get("c") or START, seen.get("ct") or 0
    show, overlay = no_update, no_update
    seconds = context.config.celebrations.show_seconds
    if fresh and now.timestamp() - shown_at >= seconds:
        # One celebration at a time, oldest first: the next waits until this one has had its seconds.
        for entry_id, item in fresh:
            latest = entry_id
            shown = for_screen([item], context.config.agents, screen.anonymize)
            if shown is not None:
                show, overlay, shown_at = (
                    {"id": latest, "seconds": seconds},
                    celebration(shown),
                    now.timestamp(),
                )
                break
    return (
        _pulse(True, sources),
        {"v": version, "sig": current, "c": latest, "ct": shown_at, "d": digests},
        bodies,
        show,
        overlay,
        no_update,
    )


def _changed_views(views: list[View], datas: list[ViewData], known: Any) -> tuple[list[str], list[Any]]:
    """New fingerprints, and a body for each view whose fingerprint differs from what the TV has."""
    known = known if isinstance(known, list) else []
    digests = [digest(data) for data in datas]
    bodies = [
        render(view, data) if index >= len(known) or known[index] != fingerprint else no_update
        for index, (view, data, fingerprint) in enumerate(zip(views, datas, digests))
    ]
    return digests, bodies


def _pulse(ok: bool, sources: Freshness | None = None) -> dict[str, Any]:
    """What the TV needs to show its status: the server answered, the store too, and which sources lag."""
    pulse: dict[str, Any] = {"t": int(time.time()), "ok": ok}
    if sources is not None and sources.behind:
        pulse["behind"] = list(sources.behind)
        pulse["asof"] = int(sources.oldest.timestamp()) if sources.oldest else None
    return pulse
