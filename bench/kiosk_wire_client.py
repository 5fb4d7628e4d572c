"""A TV's requests replayed over HTTP with Flask's test client, counting the bytes each way."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from typing import Any

import brotli

from dashboard.services.kiosk.wire import PATCH, on_screen, poll_url, seen_after
from tests.kiosk.dash_client import find_store

BROWSER = {"Accept-Encoding": "gzip, deflate, br"}


@dataclass
class Exchange:
    """One request and its answer: sizes in bytes, and each view body it carried by view type."""

    request_body: int
    request_head: int
    raw: int
    """The response body before compression."""
    sent: int
    """The response body as it travelled."""
    head: int
    """The response's status line and headers."""
    views: list[tuple[str, int]] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    indexes: list[int] = field(default_factory=list)
    """The views it carried."""


def _decoded(response: Any) -> bytes:  # noqa: ANN401 - a werkzeug response
    data = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "gzip":
        return gzip.decompress(data)
    if encoding == "br":
        return brotli.decompress(data)
    return data


def _head(response: Any) -> int:  # noqa: ANN401 - a werkzeug response
    return len(f"HTTP/1.1 {response.status}\r\n") + sum(len(f"{k}: {v}\r\n") for k, v in response.headers) + 2


def _kind(body: Any) -> str:  # noqa: ANN401 - JSON
    """A view's type from its top element's first class (wb-podium, wb-nps, …)."""
    if isinstance(body, dict):
        return str(body.get("props", {}).get("className", "?")).split()[0]
    return "?"


class TvClient:
    """One TV showing one screen: opens the page, then polls with what it has seen.

    It rotates as kiosk.js does on a simulated clock (poll k at k poll intervals after the page opened) and
    says which view it shows (``w``); with `says_view` False it does not, and is sent every changed view.
    """

    def __init__(self, client: Any, screen: str, says_view: bool = True) -> None:  # noqa: ANN401
        self.client, self.screen, self.says_view = client, screen, says_view
        self.polls = 0
        self.interval = 3.0
        self.dependencies = client.get("/_dash-dependencies").get_json()
        self.meta: dict[str, Any] = {}
        self.seen: dict[str, Any] = {}
        self.view_types: list[str] = []

    def _post(self, body: dict[str, Any]) -> tuple[Exchange, dict[str, Any]]:
        text = json.dumps(body, separators=(",", ":"))
        response = self.client.post(
            "/_dash-update-component", data=text, content_type="application/json", headers=BROWSER
        )
        raw = _decoded(response)
        head = len("POST /_dash-update-component HTTP/1.1\r\n") + sum(
            len(f"{k}: {v}\r\n") for k, v in {**BROWSER, "Content-Type": "application/json"}.items()
        )
        exchange = Exchange(len(text), head, len(raw), len(response.get_data()), _head(response))
        return exchange, json.loads(raw)["response"]

    def open(self) -> Exchange:
        router = next(d for d in self.dependencies if "_pages_content" in d["output"])
        exchange, answer = self._post(
            {
                "output": router["output"],
                "outputs": [
                    {"id": "_pages_content", "property": "children"},
                    {"id": "_pages_store", "property": "data"},
                ],
                "inputs": [
                    dict(router["inputs"][0], value=f"/kiosk/{self.screen}"),
                    dict(router["inputs"][1], value=""),
                ],
                "changedPropIds": ["_pages_location.pathname"],
            }
        )
        layout = answer["_pages_content"]["children"]
        self.meta, self.seen = find_store(layout, "kiosk-meta"), find_store(layout, "kiosk-seen")
        self.view_types = [_kind(body) for body in _bodies(layout)]
        return exchange

    def poll(self) -> Exchange:
        """One poll as `kiosk.js` sends it: a GET whose query says what the TV has seen."""
        showing = on_screen(self.meta, self.polls * self.interval) if self.says_view else None
        self.polls += 1
        url = poll_url(self.meta, self.seen, showing)
        response = self.client.get(url, headers=BROWSER)
        raw = _decoded(response)
        head = len(f"GET {url} HTTP/1.1\r\n") + sum(len(f"{k}: {v}\r\n") for k, v in BROWSER.items())
        exchange = Exchange(0, head, len(raw), len(response.get_data()), _head(response))
        exchange.headers = list(response.headers.items())
        answer = json.loads(raw)
        self.seen = seen_after(self.seen, answer.get("s") or {})
        for index, body in answer.get("b", {}).items():
            exchange.indexes.append(int(index))
            kind = self.view_types[int(index)] + (" (patch)" if PATCH in body else "")
            exchange.views.append((kind, len(json.dumps(body, separators=(",", ":")))))
        return exchange


def _bodies(layout: Any) -> list[Any]:  # noqa: ANN401 - JSON
    """The children of each view body, in order."""
    found: list[Any] = []

    def walk(node: Any) -> None:  # noqa: ANN401 - JSON
        if isinstance(node, dict):
            props = node.get("props", {})
            if isinstance(props.get("id"), dict) and props["id"].get("type") == "kiosk-view-body":
                found.append(props.get("children"))
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(layout)
    return found
