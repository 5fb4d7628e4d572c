"""Run the web app under gunicorn, built by the app factory in each worker."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from kpi.config.settings import Settings


class WallboardServer(BaseApplication):
    """A gunicorn application whose workers each call `create_app` (no work in the master but checks)."""

    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):  # noqa: ANN201 - a WSGI callable
        from dashboard import create_app

        return create_app(self.settings).server
