"""The kiosk page: a full-screen frame around pre-rendered views that rotate in the browser."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import ids
from dashboard.context import get_context
from dashboard.layouts.kiosk.views import render
from dashboard.services.kiosk.access import signature
from dashboard.services.kiosk.screen_data import opening
from dashboard.services.kiosk.seen import Seen
from dashboard.services.kiosk.stream import STREAM_PATH, streams_on
from dashboard.services.kiosk.view_cache import screen_views
from dashboard.services.kiosk.wire import POLL_PATH, remember
from kpi.config import Config
from kpi.config.screens import Screen, View

TICK_MS = 250
LOCKED_RETRY_MS = 60_000


def layout(
    screen: str | None = None, key: str | None = None, view: str | None = None, **_query: str
) -> html.Div:
    """The page at ``/kiosk/<screen>``.

    ``?key=`` is the display key; ``?view=N`` pins one view instead of rotating (for setting a TV up).
    """
    context = get_context()
    found = context.config.screens.get(screen or "")
    if found is None:
        return _message("Screen not found", "This address does not name a configured screen.")
    if not found.key_matches(key):
        return _message(
            "Display key needed", "This screen needs a valid display key in its address (?key=…)."
        )
    now = context.clock()
    local = now.astimezone(context.config.zone)
    views = found.views_at(local)
    sig = signature(found, local)
    shared = screen_views(context.cache, screen or "", sig)
    opened = opening(context.store, context.config, found, views, now, shared)
    if opened is None:
        bodies, seen, store_up = [_waiting() for _ in views], Seen(-1, sig), False
    else:
        bodies = [render(each, data) for each, data in zip(views, opened.datas)]
        seen = Seen(opened.version, sig, opened.last_celebration, digests=opened.digests)
        remember(sig, opened.digests, bodies)
        store_up = True
    return frame(
        screen or "",
        key,
        found,
        views,
        bodies,
        config=context.config,
        pinned=_pinned(view, len(views)),
        seen=seen,
        store_up=store_up,
    )


def title(screen: str | None = None, **_query: str) -> str:
    """The browser tab's title."""
    found = get_context().config.screens.get(screen or "")
    return f"{found.title or screen} · Wallboard" if found else "Wallboard"


def frame(
    name: str,
    key: str | None,
    screen: Screen,
    views: list[View],
    bodies: list[html.Div],
    *,
    config: Config,
    pinned: int | None,
    seen: Seen,
    store_up: bool,
) -> html.Div:
    """The page around the views: title, clock, status, progress bar, celebration overlay and the timers."""
    meta = {
        "screen": name,
        "key": key,
        "poll": dash.get_app().get_relative_path(POLL_PATH + name),
        "stream": dash.get_app().get_relative_path(STREAM_PATH + name) if streams_on() else None,
        "refresh": screen.refresh_seconds,
        "durations": [screen.seconds_of(v) for v in views],
        "pinned": pinned,
        "zone": config.timezone,
        "stale": screen.stale_seconds,
        "celebrate": config.celebrations.show_seconds,
        "storeUp": store_up,
    }
    return html.Div(
        className="wb-kiosk",
        children=[
            html.Header(
                className="wb-bar",
                children=[
                    html.Div(screen.title or name, className="wb-screen-title wb-fit"),
                    html.Div(
                        className="wb-bar-right",
                        children=[
                            html.Div("Connecting…", id=ids.KIOSK_STATUS, className="wb-status"),
                            html.Div(id=ids.KIOSK_CLOCK, className="wb-clock"),
                        ],
                    ),
                ],
            ),
            html.Main(
                className="wb-views",
                children=[
                    html.Section(
                        html.Div(body, id=ids.kiosk_view_body(index), className="wb-view-body"),
                        id=ids.kiosk_view(index),
                        className="wb-view is-active" if index == (pinned or 0) else "wb-view",
                    )
                    for index, body in enumerate(bodies)
                ],
            ),
            html.Div(html.Div(id=ids.KIOSK_PROGRESS, className="wb-progress-bar"), className="wb-progress"),
            html.Div(html.Div(id=ids.KIOSK_OVERLAY_BODY), id=ids.KIOSK_OVERLAY, className="wb-overlay"),
            dcc.Store(id=ids.KIOSK_META, data=meta),
            dcc.Store(id=ids.KIOSK_SEEN, data=seen.to_store()),
            dcc.Store(id=ids.KIOSK_PULSE),
            dcc.Store(id=ids.KIOSK_CELEBRATION),
            dcc.Store(id=ids.KIOSK_RELOAD),
            dcc.Interval(id=ids.KIOSK_POLL, interval=screen.refresh_seconds * 1000),
            dcc.Interval(id=ids.KIOSK_TICK, interval=TICK_MS),
        ],
    )


def _pinned(view: str | None, count: int) -> int | None:
    try:
        index = int(view) if view is not None else None
    except ValueError:
        return None
    return index if index is not None and 0 <= index < count else None


def _waiting() -> html.Div:
    return html.Div(
        className="wb-empty", children=[html.Div("Waiting for data…", className="wb-empty-title")]
    )


def _message(title: str, text: str) -> html.Div:
    return html.Div(
        className="wb-kiosk wb-kiosk-message",
        children=[
            html.H1(title),
            html.P(text),
            dcc.Interval(id=ids.KIOSK_LOCKED_TICK, interval=LOCKED_RETRY_MS),
            dcc.Store(id=ids.KIOSK_RELOAD),
        ],
    )
