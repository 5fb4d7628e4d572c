"""A request id on every request: the caller's ``X-Request-ID`` when it is sane, else a new one.

It is returned in the response's ``X-Request-ID`` header, and every log line written while the request
runs carries it (`wallboard.logs`), so a TV's failed poll can be found in the logs of the instance
behind the load balancer that answered it.
"""

from __future__ import annotations

import re
import uuid

from flask import Flask, Response, g, has_request_context, request

HEADER = "X-Request-ID"
_SANE = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def install(server: Flask) -> None:
    """Give every request of `server` an id, and send it back."""
    server.before_request_funcs.setdefault(None, []).insert(0, _assign)
    server.after_request(_return)


def current_request_id() -> str | None:
    """The current request's id (None outside a request)."""
    return g.get("request_id") if has_request_context() else None


def _assign() -> None:
    given = request.headers.get(HEADER, "")
    g.request_id = given if _SANE.fullmatch(given) else uuid.uuid4().hex


def _return(response: Response) -> Response:
    request_id = g.get("request_id")
    if request_id:
        response.headers[HEADER] = request_id
    return response
