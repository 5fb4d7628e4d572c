"""A poll's answer as bytes, serialized and compressed once per process for every TV that gets the same.

After a change the TVs of a screen ask the same few questions (the fingerprints they have, those there
are now): the changed bodies (``b``) are kept as JSON text by (signature, fingerprints known, fingerprints
now), and a whole answer compressed by (encoding, the rest of the answer as JSON, that key). The rest (the
pulse, the seen state) is small and serialized for every poll. The encoding is chosen exactly as
flask-compress chooses it for the app's other responses (its own functions and the app's instance), and the
answer carries ``Content-Encoding`` so that flask-compress leaves it as it is; without flask-compress (or
with another version of it) the answer goes out plain and flask-compress, if any, compresses it.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable

from flask import Flask, Response, current_app, request

try:
    from flask_compress import Compress
    from flask_compress.flask_compress import _choose_algorithm, _compress_data
except ImportError:  # pragma: no cover - flask-compress is a dependency
    Compress = None  # type: ignore[assignment,misc]

EXTENSION = "wallboard.kiosk-answers"
ENTRIES = 512
"""Answers kept per process: a few screens' changes, each with a few states the TVs came from."""
_JSON = {"separators": (",", ":")}


class BodiesKey(tuple):
    """(signature, fingerprints the TV has, fingerprints now): what decides the ``b`` part of an answer."""


class Sent(dict):
    """The ``b`` part of an answer, with the key that decides it (a plain dict to everyone else)."""

    def __init__(self, bodies: dict[str, Any], key: BodiesKey) -> None:
        super().__init__(bodies)
        self.key = key


class _Lru:
    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:  # noqa: ANN401 - any value
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


class Answers:
    """This process's serialized bodies and compressed answers."""

    def __init__(self, app: Flask, size: int = ENTRIES) -> None:
        self.bodies = _Lru(size)
        self.texts = _Lru(size)
        self.encoded = _Lru(size)
        self.compressor = _compressor(app)

    def sent(self, key: BodiesKey, make: Callable[[], dict[str, Any]]) -> Sent:
        """The ``b`` part for `key`, made once."""
        return self.bodies.get(key, lambda: Sent(make(), key))

    def response(self, answer: dict[str, Any]) -> Response:
        """`answer` as a JSON response, compressed as the browser accepts (made once per same answer)."""
        text, key = self._text(answer)
        data = text.encode()
        algorithm = self._algorithm(len(data)) if key is not None else None
        if algorithm is None or key is None:
            return _response(data, None)
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        return _response(
            self.encoded.get((algorithm, *key), lambda: _compress_data(app, data, algorithm)), algorithm
        )

    def text(self, answer: dict[str, Any]) -> str:
        """`answer` as compact JSON, its bodies serialized once per process (a stream message)."""
        return self._text(answer)[0]

    def _text(self, answer: dict[str, Any]) -> tuple[str, tuple[str, BodiesKey | None] | None]:
        """The JSON text and the key of its compressed form (None: bodies not made by `sent`, not kept)."""
        sent = answer.get("b")
        rest = {name: value for name, value in answer.items() if name != "b"}
        text = json.dumps(rest, **_JSON)
        key: tuple[str, BodiesKey | None] = (text, sent.key if isinstance(sent, Sent) else None)
        if sent is not None:
            if not isinstance(sent, Sent):
                return json.dumps(answer, **_JSON), None
            bodies = self.texts.get(sent.key, lambda: json.dumps(sent, **_JSON))
            text = f'{text[:-1]}{"," if rest else ""}"b":{bodies}}}'
        return text, key

    def _algorithm(self, size: int) -> str | None:
        if self.compressor is None or size < current_app.config.get("COMPRESS_MIN_SIZE", 500):
            return None
        return _choose_algorithm(
            self.compressor.enabled_algorithms, request.headers.get("Accept-Encoding", "")
        )


def _response(data: bytes, algorithm: str | None) -> Response:
    response = Response(data, mimetype="application/json", headers={"Cache-Control": "no-store"})
    if algorithm is not None:
        response.headers["Content-Encoding"] = algorithm
        response.headers["Vary"] = "Accept-Encoding"
    return response


def _compressor(app: Flask) -> Any:  # noqa: ANN401 - flask-compress's Compress, or None
    """The app's flask-compress instance (Dash makes it and keeps it nowhere but in its hook)."""
    if Compress is None:
        return None
    for hook in app.after_request_funcs.get(None, []):
        owner = getattr(hook, "__self__", None)
        if isinstance(owner, Compress) and hasattr(owner, "enabled_algorithms"):
            return owner
    return None


def answers() -> Answers:
    """The current app's answers (one per app and process)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get(EXTENSION)
    if found is None:
        found = app.extensions.setdefault(EXTENSION, Answers(app))
    return found
