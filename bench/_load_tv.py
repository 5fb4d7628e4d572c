"""One virtual TV: what the kiosk page in a browser sends and keeps, over HTTP, without a browser.

`VirtualTV.poll` (with `poll_body`) is the one place that knows the poll's wire format. It sends what
headless Chromium was seen to send (captured once, see bench/README.md): a POST to
``/_dash-update-component?endId=…`` whose JSON body names the poll callback's outputs (one view body per
view on the screen), its input (the Interval's ``n_intervals``) and its state (the ``kiosk-meta`` and
``kiosk-seen`` stores); the answer replaces ``kiosk-seen`` and a ``kiosk-reload`` makes the page load
again. Change it here, only here, when the poll's transport changes."""

from __future__ import annotations

import dataclasses
import json
import re
import time
from dataclasses import dataclass
from typing import Any

import httpx

from bench._serve import MARKER_ALIAS

ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."
POLL_INPUT = "kiosk-poll.n_intervals"
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
"""The headers Chromium sent with the captured poll (Host, Connection and Content-Length httpx adds)."""
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
        self.interval = 3.0
        self.ticks = 0
        self.end_id = ""
        self.marker: int | None = None
        """The marker agent's figure in the newest answer that showed it; None before any did."""
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
            self._note_marker(text)
        return _merge(page[0], routed)

    async def poll(self) -> Exchange:
        """One tick of the poll Interval, exactly as the kiosk page sends it today."""
        if self.must_load:
            return await self.load()
        self.ticks += 1
        exchange, text = await self._send(
            "POST", self._callback_url(), poll_body(self.meta, self.seen, self.views, self.ticks)
        )
        if exchange.status != 200:
            return exchange
        response = json.loads(text).get("response", {})
        self._take_answer(response)
        self._note_marker(text)
        if response.get("kiosk-pulse", {}).get("data", {}).get("ok") is False:
            return dataclasses.replace(exchange, error="200 with the store down (pulse ok: false)")
        return exchange

    def _callback_url(self) -> str:
        return f"/_dash-update-component?endId={self.end_id}" if self.end_id else "/_dash-update-component"

    def _take_layout(self, layout: Any) -> None:
        self.meta = _component_prop(layout, "kiosk-meta", "data") or {}
        self.seen = _component_prop(layout, "kiosk-seen", "data") or {}
        self.interval = (_component_prop(layout, "kiosk-poll", "interval") or 3000) / 1000
        self.views = len(self.meta.get("durations") or [])
        self.ticks, self.must_load = 0, False

    def _take_answer(self, response: dict[str, Any]) -> None:
        seen = response.get("kiosk-seen", {}).get("data")
        if isinstance(seen, dict):
            self.seen = seen
        if response.get("kiosk-reload", {}).get("data") is not None:
            self.must_load = True

    def _note_marker(self, text: str) -> None:
        """Keep the marker's figure from the first view in `text` that shows it (the ticket board)."""
        found = _MARKER.search(text)
        if found:
            self.marker = int(found.group(1))

    async def _send(self, method: str, url: str, body: dict[str, Any] | None) -> tuple[Exchange, str]:
        content = json.dumps(body, separators=(",", ":")).encode() if body is not None else None
        headers = {**BROWSER_HEADERS, "Referer": f"{self.client.base_url}{self.path}"}
        if body is not None:
            headers["Origin"] = str(self.client.base_url).rstrip("/")
        return await send(self.client, method, url, content, headers)


def poll_body(meta: dict[str, Any], seen: dict[str, Any], views: int, ticks: int) -> dict[str, Any]:
    """The JSON the kiosk page posts to ``/_dash-update-component`` on its poll tick.

    `meta` and `seen` are its ``kiosk-meta`` and ``kiosk-seen`` stores, `views` how many views the page has,
    `ticks` the poll Interval's ``n_intervals``.
    """
    bodies = [{"id": {"index": i, "type": VIEW_BODY}, "property": "children"} for i in range(views)]
    pattern = json.dumps({"index": ["ALL"], "type": VIEW_BODY}, separators=(",", ":"))
    return {
        "output": f"..kiosk-pulse.data...kiosk-seen.data...{pattern}.children..."
        "kiosk-celebration.data...kiosk-overlay-body.children...kiosk-reload.data..",
        "outputs": [
            {"id": "kiosk-pulse", "property": "data"},
            {"id": "kiosk-seen", "property": "data"},
            bodies,
            {"id": "kiosk-celebration", "property": "data"},
            {"id": "kiosk-overlay-body", "property": "children"},
            {"id": "kiosk-reload", "property": "data"},
        ],
        "inputs": [{"id": "kiosk-poll", "property": "n_intervals", "value": ticks}],
        "changedPropIds": [POLL_INPUT],
        "parsedChangedPropsIds": [POLL_INPUT],
        "state": [
            {"id": "kiosk-meta", "property": "data", "value": meta},
            {"id": "kiosk-seen", "property": "data", "value": seen},
        ],
    }


async def send(
    client: httpx.AsyncClient, method: str, url: str, content: bytes | None, headers: dict[str, str]
) -> tuple[Exchange, str]:
    """Send one request; count its bytes on the wire; never raise for a failed exchange."""
    request = client.build_request(method, url, content=content, headers=headers)
    sent = time.monotonic()
    out = _head_bytes(f"{method} {request.url.raw_path.decode()} HTTP/1.1", request.headers.raw)
    out += len(content or b"")
    try:
        response = await _send_once_more_if_closed(client, request)
    except httpx.HTTPError as exc:
        return Exchange(sent, time.monotonic(), 0, out, out, type(exc).__name__), ""
    answered = time.monotonic()
    head = _head_bytes(f"HTTP/1.1 {response.status_code} {response.reason_phrase}", response.headers.raw)
    wire = out + head + response.num_bytes_downloaded
    plain = out + head + len(response.content)
    return Exchange(sent, answered, response.status_code, wire, plain), response.text


async def _send_once_more_if_closed(client: httpx.AsyncClient, request: httpx.Request) -> httpx.Response:
    """Send; when the server had closed the kept-alive connection first, send again, as browsers do."""
    try:
        return await client.send(request)
    except httpx.RemoteProtocolError:
        return await client.send(request)


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
    )


def _component_prop(layout: Any, component_id: str, prop: str) -> Any:
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
