"""Who may open a kiosk, and which version of a screen a TV is showing.

Unknown screens answer 404 with the list of screens before Dash routes anything. The *signature* of a
screen changes when the config, the app or the screen's active schedule window changes; an open kiosk
that sees a new signature reloads itself.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from html import escape
from importlib import metadata
from pathlib import Path

from flask import Flask, Response, current_app, request

from kpi.config import Config
from kpi.config.screens import Screen

EXTENSION = "wallboard.kiosk"
PREFIX = "/kiosk/"


@dataclass(frozen=True)
class KioskState:
    """What every kiosk request of one app shares: the digests behind the signatures."""

    config_digest: str
    app_version: str


def install(server: Flask, assets: Path) -> None:
    """Compute the app's digests and answer unknown screens with 404 on `server` (after its context)."""
    from dashboard.context import EXTENSION as CONTEXT

    config: Config = server.extensions[CONTEXT].config
    server.extensions[EXTENSION] = KioskState(_digest(config.model_dump_json()), app_version(assets))
    server.before_request(_unknown_screen)


def app_version(assets: Path) -> str:
    """The package version plus a digest of the assets, so that a deployment of new CSS or JS counts too."""
    try:
        version = metadata.version("wallboard")
    except metadata.PackageNotFoundError:
        version = "dev"
    digest = hashlib.sha256()
    for path in sorted(assets.glob("*")) if assets.is_dir() else []:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return f"{version}+{digest.hexdigest()[:12]}"


def signature(screen: Screen, local: datetime) -> str:
    """The version of `screen` a kiosk shows at office-local `local` (config, app and schedule window)."""
    state: KioskState = current_app.extensions[EXTENSION]
    return _digest(f"{state.config_digest}|{state.app_version}|{screen.window_at(local)}")[:16]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _unknown_screen() -> Response | None:
    path = request.path
    if path.rstrip("/") != PREFIX.rstrip("/") and not path.startswith(PREFIX):
        return None
    from dashboard.context import get_context

    screens = get_context().config.screens
    name = path[len(PREFIX) :].strip("/") if path.startswith(PREFIX) else ""
    if name in screens and "/" not in name:
        return None
    return not_found_page(name, list(screens))


def not_found_page(name: str, screens: list[str]) -> Response:
    """A 404 page for a TV pointed at a screen that does not exist; it retries every minute."""
    items = (
        "".join(f'<li><a href="{PREFIX}{escape(s)}">{escape(s)}</a></li>' for s in screens)
        or "<li>No screens are configured: add a <code>screens:</code> section to the config.</li>"
    )
    what = f"There is no screen called <strong>{escape(name)}</strong>." if name else "Choose a screen."
    body = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="60">'
        f"<title>Unknown screen · Wallboard</title><style>body{{background:#0b1020;color:#e8edf7;"
        f'font:2.4vh/1.5 Inter,"Liberation Sans",sans-serif;padding:8vh 8vw}}a{{color:#7cc4ff}}'
        f"h1{{font-size:6vh;margin:0 0 2vh}}</style></head><body><h1>Screen not found</h1><p>{what} "
        f"The configured screens are:</p><ul>{items}</ul></body></html>"
    )
    return Response(body, status=404, mimetype="text/html")
