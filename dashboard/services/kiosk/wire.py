"""What a kiosk poll puts on the wire: a changed view as a small patch of what the TV already has.

A view body is plain JSON (Dash's component serialization). When the server still remembers the body a TV
has (by the view's fingerprint, which the TV sends back), it sends only the parts that differ, as a
`dash.Patch` payload that the browser applies with ``dash_clientside.set_props``; otherwise, or when the
patch would not be smaller, the whole body.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any, Mapping, Sequence
from urllib.parse import quote

from flask import current_app
from plotly.io.json import to_json_plotly

EXTENSION = "wallboard.kiosk-bodies"
POLL_PATH = "/_kiosk/poll/"
"""Where a TV polls: this plus the screen's name."""
_URI_SAFE = "-_.!~*'()"
"""What JavaScript's ``encodeURIComponent`` leaves as it is."""
PATCH = "__dash_patch_update"
MEMORY_SIZE = 512
"""Bodies kept per process: a few hundred screens' views at their latest two fingerprints."""


def assignments(old: Any, new: Any, at: tuple[Any, ...] = ()) -> list[dict[str, Any]]:  # noqa: ANN401 - JSON
    """The Patch operations that turn JSON `old` into `new`: the smallest subtrees that differ, assigned."""
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict) and old.keys() == new.keys():
        return [op for key in new for op in assignments(old[key], new[key], (*at, key))]
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [op for index, pair in enumerate(zip(old, new)) for op in assignments(*pair, (*at, index))]
    return [{"operation": "Assign", "location": list(at), "params": {"value": new}}]


def smallest(old: Any, new: Any) -> Any:  # noqa: ANN401 - JSON
    """`new` as a patch of `old` when that is shorter, else `new` itself (`old` None: not known)."""
    if old is None:
        return new
    patch = {PATCH: PATCH, "operations": assignments(old, new)}
    return patch if _size(patch) < _size(new) else new


def _size(value: Any) -> int:  # noqa: ANN401 - JSON
    return len(json.dumps(value, separators=(",", ":")))


class BodyMemory:
    """View bodies recently sent, by (screen signature, view index, fingerprint), and the patches between
    them: every TV on a screen after a change costs one render and one diff per process. Thread-safe, bounded.
    """

    def __init__(self, size: int = MEMORY_SIZE) -> None:
        self.size = size
        self._bodies: OrderedDict[tuple[str, int, str], Any] = OrderedDict()
        self._deltas: OrderedDict[tuple[str, int, str, str], Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, signature: str, index: int, digest: str) -> Any:  # noqa: ANN401 - JSON
        """The body remembered for that key, or None."""
        return self._read(self._bodies, (signature, index, digest))

    def put(self, signature: str, index: int, digest: str, body: Any) -> None:  # noqa: ANN401 - JSON
        """Remember `body`; the least recently used body goes when full."""
        self._write(self._bodies, (signature, index, digest), body)

    def delta(self, signature: str, index: int, known: str | None, digest: str, body: Any) -> Any:  # noqa: ANN401
        """What to send a TV that has the body fingerprinted `known` for `body`, fingerprinted `digest`."""
        key = (signature, index, known or "", digest)
        found = self._read(self._deltas, key)
        if found is None:
            old = self.get(signature, index, known) if known else None
            found = smallest(old, body)
            self._write(self._deltas, key, found)
        return found

    def _read(self, store: OrderedDict, key: tuple) -> Any:  # noqa: ANN401 - JSON
        with self._lock:
            if key not in store:
                return None
            store.move_to_end(key)
            return store[key]

    def _write(self, store: OrderedDict, key: tuple, value: Any) -> None:  # noqa: ANN401 - JSON
        with self._lock:
            store[key] = value
            store.move_to_end(key)
            while len(store) > self.size:
                store.popitem(last=False)


def body_memory() -> BodyMemory:
    """The current app's memory of sent view bodies (one per app and process)."""
    return current_app.extensions.setdefault(EXTENSION, BodyMemory())


def plain(component: Any) -> Any:  # noqa: ANN401 - a component in, JSON out
    """A component as the plain JSON Dash sends to the browser (plotly's ``json`` engine: the same JSON as its
    ``orjson`` engine, whose cleaning pass in Python is slower on component trees)."""
    return json.loads(to_json_plotly(component, engine="json"))


def remember(signature: str, digests: Sequence[str], bodies: Sequence[Any]) -> None:
    """Remember the bodies a page was opened with, so that its first changed poll can be a patch."""
    memory = body_memory()
    for index, (fingerprint, body) in enumerate(zip(digests, bodies)):
        memory.put(signature, index, fingerprint, plain(body))


def poll_url(meta: Mapping[str, Any], seen: Mapping[str, Any] | None) -> str:
    """The poll's URL as ``pollUrl`` in `assets/kiosk.js` builds it from the page's ``kiosk-meta`` and
    ``kiosk-seen`` stores (tests/kiosk/test_kiosk_poll_wire_browser.py keeps the two in agreement)."""
    seen = seen or {}
    query = [f"n={len(meta.get('durations') or [])}"]
    given = (
        ("key", meta.get("key")),
        ("v", seen.get("v")),
        ("s", seen.get("sig")),
        ("c", seen.get("c")),
        ("t", seen.get("ct")),
        ("d", ".".join(seen.get("d") or [])),
    )
    query += [
        f"{name}={quote(_js_text(value), safe=_URI_SAFE)}" for name, value in given if value not in (None, "")
    ]
    return f"{meta.get('poll')}?{'&'.join(query)}"


def _js_text(value: Any) -> str:  # noqa: ANN401 - JSON
    """`value` as JavaScript writes it into a string (a whole float without ``.0``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)
