"""Aircall: answered calls from ``GET /v1/calls``, re-reading a trailing window because calls change.

The calls API has no changed-since filter, only a creation window (``from``/``to``, epoch seconds).
Each run reads calls created from ``trailing_hours`` before the previous run's start up to this run's
start, in ascending order, page by page (``meta.next_page_link``). A query returns at most 10,000
calls: before a page would pass that cap, the query restarts from the last ``started_at`` seen.
Rate limits come from ``X-AircallApi-Limit/-Remaining/-Reset`` (the reset is an epoch time): with no
requests remaining the client waits for the reset, and a 429 waits until it too.

Events (``source`` = the connector name): ``call:<id>``, ``call_handled`` for each finished call that
an agent answered, with the handle time (``ended_at - answered_at``, seconds) as value and the call's
``duration`` and ``wait_seconds`` (``answered_at - started_at``) as attributes. Aircall's API does not
report deleted calls (webhooks only), so nothing is retracted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
from pydantic import Field

from connectors.core.base import Connector, ConnectorOptions, Page, env_name_field
from connectors.core.cursor import Watermark
from connectors.core.http import ConnectorError
from connectors.core.records import parse_time
from kpi.model.events import Event

CALLS = "/v1/calls"


class AircallOptions(ConnectorOptions):
    """Options of the Aircall connector (Basic auth with an API id and token)."""

    api_id_env: str = env_name_field()
    api_token_env: str = env_name_field()
    per_page: int = Field(default=50, ge=1, le=50)
    trailing_hours: float = Field(default=24, ge=0)
    result_cap: int = Field(default=10_000, ge=2, le=10_000)


class AircallCalls(Connector):
    """Aircall calls → ``call_handled``."""

    type_name = "aircall"
    Options = AircallOptions
    options: AircallOptions
    default_base_url = "https://api.aircall.io"

    def make_client(self, **kwargs: Any):
        auth = httpx.BasicAuth(self.secrets["api_id"], self.secrets["api_token"])
        return super().make_client(auth=auth, wait_hint=self._wait_hint, **kwargs)

    def _wait_hint(self, response: httpx.Response) -> float | None:
        reset = response.headers.get("X-AircallApi-Reset")
        if reset is None or not reset.strip().isdigit():
            return None
        if response.status_code != 429 and response.headers.get("X-AircallApi-Remaining") != "0":
            return None
        return max(0.0, int(reset) - self.now().timestamp())

    def watermark(self) -> Watermark:
        """Calls are read by creation time, in epoch seconds, re-reading `trailing_hours` before the run."""
        return Watermark("started_at", self.options.trailing_hours * 3600, "epoch_seconds")

    def cursor_for(self, since: datetime) -> str:
        return json.dumps({"from": int(self.watermark().render(since))})

    def fetch(self, cursor: str | None) -> Iterator[Page]:
        state = json.loads(cursor or self.cursor_for(self.first_start()))
        mark = self.watermark()
        until = int(state.get("to") or mark.render(self.now()))
        start, page = int(state["from"]), int(state.get("page", 1))
        done_from = int(
            state.get("done_from") or mark.render(mark.resume(mark.read(until), mark.read(start)))
        )
        per_page = self.options.per_page
        while True:
            params = {"from": start, "to": until, "order": "asc", "per_page": per_page, "page": page}
            answer = self.http.get_json(CALLS, params)
            calls = answer.get("calls") if isinstance(answer, dict) else None
            if not isinstance(calls, list):
                raise ConnectorError(f"{self.name}: the calls answer has no 'calls' list")
            events, skipped = self.map_records(calls, self._call, lambda c: c.get("id"))
            newest = mark.newest(calls)
            more = bool((answer.get("meta") or {}).get("next_page_link")) and bool(calls)
            if not more:
                cursor = json.dumps({"from": min(done_from, until)})
                yield Page(events, cursor, skipped, len(calls), newest)
                return
            if page * per_page + per_page > self.options.result_cap:
                last = int(mark.render(newest)) if newest else start
                if last <= start:
                    raise ConnectorError(
                        f"{self.name}: more than {self.options.result_cap} calls started at "
                        f"{start}; the list cap cannot be paged past"
                    )
                start, page = last, 1
            else:
                page += 1
            cursor = json.dumps({"from": start, "to": until, "page": page, "done_from": done_from})
            yield Page(events, cursor, skipped, len(calls), newest)

    def _call(self, call: dict[str, Any]) -> list[Event]:
        call_id = call["id"]
        if not isinstance(call_id, int):
            raise TypeError(f"id: not a call id: {call_id!r}")
        started = parse_time(call["started_at"])
        answered, ended, user = call.get("answered_at"), call.get("ended_at"), call.get("user")
        if call.get("status") != "done" or answered is None or ended is None or not user:
            return []
        answered_at, ended_at = parse_time(answered), parse_time(ended)
        agent_id, name, team = self.agents.resolve(
            str(user["id"]), name=user.get("name"), email=user.get("email")
        )
        handle = (ended_at - answered_at).total_seconds()
        return [
            self.event(
                id=f"call:{call_id}",
                type="call_handled",
                value=handle,
                occurred_at=started,
                updated_at=ended_at,
                agent_id=agent_id,
                agent_name=name,
                team=team,
                attributes={
                    "duration": call.get("duration"),
                    "direction": call.get("direction"),
                    "wait_seconds": (answered_at - started).total_seconds(),
                },
            )
        ]
