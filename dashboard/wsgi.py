"""The WSGI entry point for an external gunicorn: ``gunicorn 'dashboard.wsgi:create_server()'``."""

from __future__ import annotations

from flask import Flask


def create_server() -> Flask:
    """Build the app from the environment and return its Flask server."""
    from dashboard import create_app

    return create_app().server
