"""One virtual TV: what the kiosk page in a browser sends and keeps, over HTTP, without a browser.

`VirtualTV.poll` is the one place that sends the poll as ``assets/kiosk.js`` does: a GET of
``/_kiosk/poll/<screen>?n=…&w=…&key=…&v=…&s=…&c=…&t=…&d=…`` built from its ``kiosk-meta`` and ``kiosk-seen``
(by `dashboard.services.kiosk.wire.poll_url`, the same function the tests use), with the headers Chromium
sends with that fetch (`POLL_HEADERS`). It applies the compact answer as kiosk.js does: ``s`` is merged
into its seen-state (`seen_after`), ``b`` replaces a view's body or patches the body it has, ``r`` makes the
page load again. It rotates its views as kiosk.js does and says which it shows (``w``).
Change it here, only here, when the poll's transport changes; tests/kiosk/test_kiosk_poll_wire_browser.py
fails until it does."""

from __future__ import annotations

import dataclasses
import json
import re
import time
import zlib
from dataclasses import dataclass
from typing import Any, Iterable

import brotli
import httpx
from backports import zstd

from bench._serve import MARKER_ALIAS
from dashboard.services.kiosk.wire import PATCH, on_screen, poll_url, seen_after

ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."
VIEW_BODY = "kiosk-view-body"
BROWSER_HEADERS = {
    "Accept": "application/json",
    "Accept-Encoding": "gzip, deflate, br, zstd",
    "Accept-Language": "en-US,en;q=0.9",
    "Content-Type": "application/json",
    "Sec-Fetch-Dest": "empty",
    "Sec-Fetch-Mode": "cors",
    "Sec-Fetch-Site": "same-origin",
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/156.0.0.0 Safari/537.36",
    "sec-ch-ua": '"Not:A-Brand";v="8", "Chromium";v="156"',
    "sec-ch-ua-mobile": "?0",
    "sec-ch-ua-platform": '"Linux"',
}
"""The headers Chromium sends with a Dash callback POST (Host, Connection and Content-Length httpx adds)."""
POLL_HEADERS = {
    **{k: v for k, v in BROWSER_HEADERS.items() if k not in ("Accept", "Content-Type")},
    "Accept": "*/*",
    "Accept-Encoding": "gzip, deflate, br, zstd",
}
"""The headers Chromium sends with kiosk.js's poll: a `fetch` GET with `referrerPolicy: "no-referrer"` (no
Referer) and the default cache mode (the answer's ``Cache-Control: no-store`` keeps it out of the cache)."""
_END_ID = re.compile(r'"end_id":"([^"]+)"')
_MARKER = re.compile(re.escape(MARKER_ALIAS) + r'"[^0-9]{0,600}?"(\d+)"')
"""The marker's alias, then the first figure after it (a whole number below 1,000 is shown in full)."""


@dataclass(frozen=True)
class Exchange:
    """One request and its answer as the generator saw them (monotonic seconds, bytes on the wire)."""

    sent: float
    answered: float
    status: int
    """The HTTP status; 0 when no answer came (refused, reset, timed out)."""
    wire_bytes: int
    """Request line, headers and body, plus the answer's status line, headers and body as sent."""
    plain_bytes: int
    """The same with the answer's body uncompressed."""
    error: str = ""
    """Why no answer came (the exception's name), or what was wrong with a 200 (a poll saying the store
    is down); empty for a good answer."""
    request_bytes: int = 0
    """The request's part of `wire_bytes`: its line, headers and body."""

    @property
    def seconds(self) -> float:
        return self.answered - self.sent

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300 and not self.error

    @property
    def outcome(self) -> str:
        """The status, or what was wrong with the answer, or why none came."""
        return self.error or str(self.status)


class VirtualTV:
    """A kiosk page at ``/kiosk/<screen>``: loads like a browser, then polls with its own seen-state."""

    def __init__(self, client: httpx.AsyncClient, screen: str) -> None:
        self.client = client
        self.path = f"/kiosk/{screen}"
        self.meta: dict[str, Any] = {}
        self.seen: dict[str, Any] = {}
        self.views = 0
        self.bodies: list[Any] = []
        """Each view's body as the page has it (``kiosk-view-body`` children), patched by the answers."""
        self.interval = 3.0
        self.ticks = 0
        self.end_id = ""
        self.marker: int | None = None
        """The marker agent's figure in the newest answer that showed it; None before any did."""
        self.marker_views: frozenset[int] = frozenset()
        """The views whose body showed the marker agent when the page loaded."""
        self.started = 0.0
        """When the page's rotation started (monotonic seconds): its first tick, at the page load."""
        self.must_load = True

    async def load(self) -> Exchange:
        """The page load: the HTML (it carries the signed ``endId``), then the router callback's layout."""
        page = await self._send("GET", self.path, None)
        if not page[0].ok:
            return page[0]
        found = _END_ID.search(page[1])
        self.end_id = found.group(1) if found else ""
        body = {
            "output": ROUTER_OUTPUT,
            "outputs": [
                {"id": "_pages_content", "property": "children"},
                {"id": "_pages_store", "property": "data"},
            ],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": self.path},
                {"id": "_pages_location", "property": "search", "value": ""},
            ],
            "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
            "parsedChangedPropsIds": ["_pages_location.pathname", "_pages_location.search"],
        }
        routed, text = await self._send("POST", self._callback_url(), body)
        if routed.ok:
            self._take_layout(json.loads(text)["response"]["_pages_content"]["children"])
        return _merge(page[0], routed)

    async def poll(self) -> Exchange:
        """One tick of the poll Interval, exactly as kiosk.js sends it and applies its answer."""
        if self.must_load:
            return await self.load()
        self.ticks += 1
        url = poll_url(self.meta, self.seen, self.showing(time.monotonic()))
        exchange, text = await self._send("GET", url, None, POLL_HEADERS)
        if exchange.status != 200:
            return exchange
        answer = self.take(text)
        if (answer.get("p") or {}).get("ok") is False:
            return dataclasses.replace(exchange, error="200 with the store down (pulse ok: false)")
        return exchange

    def take(self, text: str) -> dict[str, Any]:
        """Apply one answer, of the poll or a stream message (JSON text), as kiosk.js's ``apply`` does."""
        answer = json.loads(text)
        self._take_answer(answer)
        return answer

    def showing(self, at: float) -> int:
        """The view on screen at monotonic time `at`, as kiosk.js rotates from the page's first tick."""
        return on_screen(self.meta, at - self.started)

    def shows_marker(self, since: float, until: float) -> bool:
        """Whether a view that shows the marker is on screen at `since` and still at `until`."""
        return self.showing(since) in self.marker_views and self.showing(until) == self.showing(since)

    def _callback_url(self) -> str:
        return f"/_dash-update-component?endId={self.end_id}" if self.end_id else "/_dash-update-component"

    def _take_layout(self, layout: Any) -> None:
        self.meta = _component_prop(layout, "kiosk-meta", "data") or {}
        self.seen = _component_prop(layout, "kiosk-seen", "data") or {}
        self.interval = (_component_prop(layout, "kiosk-poll", "interval") or 3000) / 1000
        self.views = len(self.meta.get("durations") or [])
        self.bodies = [
            _component_prop(layout, {"index": i, "type": VIEW_BODY}, "children") for i in range(self.views)
        ]
        self.ticks, self.must_load, self.started = 0, False, time.monotonic()
        self.marker_views = frozenset(i for i in range(self.views) if _MARKER.search(_text(self.bodies[i])))
        self._note_marker(range(self.views))

    def _take_answer(self, answer: dict[str, Any]) -> None:
        """What kiosk.js's ``apply`` does with an answer, for what a virtual TV keeps."""
        changed = []
        for key, body in (answer.get("b") or {}).items():
            index = int(key)
            if 0 <= index < len(self.bodies):
                self.bodies[index] = patched(self.bodies[index], body)
                changed.append(index)
        if isinstance(answer.get("s"), dict):
            self.seen = seen_after(self.seen, answer["s"])
        if answer.get("r"):
            self.must_load = True
        self._note_marker(sorted(changed))

    def _note_marker(self, indexes: Iterable[int]) -> None:
        """Keep the marker's figure from the first of those views that shows it (the ticket board)."""
        for index in indexes:
            found = _MARKER.search(_text(self.bodies[index]))
            if found:
                self.marker = int(found.group(1))
                return

    async def _send(
        self, method: str, url: str, body: dict[str, Any] | None, headers: dict[str, str] = BROWSER_HEADERS
    ) -> tuple[Exchange, str]:
        content = json.dumps(body, separators=(",", ":")).encode() if body is not None else None
        if headers is not POLL_HEADERS:
            headers = {**headers, "Referer": f"{self.client.base_url}{self.path}"}
        if body is not None:
            headers["Origin"] = str(self.client.base_url).rstrip("/")
        return await send(self.client, method, url, content, headers)


def _text(body: Any) -> str:  # noqa: ANN401 - JSON
    return json.dumps(body, separators=(",", ":"))


def patched(body: Any, update: Any) -> Any:  # noqa: ANN401 - JSON
    """A view body after an answer's ``b`` entry for it: a new body, or a Dash patch of `body`.

    The server's patches (dashboard/services/kiosk/wire.py) only assign; an empty location replaces all.
    """
    if not (isinstance(update, dict) and update.get(PATCH) == PATCH):
        return update
    for operation in update.get("operations", []):
        if operation.get("operation") != "Assign":
            raise ValueError(f"a patch operation the virtual TV does not apply: {operation.get('operation')}")
        location, value = operation["location"], operation["params"]["value"]
        if not location:
            body = value
            continue
        target = body
        for step in location[:-1]:
            target = target[step]
        target[location[-1]] = value
    return body


async def send(
    client: httpx.AsyncClient, method: str, url: str, content: bytes | None, headers: dict[str, str]
) -> tuple[Exchange, str]:
    """Send one request; count its bytes on the wire; never raise for a failed exchange.

    The answer's body is read as sent and uncompressed here (gzip, deflate, br or zstd, as the server
    chose from the Accept-Encoding), since httpx alone cannot undo zstd."""
    request = client.build_request(method, url, content=content, headers=headers)
    sent = time.monotonic()
    out = _head_bytes(f"{method} {request.url.raw_path.decode()} HTTP/1.1", request.headers.raw)
    out += len(content or b"")
    try:
        response, raw = await _send_once_more_if_closed(client, request)
        body = _decoded(raw, response.headers.get("Content-Encoding", ""))
    except (httpx.HTTPError, ValueError, OSError, zlib.error, brotli.error, zstd.ZstdError) as exc:
        return Exchange(sent, time.monotonic(), 0, out, out, type(exc).__name__, out), ""
    answered = time.monotonic()
    head = _head_bytes(f"HTTP/1.1 {response.status_code} {response.reason_phrase}", response.headers.raw)
    exchange = Exchange(
        sent, answered, response.status_code, out + head + len(raw), out + head + len(body), request_bytes=out
    )
    return exchange, body.decode(response.encoding or "utf-8", errors="replace")


async def _send_once_more_if_closed(
    client: httpx.AsyncClient, request: httpx.Request
) -> tuple[httpx.Response, bytes]:
    """Send and read the body as sent; when the server had closed the kept-alive connection first, send
    again, as browsers do."""
    try:
        response = await client.send(request, stream=True)
    except httpx.RemoteProtocolError:
        response = await client.send(request, stream=True)
    try:
        return response, b"".join([chunk async for chunk in response.aiter_raw()])
    finally:
        await response.aclose()


def _decoded(raw: bytes, encoding: str) -> bytes:
    """`raw` uncompressed according to a Content-Encoding header."""
    for coding in reversed([c.strip().lower() for c in encoding.split(",") if c.strip()]):
        if coding == "gzip":
            raw = zlib.decompress(raw, 16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            raw = zlib.decompress(raw)
        elif coding == "br":
            raw = brotli.decompress(raw)
        elif coding == "zstd":
            raw = zstd.decompress(raw)
        elif coding != "identity":
            raise ValueError(f"an encoding the virtual TV does not undo: {coding}")
    return raw


def _head_bytes(first_line: str, headers: list[tuple[bytes, bytes]]) -> int:
    return len(first_line) + 2 + sum(len(k) + len(v) + 4 for k, v in headers) + 2


def _merge(first: Exchange, second: Exchange) -> Exchange:
    return Exchange(
        first.sent,
        second.answered,
        second.status,
        first.wire_bytes + second.wire_bytes,
        first.plain_bytes + second.plain_bytes,
        second.error,
        first.request_bytes + second.request_bytes,
    )


def _component_prop(layout: Any, component_id: str | dict[str, Any], prop: str) -> Any:
    """A property of the component with `component_id` in a serialized layout; None if absent."""
    stack = [layout]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and props.get("id") == component_id:
                return props.get(prop)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None
