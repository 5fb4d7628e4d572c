"""Sign-in for agents' own page `/me`: personal links, agent users, the proxy header and the guard.

A personal link (``wallboard agent-link AGENT_ID``) carries a token signed with WALLBOARD_SECRET_KEY that
names the agent, the generation of their links and an expiry. Opening it starts a session (12 h, HttpOnly,
SameSite=Lax) and redirects to ``/me``, so the token leaves the address bar. Revoking bumps the agent's
generation in the store: older links and the sessions opened with them stop working on every worker.
Users with ``role: agent`` (password or proxy header) are linked to their ``agent_id`` in the config.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask import Flask, Response, current_app, jsonify, redirect, request, session
from itsdangerous import BadSignature, URLSafeSerializer

from dashboard.auth import signed_in_user
from dashboard.context import get_context
from kpi.store.agent_access import access_for
from kpi.store.base import Store

log = logging.getLogger("wallboard.auth")

ME_PATH = "/me"
LINK_PATH = "/me/link/<token>"
LOGOUT_PATH = "/me/logout"
SESSION_AGENT = "wb_agent"
SESSION_GENERATION = "wb_agent_gen"
SESSION_FORM_TOKEN = "me_form_token"
_SALT = "wallboard.agent-link"
_ME_DATA = re.compile(r"(?:^|\.)me-")
_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} · Wallboard</title>'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    '<link rel="stylesheet" href="/assets/manage.css"></head><body class="mg-login-body">'
    '<main class="mg-login"><h1>Wallboard <span>Me</span></h1><p class="mg-login-lead">{text}</p>'
    '<p><a href="/manage/login">Sign in with an account</a></p></main></body></html>'
)


@dataclass(frozen=True)
class LinkClaim:
    """What a valid link token says: whose page, which generation, until when."""

    agent_id: str
    generation: int
    expires: datetime


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=_SALT)


def issue_token(secret: str, agent_id: str, generation: int, days: float, now: datetime) -> str:
    """A signed token for the agent's current link generation, valid `days` from `now`."""
    expires = int((now + timedelta(days=days)).timestamp())
    return _serializer(secret).dumps({"a": agent_id, "g": generation, "x": expires})


def read_token(secret: str, token: str, now: datetime) -> LinkClaim | None:
    """The claim of a token signed with `secret` and not expired; None for anything else."""
    try:
        data = _serializer(secret).loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("a"), str):
        return None
    expires = datetime.fromtimestamp(int(data.get("x", 0)), timezone.utc)
    if expires <= now:
        return None
    return LinkClaim(data["a"], int(data.get("g", -1)), expires)


def agent_link(store: Store, secret: str, agent_id: str, base_url: str, days: float, now: datetime) -> str:
    """The personal sign-in URL of an agent, for their current link generation."""
    token = issue_token(secret, agent_id, access_for(store).generation(agent_id), days, now)
    return f"{base_url.rstrip('/')}{LINK_PATH.replace('<token>', token)}"


def install(server: Flask) -> None:
    """Add the link and sign-out routes and the guard of `/me` to `server` (after `auth.install`)."""
    server.add_url_rule(LINK_PATH, "me_link", open_link)
    server.add_url_rule(LOGOUT_PATH, "me_logout", logout, methods=["POST"])
    server.add_url_rule(f"{ME_PATH}/<path:rest>", "me_nothing_else", _no_such_page)
    server.before_request(guard)


def current_agent() -> str | None:
    """The agent id whose own page the current request may see; None for anyone else."""
    user = signed_in_user()
    if user is not None:
        return user.agent_id if user.role == "agent" else None
    agent_id = session.get(SESSION_AGENT)
    if not isinstance(agent_id, str):
        return None
    if session.get(SESSION_GENERATION) != access_for(get_context().store).generation(agent_id):
        return None
    return agent_id


def _page(title: str, text: str, status: int) -> Response:
    response = Response(_PAGE.format(title=title, text=text), status=status, mimetype="text/html")
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def open_link(token: str) -> Response:
    """Check the link, start the agent's session and go to `/me` (so the token leaves the address bar)."""
    context = get_context()
    claim = read_token(str(current_app.secret_key), token, context.clock())
    if claim is None or claim.generation != access_for(context.store).generation(claim.agent_id):
        log.warning("agent sign-in link refused from %s", request.remote_addr)
        return _page(
            "Link not valid",
            "This sign-in link has expired or was replaced. Ask your team lead for a new one.",
            403,
        )
    session.clear()
    session[SESSION_AGENT] = claim.agent_id
    session[SESSION_GENERATION] = claim.generation
    session.permanent = True
    log.info("agent sign-in by link: %s", claim.agent_id)
    response = redirect(ME_PATH)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def form_token() -> str:
    """This session's anti-forgery token for the sign-out form."""
    return session.setdefault(SESSION_FORM_TOKEN, secrets.token_urlsafe(24))


def logout() -> Response | tuple[Response, int]:
    """End the agent's session (the form must carry this session's token)."""
    given, expected = request.form.get("csrf"), session.get(SESSION_FORM_TOKEN)
    if not (given and expected and hmac.compare_digest(str(given), str(expected))):
        return _page("Not signed out", "The sign-out form had expired. Reload your page and try again.", 400)
    session.clear()
    return _page("Signed out", "You are signed out. Open your personal link to come back.", 200)


def _no_such_page(rest: str) -> Response:
    return _page("Not found", "There is no such page. Your own page is at /me.", 404)


def guard() -> Response | tuple[Response, int] | None:
    """Nobody but a signed-in agent gets `/me` or its data; `/me/` is `/me`."""
    if request.path == ME_PATH + "/":
        return redirect(ME_PATH, 308)
    if request.path == ME_PATH and current_agent() is None:
        return _page("Sign in", "Open the personal link your team lead gave you to see your page.", 401)
    if request.path.endswith("/_dash-update-component") and current_agent() is None:
        body = request.get_json(silent=True)
        if isinstance(body, dict) and _ME_DATA.search(str(body.get("output", ""))):
            return jsonify(error="open your personal link to see your page"), 401
    return None
