"""What a kiosk poll puts on the wire: a changed view as a small patch of what the TV already has.

A view body is plain JSON (Dash's component serialization). When the server still remembers the body a TV
has (by the view's fingerprint, which the TV sends back), it sends only the parts that differ, as a
`dash.Patch` payload that the browser applies with ``dash_clientside.set_props``; otherwise, or when the
patch would not be smaller, the whole body.
"""

from __future__ import annotations

import json
import threading
import zlib
from collections import OrderedDict
from typing import Any, Mapping, Sequence
from urllib.parse import quote

from flask import Response, current_app, request
from plotly.io.json import to_json_plotly

from dashboard.request_ids import HEADER as REQUEST_ID

EXTENSION = "wallboard.kiosk-bodies"
POLL_PATH = "/_kiosk/poll/"
"""Where a TV polls: this plus the screen's name."""
POLL_ENDPOINT = "kiosk_poll"
_URI_SAFE = "-_.!~*'()"
"""What JavaScript's ``encodeURIComponent`` leaves as it is."""
PATCH = "__dash_patch_update"
MEMORY_SIZE = 512
"""Bodies kept per process as JSON objects: a few hundred screens' views at their latest two fingerprints."""
COLD_SIZE = 8192
"""Older bodies kept per process compressed (~1–2 KB each, ~10–15 MB in all): a TV holds a changed view
back while it is off screen, and gets a patch of the body it has when the view comes next, up to a whole
rotation later (`dashboard.services.kiosk.poll.views_due`); with hundreds of TVs at every phase, a screen
makes dozens of new bodies a poll interval."""


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

    The `size` most recently used bodies are kept as objects; those pushed out are kept compressed (the
    `cold` most recent of them), to patch from when a TV that held a view back comes to it.
    """

    def __init__(self, size: int = MEMORY_SIZE, cold: int = COLD_SIZE) -> None:
        self.size, self.cold = size, cold
        self._bodies: OrderedDict[tuple[str, int, str], Any] = OrderedDict()
        self._frozen: OrderedDict[tuple[str, int, str], bytes] = OrderedDict()
        self._deltas: OrderedDict[tuple[str, int, str, str], Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, signature: str, index: int, digest: str) -> Any:  # noqa: ANN401 - JSON
        """The body remembered for that key, or None."""
        key = (signature, index, digest)
        found = self._read(self._bodies, key)
        if found is None:
            frozen = self._read(self._frozen, key)
            found = json.loads(zlib.decompress(frozen)) if frozen is not None else None
        return found

    def put(self, signature: str, index: int, digest: str, body: Any) -> None:  # noqa: ANN401 - JSON
        """Remember `body`; the least recently used body is compressed when full, the oldest of those goes."""
        pushed_out = self._write(self._bodies, (signature, index, digest), body)
        if pushed_out is not None and self.cold > 0:
            key, old = pushed_out
            text = zlib.compress(json.dumps(old, separators=(",", ":")).encode(), 1)
            with self._lock:
                self._frozen[key] = text
                while len(self._frozen) > self.cold:
                    self._frozen.popitem(last=False)

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

    def _write(self, store: OrderedDict, key: tuple, value: Any) -> tuple[tuple, Any] | None:  # noqa: ANN401
        """Keep `value`; return the entry pushed out to make room, if one was."""
        with self._lock:
            store[key] = value
            store.move_to_end(key)
            return store.popitem(last=False) if len(store) > self.size else None


def trim_headers(response: Response) -> Response:
    """A poll's answer without headers a TV does not use (it polls 1,200 times an hour): ``Vary`` when the
    body is not compressed (no cache keeps a ``no-store`` answer), the ``Date`` flask-compress adds to a
    compressed one (the HTTP server sends its own), and on a good answer the ``X-Request-ID`` the app
    made up (one the caller sent, say a load balancer's, is still returned). Registered to run after every
    other hook, compression included; other routes are left as they are."""
    if request.endpoint != POLL_ENDPOINT:
        return response
    response.headers.pop("Date", None)
    if "Content-Encoding" not in response.headers:
        response.headers.pop("Vary", None)
    if response.status_code == 200 and REQUEST_ID not in request.headers:
        response.headers.pop(REQUEST_ID, None)
    return response


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


def poll_url(meta: Mapping[str, Any], seen: Mapping[str, Any] | None, showing: int | None = None) -> str:
    """The poll's URL as ``pollUrl`` in `assets/kiosk.js` builds it from the page's ``kiosk-meta`` and
    ``kiosk-seen`` stores and the view on screen, `showing` (None before the page's first tick);
    tests/kiosk/test_kiosk_poll_wire_browser.py keeps the two in agreement."""
    seen = seen or {}
    query = [f"n={len(meta.get('durations') or [])}"]
    given = (
        ("w", showing),
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


def seen_after(seen: Mapping[str, Any] | None, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The ``kiosk-seen`` store after an answer's ``s`` (`Seen.changes_from`), as ``seenAfter`` in
    `assets/kiosk.js` merges it: the keys it names replaced, its ``d`` fingerprints put at their index."""
    merged = {**(seen or {}), **{k: v for k, v in changes.items() if k != "d"}}
    digests = list((seen or {}).get("d") or [])
    for key, value in (changes.get("d") or {}).items():
        index = int(key)
        digests += [""] * (index + 1 - len(digests))
        digests[index] = value
    merged["d"] = digests
    return merged


_QUERY_NAMES = {"v": "v", "sig": "s", "c": "c", "ct": "t"}
"""The seen state's keys (the ``kiosk-seen`` store's form) → their names in a poll's query."""
SEEN_PARAMS = (*_QUERY_NAMES.values(), "d")
"""The query parameters that carry the seen state."""


def seen_query(seen: Mapping[str, Any]) -> dict[str, str]:
    """The query parameters of the seen state (the ``kiosk-seen`` store's form) as `poll_url` writes them."""
    given = ((name, seen.get(key)) for key, name in _QUERY_NAMES.items())
    query = {name: _js_text(value) for name, value in given if value not in (None, "")}
    digests = ".".join(seen.get("d") or [])
    return {**query, "d": digests} if digests else query


def seen_of_query(query: Mapping[str, str]) -> dict[str, Any]:
    """The seen state a poll's query carries (the inverse of `seen_query`; values stay text)."""
    seen: dict[str, Any] = {key: query.get(name) for key, name in _QUERY_NAMES.items()}
    digests = query.get("d", "")
    seen["d"] = digests.split(".") if digests else []
    return seen


def _js_text(value: Any) -> str:  # noqa: ANN401 - JSON
    """`value` as JavaScript writes it into a string (a whole float without ``.0``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)


def on_screen(meta: Mapping[str, Any], elapsed: float) -> int:
    """The view a TV shows `elapsed` seconds after its first tick, as ``tick`` in `assets/kiosk.js` rotates
    (the pinned view, or each view in turn for its seconds)."""
    pinned, durations = meta.get("pinned"), list(meta.get("durations") or [1])
    if pinned is not None:
        return int(pinned)
    total = sum(durations)
    left = elapsed % total if total > 0 else 0
    for index, seconds in enumerate(durations):
        if left < seconds:
            return index
        left -= seconds
    return 0
