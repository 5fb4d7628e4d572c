"""Signed-cookie sessions that end a fixed time after sign-in, however busy the user is.

Flask's own permanent sessions slide: every response that sends the cookie (by default every request)
moves its expiry forward, and the signature's timestamp with it. Here a permanent session is stamped
with the time it started; its cookie expires, and the server forgets it, `lifetime` after that stamp.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Callable

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

STARTED = "wb_started"
"""When the session started (Unix seconds); set at the first save of a permanent session."""


class FixedLifetimeSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions with an absolute lifetime (no sliding expiry)."""

    def __init__(self, lifetime: timedelta, clock: Callable[[], float] = time.time) -> None:
        self.lifetime = lifetime
        self.clock = clock

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()  # what Flask opens for no cookie, without building its signer (a TV)
        session = super().open_session(app, request)
        if session is None or STARTED not in session:
            return session
        if not isinstance(session[STARTED], (int, float)) or self._ended(session[STARTED]):
            return self.session_class()
        return session

    def save_session(self, app: Flask, session: SecureCookieSession, response: Response) -> None:
        if session.permanent and session and STARTED not in session:
            session[STARTED] = int(self.clock())
        super().save_session(app, session, response)

    def get_expiration_time(self, app: Flask, session: SecureCookieSession) -> datetime | None:
        if not session.permanent:
            return None
        started = session.get(STARTED, self.clock())
        return datetime.fromtimestamp(started, timezone.utc) + self.lifetime

    def _ended(self, started: float) -> bool:
        return self.clock() >= started + self.lifetime.total_seconds()


def install(server: Flask, lifetime: timedelta) -> None:
    """Give `server` sessions that last `lifetime` from sign-in, and never re-send an unchanged cookie."""
    server.session_interface = FixedLifetimeSessions(lifetime)
    server.config["PERMANENT_SESSION_LIFETIME"] = lifetime
    server.config["SESSION_REFRESH_EACH_REQUEST"] = False
