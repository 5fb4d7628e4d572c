"""Bearer-token checks for the API: constant-time comparison, tokens never echoed or logged."""

from __future__ import annotations

import hmac

from flask import Response, jsonify, request


def bearer_problem(expected: str | None, env_var: str) -> tuple[Response, int] | None:
    """None when the request carries the expected token, else the error response to send.

    Args:
        expected: the configured token; None means the endpoint is switched off.
        env_var: the environment variable that switches it on (named in the error).
    """
    if not expected:
        return jsonify(error=f"this endpoint is disabled: set {env_var} to enable it"), 403
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return _unauthorized("missing bearer token: send 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(token.strip().encode(), expected.encode()):
        return _unauthorized("invalid token")
    return None


def _unauthorized(message: str) -> tuple[Response, int]:
    response = jsonify(error=message)
    response.headers["WWW-Authenticate"] = 'Bearer realm="wallboard"'
    return response, 401
