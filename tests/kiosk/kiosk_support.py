"""Helpers of the kiosk tests: configs built from the default, events on a pinned clock, a web server."""

from __future__ import annotations

import copy
import itertools
import threading
import time
from datetime import datetime, timezone
from importlib import resources
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import yaml

from dashboard.services.kiosk.stream import EXTENSION as STREAMS
from kpi.config import Config, parse_config
from kpi.model.events import Event

NOW = datetime(2026, 11, 25, 13, 0, tzinfo=timezone.utc)
"""A Wednesday, 14:00 in Oslo: the pinned 'now' of the pure-logic tests."""

_serial = itertools.count(1)


def default_data() -> dict[str, Any]:
    """The built-in default config as decoded YAML, to be changed by a test."""
    return yaml.safe_load(resources.files("kpi.config").joinpath("default_config.yaml").read_text())


def make_config(**sections: Any) -> Config:
    """The default config with whole top-level sections replaced."""
    data = copy.deepcopy(default_data())
    data.update(sections)
    return parse_config(data, "test config")


def event(
    agent: str,
    kind: str = "ticket_solved",
    *,
    value: float = 1.0,
    at: datetime = NOW,
    team: str | None = "Support",
    name: str | None = None,
    record: str | None = None,
    **extra: Any,
) -> Event:
    """An event of `agent` (named after the id unless `name` is given)."""
    return Event(
        source="test",
        id=record or f"r{next(_serial)}",
        type=kind,
        agent_id=agent,
        agent_name=name if name is not None else agent.title(),
        team=team,
        value=value,
        occurred_at=at,
        **extra,
    )


class _ThreadedServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's signature
        return None


class WebServer:
    """The app's Flask server in a thread on a fixed port, which a test may stop and start again.

    It speaks HTTP/1.0 (one request per connection), so that a stopped server really stops answering:
    no kept-alive connection goes on reaching it.
    """

    def __init__(self, app: Any, port: int) -> None:
        self.app, self.port = app, port
        self._server: WSGIServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        for _ in range(100):
            try:
                self._server = make_server(
                    "127.0.0.1",
                    self.port,
                    self.app,
                    server_class=_ThreadedServer,
                    handler_class=_QuietHandler,
                )
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"port {self.port} stayed busy")
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Stop answering; the kiosk streams open on the server end too, as when a real server stops."""
        streams = self.app.extensions.get(STREAMS)
        if streams is not None:
            streams.end_streams()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
