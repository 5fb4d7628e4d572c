"""Capturing what a test app sends, for the privacy checks of the page tests."""

from __future__ import annotations

import dash
from flask import Response, request


def record_bodies(app: dash.Dash) -> list[tuple[str, bytes]]:
    """Every response body the app sends from now on (static files and scripts aside), with its path."""
    bodies: list[tuple[str, bytes]] = []

    def record(response: Response) -> Response:
        if not response.direct_passthrough and not request.path.startswith(
            ("/assets/", "/_dash-component-suites/")
        ):
            bodies.append((request.path, response.get_data()))
        return response

    app.server.after_request(record)
    return bodies


def texts(bodies: list[tuple[str, bytes]]) -> list[str]:
    """The captured bodies as text."""
    return [body.decode("utf-8", "replace") for _, body in bodies]
