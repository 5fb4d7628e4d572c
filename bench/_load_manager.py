"""One virtual manager: signs in to /manage and clicks through its tabs and an agent's page, as a browser.

Each click sends the callbacks the browser sends for it (the tab's figures and the URL), built from the
server's own ``/_dash-dependencies``; their exchanges are reported apart from the TVs' polls.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import httpx

from bench._load_tv import BROWSER_HEADERS, Exchange, send
from bench._serve import MANAGER, PASSWORD
from dashboard import ids

Values = dict[str, Any]


def _filters(day: date, metric: str, period: str, view: str, team: str | None = None) -> Values:
    return {
        f"{ids.MANAGE_METRIC}.value": metric,
        f"{ids.MANAGE_TEAM}.value": team,
        f"{ids.MANAGE_PERIOD}.value": period,
        f"{ids.MANAGE_DATE}.date": day.isoformat(),
        f"{ids.MANAGE_RANGE}.start_date": None,
        f"{ids.MANAGE_RANGE}.end_date": None,
        f"{ids.MANAGE_VIEW}.value": view,
    }


def clicks(day: date) -> list[tuple[list[str], Values]]:
    """The drill-down a manager clicks through: for each click, the callbacks' outputs and the values."""
    agent = {
        f"{ids.MANAGE_AGENT_PERIOD}.value": "month",
        f"{ids.MANAGE_AGENT_DATE}.date": day.isoformat(),
        f"{ids.MANAGE_AGENT_RANGE}.start_date": None,
        f"{ids.MANAGE_AGENT_RANGE}.end_date": None,
        f"{ids.MANAGE_AGENT_ID}.data": {"id": "agent-01"},
    }
    return [
        (["_pages_content"], {"_pages_location.pathname": "/manage", "_pages_location.search": ""}),
        ([ids.MANAGE_URL, ids.MANAGE_CARDS], _filters(day, "tickets_solved", "week", "overview")),
        ([ids.MANAGE_URL, ids.MANAGE_CARDS], _filters(day, "tickets_solved", "week", "overview", "Support")),
        ([ids.MANAGE_URL, ids.MANAGE_GRID], _filters(day, "csat", "month", "ranking")),
        ([ids.MANAGE_URL, ids.MANAGE_SAT_CHART], _filters(day, "nps", "month", "satisfaction")),
        ([ids.MANAGE_URL, ids.MANAGE_GOALS], _filters(day, "calls_handled", "week", "goals")),
        (
            ["_pages_content"],
            {"_pages_location.pathname": "/manage/agent/agent-01", "_pages_location.search": ""},
        ),
        ([ids.MANAGE_AGENT_URL, ids.MANAGE_AGENT_CARDS], agent),
    ]


class VirtualManager:
    """A signed-in manager's browser: its own cookies, and a Dash callback body per click."""

    def __init__(self, base_url: str, dependencies: list[dict[str, Any]], end_id: str) -> None:
        self.client = httpx.AsyncClient(base_url=base_url, timeout=30)
        self.dependencies = dependencies
        self.url = f"/_dash-update-component?endId={end_id}" if end_id else "/_dash-update-component"

    async def sign_in(self) -> bool:
        form = await self.client.get("/manage/login")
        token = re.search(r'name="csrf" value="([^"]+)"', form.text)
        answer = await self.client.post(
            "/manage/login",
            data={"username": MANAGER, "password": PASSWORD, "csrf": token.group(1) if token else ""},
        )
        return answer.status_code == 302

    async def click(self, outputs: list[str], values: Values) -> list[Exchange]:
        """Send the callbacks of one click, one after the other; return their exchanges."""
        done = []
        for output in outputs:
            body = json.dumps(self._body(output, values), separators=(",", ":")).encode()
            done.append((await send(self.client, "POST", self.url, body, BROWSER_HEADERS))[0])
        return done

    def _body(self, output: str, values: Values) -> dict[str, Any]:
        spec = next(d for d in self.dependencies if f"{output}." in d["output"])
        key = spec["output"]
        parts = [dict(zip(("id", "property"), p.rsplit(".", 1))) for p in key.strip(".").split("...")]
        changed = f"{spec['inputs'][0]['id']}.{spec['inputs'][0]['property']}"
        return {
            "output": key,
            "outputs": parts if key.startswith("..") else parts[0],
            "inputs": [{**d, "value": values.get(f"{d['id']}.{d['property']}")} for d in spec["inputs"]],
            "changedPropIds": [changed],
            "parsedChangedPropsIds": [changed],
            "state": [{**d, "value": values.get(f"{d['id']}.{d['property']}")} for d in spec["state"]],
        }

    async def close(self) -> None:
        await self.client.aclose()
