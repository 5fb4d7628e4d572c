"""A scripted replay of a vendor API on pytest-httpserver: per request key, a queue of answers."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


@dataclass(frozen=True)
class Answer:
    """One scripted HTTP answer."""

    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> Response:
        text = self.body if isinstance(self.body, str) else json.dumps(self.body)
        kind = "text/plain" if isinstance(self.body, str) else "application/json"
        return Response(text, status=self.status, headers=self.headers, content_type=kind)


@dataclass(frozen=True)
class Seen:
    """What the server received."""

    method: str
    path: str
    args: dict[str, str]
    json: Any
    headers: dict[str, str]


Scripted = Answer | Callable[[], Answer]
"""An answer, or a function called when the request arrives (e.g. to hold the request)."""


class Replay:
    """Answers requests to one path from queues keyed by `key(request)`; a queue's last answer repeats."""

    def __init__(
        self, server: HTTPServer, path: str, key: Callable[[Request], str], method: str = "GET"
    ) -> None:
        self.key = key
        self.answers: dict[str, list[Scripted]] = {}
        self.seen: list[Seen] = []
        server.expect_request(path, method=method).respond_with_handler(self._handle)

    def add(self, key: str, *answers: Scripted) -> None:
        self.answers.setdefault(key, []).extend(answers)

    def set(self, key: str, *answers: Scripted) -> None:
        self.answers[key] = list(answers)

    def _handle(self, request: Request) -> Response:
        body = request.get_json(silent=True)
        self.seen.append(Seen(request.method, request.path, dict(request.args), body, dict(request.headers)))
        key = self.key(request)
        queue = self.answers.get(key)
        if not queue:
            return Answer({"error": f"no scripted answer for {key}"}, status=404).response()
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        return (answer if isinstance(answer, Answer) else answer()).response()
