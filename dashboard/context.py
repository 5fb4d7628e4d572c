"""What every request handler needs (settings, config, store), kept on the Flask app, not in globals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable

from flask import Flask, current_app

from kpi.config import Config
from kpi.config.settings import Settings
from kpi.store import Store

if TYPE_CHECKING:
    from dashboard.cache import SharedCache

EXTENSION = "wallboard"


@dataclass
class AppContext:
    """The parts one app instance is built from."""

    settings: Settings
    config: Config
    store: Store
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
    cache: SharedCache | None = None
    """The cache shared by every worker (`dashboard.cache`), set by the app factory."""

    def install(self, server: Flask) -> None:
        server.extensions[EXTENSION] = self


def get_context() -> AppContext:
    """The context of the app serving the current request."""
    return current_app.extensions[EXTENSION]
