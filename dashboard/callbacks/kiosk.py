"""Kiosk wiring: a cheap GET poll for changed data and celebrations, and clientside rotation.

The TV's `kiosk.js` fetches ``/_kiosk/poll/<screen>`` with the display key and what it has seen in a short
query (no body), and applies the compact JSON answer with ``dash_clientside.set_props``. Who and how many
are shown is decided on the server from the config every time. The answer's keys: ``p`` the pulse (always),
``s`` what changed in the seen state, ``b`` changed view bodies by index (whole, or a Dash patch of what the
TV has; only the views on screen or next, `poll.views_due`), ``c`` and ``o`` a celebration and its overlay,
``r`` a reload order (a signature, or ``locked``).
"""

from __future__ import annotations

import time
from typing import Any, Mapping, Sequence

import dash
from dash import ALL, ClientsideFunction, Input, Output, State
from flask import Response, request

from dashboard import ids
from dashboard.context import get_context
from dashboard.layouts.kiosk.views import celebration, render
from dashboard.services.kiosk.access import signature
from dashboard.services.kiosk.answers import BodiesKey, answers
from dashboard.services.kiosk.poll import (
    due_on,
    held_back,
    must_reload,
    next_celebration,
    pulse,
    views_to_send,
)
from dashboard.services.kiosk.screen_data import Reader, changes_since
from dashboard.services.kiosk.seen import Seen
from dashboard.services.kiosk.stream import STREAM_ENDPOINT, STREAM_PATH, Tv, once, stream_response
from dashboard.services.kiosk.view_cache import ScreenViews, draw_bodies, screen_parts, screen_views
from dashboard.services.kiosk.wire import POLL_ENDPOINT, POLL_PATH, body_memory, plain, trim_headers
from kpi.config.screens import View
from kpi.read.kiosk_views import ViewData
from kpi.store.base import StoreUnavailable

LOCKED = "locked"


def register(app: dash.Dash) -> None:
    """Wire the kiosk page's poll route and clientside callbacks on `app`."""
    app.server.add_url_rule(
        app.config.routes_pathname_prefix + POLL_PATH[1:] + "<screen>",
        POLL_ENDPOINT,
        _poll_route,
        methods=["GET"],
    )
    app.server.add_url_rule(
        app.config.routes_pathname_prefix + STREAM_PATH[1:] + "<name>",
        STREAM_ENDPOINT,
        _stream_route,
        methods=["GET"],
    )
    app.server.after_request_funcs.setdefault(None, []).insert(0, trim_headers)
    app.clientside_callback(
        ClientsideFunction("kiosk", "poll"),
        Output(ids.KIOSK_POLL, "id"),
        Input(ids.KIOSK_POLL, "n_intervals"),
        State(ids.KIOSK_META, "data"),
        State(ids.KIOSK_SEEN, "data"),
        prevent_initial_call=True,
    )
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
        State(ids.KIOSK_SEEN, "data"),
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


def _poll_route(screen: str) -> Response:
    return answers().response(poll(screen, request.args))


def _stream_route(name: str) -> Response:
    """The TV's stream of the poll's answers (`dashboard.services.kiosk.stream`)."""
    context = get_context()
    screen = context.config.screens.get(name)
    if screen is None or not screen.key_matches(request.args.get("key")):
        return once(answers().text(poll(name, request.args)))
    views = screen.views_at(context.clock().astimezone(context.config.zone))
    tv = Tv(name, dict(request.args), screen.refresh_seconds)
    return stream_response(
        tv,
        context.store,
        screen_parts(context.config, views),
        context.config.celebrations.max_age_seconds,
        lambda args, reader: poll(name, args, reader),
        "gzip" in request.headers.get("Accept-Encoding", ""),
    )


def poll(name: str, args: Mapping[str, str], reader: Reader | None = None) -> dict[str, Any]:
    """Send views again only when their data changed, a new celebration, or a reload order.

    An unchanged poll costs one Redis round trip (`kpi.store.poll_read`), and answers with a few bytes (the
    pulse) that tell the TV the server is reachable. A changed one is answered from this worker's memos
    when a TV in the same state asked before (`view_cache`, `answers`). A stream's answers are the same,
    read through its worker's watcher (`reader`) instead of a round trip each.
    """
    context = get_context()
    seen = Seen.from_query(args)
    screen = context.config.screens.get(name)
    if screen is None or not screen.key_matches(args.get("key")):
        return {"p": pulse(False, time.time()), "r": LOCKED}
    now = context.clock()
    local = now.astimezone(context.config.zone)
    current = signature(screen, local)
    views = screen.views_at(local)
    if must_reload(seen, current, len(views), _count(args.get("n"))):
        return {"p": pulse(True, time.time()), "r": current}
    shared = screen_views(context.cache, name, current)
    try:
        changes = changes_since(context.store, context.config, screen, views, seen, now, shared, reader)
    except StoreUnavailable:
        return {"p": pulse(False, time.time())}
    answer: dict[str, Any] = {"p": pulse(True, time.time(), changes.sources)}
    if changes.datas is None and not changes.fresh:
        return answer
    digests, version = seen.digests, changes.version
    if changes.datas is not None:
        send = views_to_send(seen.digests, changes.digests, due_on(screen, views, args.get("w")))
        digests = held_back(seen.digests, changes.digests, send)
        key = BodiesKey((current, seen.digests, digests))
        bodies = answers().sent(
            key, lambda: _bodies(shared, current, views, changes.datas, send, seen.digests, digests)
        )
        if bodies:
            answer["b"] = bodies
        version = changes.version if digests == changes.digests else seen.version
    seconds = context.config.celebrations.show_seconds
    turn = next_celebration(
        changes.fresh, seen, now.timestamp(), seconds, context.config.agents, screen.name_style
    )
    if turn.show is not None:
        answer["c"] = {"id": turn.latest, "seconds": seconds}
        answer["o"] = plain(celebration(turn.show))
    now_seen = Seen(version, current, turn.latest, turn.shown_at, digests)
    if now_seen != seen:
        answer["s"] = now_seen.changes_from(seen)
    return answer


def _bodies(
    shared: ScreenViews | None,
    sig: str,
    views: list[View],
    datas: list[ViewData],
    send: Sequence[bool],
    known: Sequence[str],
    digests: Sequence[str],
) -> dict[str, Any]:
    """The views marked in `send`, by index: each a patch of the body the TV has when that is smaller.

    A body is rendered once per fingerprint (shared by every worker through the view cache, and kept per
    process as plain JSON), a patch computed once per pair of fingerprints and process.
    """
    memory = body_memory()
    bodies = {i: memory.get(sig, i, digests[i]) for i, again in enumerate(send) if again}
    missing = [i in bodies and bodies[i] is None for i in range(len(send))]
    drawn = draw_bodies(shared, digests, missing, lambda i: plain(render(views[i], datas[i])))
    for index, body in enumerate(drawn):
        if body is not None:
            bodies[index] = body
            memory.put(sig, index, digests[index], body)
    answer = {}
    for index, body in bodies.items():
        had = known[index] if index < len(known) else None
        answer[str(index)] = memory.delta(sig, index, had, digests[index], body)
    return answer


def _count(value: str | None) -> int:
    try:
        return int(value) if value is not None else -1
    except ValueError:
        return -1
