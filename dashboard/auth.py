"""Sign-in for the manager pages: the login form, signed sessions, the trusted proxy header and the guard.

Every request under ``/manage`` and every Dash callback that writes a ``manage-`` component needs a
signed-in user; callbacks and services check the viewer again themselves (defence in depth). Passwords
are checked against werkzeug hashes from the config and are never logged or echoed.

Make a hash for the ``users:`` section with ``python -m dashboard.auth hash-password``.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import sys
import threading
import time
from collections import deque
from datetime import timedelta
from typing import Callable
from urllib.parse import quote, urlsplit

from flask import Flask, Response, current_app, jsonify, redirect, render_template_string, request, session
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard import sessions
from dashboard.context import get_context
from kpi.config import Config
from kpi.config.users import User, viewer_for
from kpi.model.viewer import Viewer

log = logging.getLogger("wallboard.auth")

LOGIN_PATH = "/manage/login"
LOGOUT_PATH = "/manage/logout"
HOME_PATH = "/manage"
MANAGE_ID_PREFIX = "manage-"
SESSION_USER = "wb_user"
SESSION_LIFETIME = timedelta(hours=12)
"""From sign-in, not from the last request (Flask's own default is 31 days, sliding)."""
SECRET_ENV = "WALLBOARD_SECRET_KEY"
SESSION_FORM_TOKEN = "login_form_token"
THROTTLE = "wallboard.sign_in_throttle"
_OPEN_PATHS = frozenset({LOGIN_PATH, LOGOUT_PATH})
AGENT_HOME = "/me"
_MANAGERS_ONLY = (
    '<!doctype html><meta charset="utf-8"><title>Managers only</title>'
    '<p>These pages are for managers. Your own page is <a href="/me">/me</a>.</p>'
)
_NOT_SIGNED_OUT = (
    '<!doctype html><meta charset="utf-8"><title>Not signed out</title>'
    "<p>The sign-out form had expired, so you are still signed in. "
    '<a href="/manage">Back to the manager view</a>, then sign out again.</p>'
)
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))
"""Checked for unknown usernames, so that a wrong username takes as long as a wrong password."""

_LOGIN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in · Wallboard</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/assets/manage.css"></head>
<body class="mg-login-body"><main class="mg-login">
<h1>Wallboard <span>Manage</span></h1>
<p class="mg-login-lead">Sign in to explore trends, rankings and each agent's detail.</p>
{% if error %}<p class="mg-login-error" role="alert">{{ error }}</p>{% endif %}
<form method="post" action="{{ action }}">
<input type="hidden" name="next" value="{{ next }}">
<input type="hidden" name="csrf" value="{{ csrf }}">
<label>Username <input id="login-username" name="username" autocomplete="username" value="{{ username }}"
 required autofocus></label>
<label>Password <input id="login-password" name="password" type="password" autocomplete="current-password"
 required></label>
<button id="login-submit" type="submit">Sign in</button>
</form></main></body></html>"""


class SignInThrottle:
    """Refuses sign-ins for a username from an address after `limit` failures within `window` seconds.

    Kept in the process: with several workers an attacker gets `limit` tries per worker, still few.
    """

    def __init__(
        self, limit: int = 5, window: float = 300.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= self.clock() - self.window:
            times.popleft()
        return times

    def blocked(self, key: tuple[str, str]) -> bool:
        with self._lock:
            return len(self._recent(key)) >= self.limit

    def failed(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._recent(key).append(self.clock())

    def clear(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._failures.pop(key, None)


def install(server: Flask) -> None:
    """Give `server` a session secret, the login and logout routes and the guard of the manager pages."""
    server.extensions[THROTTLE] = SignInThrottle()
    if not server.secret_key:
        server.secret_key = _secret_key()
    sessions.install(server, SESSION_LIFETIME)
    server.config["SESSION_COOKIE_HTTPONLY"] = True
    server.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    server.add_url_rule(LOGIN_PATH, "manage_login", login, methods=["GET", "POST"])
    server.add_url_rule(LOGOUT_PATH, "manage_logout", logout, methods=["POST"])
    server.before_request(guard)


def _secret_key() -> str:
    """A random per-process key, for when no WALLBOARD_SECRET_KEY reached the settings."""
    log.warning(
        "%s is not set: using a random key, so manager sign-ins end when the process restarts "
        "(and differ between workers); set it to a long random string",
        SECRET_ENV,
    )
    return secrets.token_hex(32)


def signed_in_user() -> Viewer | None:
    """The signed-in configured user of the current request (any role), re-checked against the config."""
    config = get_context().config
    header = config.auth.proxy_header
    if header and (not config.auth.trusted_proxies or request.remote_addr in config.auth.trusted_proxies):
        proxied = request.headers.get(header)
        if proxied:
            return viewer_for(config.users, proxied.strip())
    return viewer_for(config.users, session.get(SESSION_USER))


def current_viewer() -> Viewer | None:
    """The signed-in manager (admin or lead) of the current request; None for nobody or an agent."""
    viewer = signed_in_user()
    return viewer if viewer is not None and viewer.is_manager else None


def check_password(username: str, password: str) -> Viewer | None:
    """The viewer if `password` is right for `username` (same work for unknown names), else None."""
    users = get_context().config.users
    user = users.get(username)
    stored = user.password_hash if user and user.password_hash else _DUMMY_HASH
    if not check_password_hash(stored, password) or user is None or not user.password_hash:
        return None
    return viewer_for(users, username)


def _is_manage_path(path: str) -> bool:
    return path == HOME_PATH or path.startswith(HOME_PATH + "/")


def _asks_for_manage_data() -> bool:
    if not request.path.endswith("/_dash-update-component"):
        return False
    body = request.get_json(silent=True)
    return isinstance(body, dict) and MANAGE_ID_PREFIX in str(body.get("output", ""))


def guard() -> Response | tuple[Response, int] | None:
    """Turn away unauthenticated requests for manager pages (to the login form) and their data (401)."""
    if request.path in _OPEN_PATHS:
        return None
    if _is_manage_path(request.path):
        if current_viewer() is None and signed_in_user() is not None:
            return Response(_MANAGERS_ONLY, status=403, mimetype="text/html")
        if current_viewer() is None:
            target = request.full_path.rstrip("?")
            return redirect(f"{LOGIN_PATH}?next={quote(target, safe='')}")
        return None
    if _asks_for_manage_data() and current_viewer() is None:
        return jsonify(error="sign in at /manage/login to see manager data"), 401
    return None


def _safe_next(target: str | None) -> str:
    """Only a local manager path, so the form cannot send anyone elsewhere after sign-in (agents: /me)."""
    if not target:
        return HOME_PATH
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not _is_manage_path(parts.path) or parts.path in _OPEN_PATHS:
        return HOME_PATH
    return target


def login() -> Response | str | tuple[str, int]:
    """GET: the form. POST: check the password, start a fresh session and go where the user was heading."""
    next_path = _safe_next(request.values.get("next"))
    if request.method == "GET":
        signed_in = signed_in_user()
        if signed_in is not None:
            return redirect(next_path if signed_in.is_manager else AGENT_HOME)
        return _form("", "", next_path)
    username = (request.form.get("username") or "").strip()
    if not _form_token_matches(request.form.get("csrf")):
        return _form("The sign-in form had expired. Please sign in again.", username, next_path), 400
    throttle: SignInThrottle = current_app.extensions[THROTTLE]
    key = (username.lower(), request.remote_addr or "")
    if throttle.blocked(key):
        log.warning("manager sign-in throttled for user %r from %s", username[:64], request.remote_addr)
        return _form("Too many failed sign-ins. Try again in a few minutes.", username, next_path), 429
    viewer = check_password(username, request.form.get("password") or "")
    if viewer is None:
        throttle.failed(key)
        log.warning("manager sign-in refused for user %r from %s", username[:64], request.remote_addr)
        return _form("Wrong username or password.", username, next_path), 401
    throttle.clear(key)
    session.clear()
    session[SESSION_USER] = viewer.username
    session.permanent = True
    log.info("sign-in: %s (%s)", viewer.username, viewer.role)
    return redirect(next_path if viewer.is_manager else AGENT_HOME)


def logout() -> Response:
    """End the session and show the login form; the form must carry this session's token.

    Without the token a cross-site form could sign a manager out (login CSRF's little sibling).
    """
    if not _form_token_matches(request.form.get("csrf")):
        return Response(_NOT_SIGNED_OUT, status=400, mimetype="text/html")
    session.clear()
    return redirect(LOGIN_PATH)


def form_token() -> str:
    """This session's anti-forgery token, for the sign-in and sign-out forms."""
    return session.setdefault(SESSION_FORM_TOKEN, secrets.token_urlsafe(24))


def _form(error: str, username: str, next_path: str) -> str:
    return render_template_string(
        _LOGIN_PAGE, error=error, username=username, next=next_path, action=LOGIN_PATH, csrf=form_token()
    )


def _form_token_matches(given: str | None) -> bool:
    """The posted form carries the token of this browser's session (no cross-site sign-in)."""
    expected = session.get(SESSION_FORM_TOKEN)
    return bool(given and expected) and hmac.compare_digest(str(given), str(expected))


def with_demo_user(config: Config, username: str = "demo", password: str | None = None) -> tuple[Config, str]:
    """`config` plus an admin `username` for the demo, and its password (random unless given)."""
    password = password or secrets.token_urlsafe(9)
    user = User(password_hash=generate_password_hash(password), role="admin", name="Demo manager")
    return config.model_copy(update={"users": {**config.users, username: user}}), password


def _hash_password_command() -> int:
    """Read a password twice (or once from a pipe) and print its werkzeug scrypt hash."""
    import getpass

    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Again: "):
            print("the passwords differ", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < 8:
        print("use at least 8 characters", file=sys.stderr)
        return 1
    print(generate_password_hash(password))
    return 0


if __name__ == "__main__":
    if sys.argv[1:] != ["hash-password"]:
        print("usage: python -m dashboard.auth hash-password", file=sys.stderr)
        sys.exit(2)
    sys.exit(_hash_password_command())
