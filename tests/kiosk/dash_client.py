"""Drive a Dash app's callbacks over HTTP with Flask's test client, as the browser would."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from flask.testing import FlaskClient

from dashboard.services.kiosk import wire
from dashboard.services.kiosk.wire import POLL_PATH

ROUTER = "_pages_content.children"


class DashClient:
    """Posts callback requests built from the app's own ``/_dash-dependencies``."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.dependencies = client.get("/_dash-dependencies").get_json()

    def _dependency(self, output_part: str) -> dict[str, Any]:
        return next(d for d in self.dependencies if output_part in d["output"])

    def call(
        self,
        output_part: str,
        inputs: list[Any],
        state: list[Any] | None = None,
        pattern_counts: dict[str, int] | None = None,
    ) -> tuple[int, bytes]:
        """POST one callback; `pattern_counts` says how many components an ALL output matches."""
        dependency = self._dependency(output_part)
        outputs = []
        for spec in _split_outputs(dependency["output"]):
            component, prop = spec.rsplit(".", 1)
            if component.startswith("{"):
                kind = json.loads(component)["type"]
                outputs.append(
                    [
                        {"id": {"index": i, "type": kind}, "property": prop}
                        for i in range(pattern_counts[kind])
                    ]
                )
            else:
                outputs.append({"id": component, "property": prop})
        body = {
            "output": dependency["output"],
            "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [dict(spec, value=value) for spec, value in zip(dependency["inputs"], inputs)],
            "state": [dict(spec, value=value) for spec, value in zip(dependency["state"], state or [])],
            "changedPropIds": [f"{dependency['inputs'][0]['id']}.{dependency['inputs'][0]['property']}"],
        }
        response = self.client.post("/_dash-update-component", json=body)
        return response.status_code, response.get_data()

    def page(self, url: str) -> tuple[int, bytes]:
        """The page layout Dash's router sends for `url` (path and query)."""
        parts = urlsplit(url)
        return self.call(ROUTER, [parts.path, f"?{parts.query}" if parts.query else ""])

    def poll(self, meta: dict[str, Any], seen: dict[str, Any], views: int) -> tuple[int, bytes]:
        """One kiosk poll, as `kiosk.js` on a TV showing `views` views sends it (a GET, no body)."""
        response = self.client.get(poll_url(meta, seen, views))
        return response.status_code, response.get_data()


def poll_url(meta: dict[str, Any], seen: dict[str, Any], views: int) -> str:
    """The poll's URL as `kiosk.js` builds it from the page's meta and seen stores, for `views` views."""
    page = {"poll": POLL_PATH + str(meta.get("screen")), **meta, "durations": [0] * views}
    return wire.poll_url(page, seen)


def _split_outputs(output: str) -> list[str]:
    if output.startswith("..") and output.endswith(".."):
        return [part for part in output[2:-2].split("...")]
    return [output]


def find_store(layout: Any, component_id: str) -> Any:
    """The `data` of the dcc.Store with `component_id` inside a serialized layout."""
    if isinstance(layout, dict):
        if layout.get("props", {}).get("id") == component_id:
            return layout["props"].get("data")
        for value in layout.values():
            found = find_store(value, component_id)
            if found is not None:
                return found
    elif isinstance(layout, list):
        for item in layout:
            found = find_store(item, component_id)
            if found is not None:
                return found
    return None
