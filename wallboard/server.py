"""Run the web app under gunicorn, built by the app factory in each worker."""

from __future__ import annotations

import logging
import runpy
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from kpi.config.settings import Settings

log = logging.getLogger("wallboard")

CONFIG_FILE = Path(__file__).resolve().parent / "gunicorn.conf.py"
"""The gunicorn settings (from environment variables) that `wallboard serve` and the image use."""


class WallboardServer(BaseApplication):
    """A gunicorn application whose workers each call `create_app` (no work in the master but checks).

    Settings come from `CONFIG_FILE`, then from `options` (the command line's, which win).
    """

    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in runpy.run_path(str(CONFIG_FILE)).items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)
        for key, value in self.options.items():
            self.cfg.set(key, value)
        if not self.settings.redis_url and self.cfg.workers > 1:
            log.warning(
                "no REDIS_URL: running 1 worker, because each worker would hold its own "
                "in-process store and they would disagree; set REDIS_URL to run %d",
                self.cfg.workers,
            )
            self.cfg.set("workers", 1)

    def load(self):  # noqa: ANN201 - a WSGI callable
        from dashboard import create_app

        return create_app(self.settings).server
