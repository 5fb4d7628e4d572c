"""Zendesk Support: solved tickets and their satisfaction ratings, from the cursor-based incremental export.

``GET /api/v2/incremental/tickets/cursor.json`` starts with ``start_time`` (epoch seconds) and continues
with ``cursor=<after_cursor>`` until ``end_of_stream``; the last ``after_cursor`` is kept for the next
poll. Sideloads (``include=users,groups,metric_sets``) give agent names, teams (the agent's default
group) and reply/resolution times without extra calls.

Events (``source`` = the connector name):
- ``ticket:<id>``, ``ticket_solved`` while the ticket is solved or closed, credited to its assignee on
  the day it was solved; reopened or deleted tickets retract it. Attributes for the points rules:
  ``priority`` and ``created_at`` (the ticket's), ``reopened`` (its metric set counts ``reopens``),
  ``first_contact_resolution`` (solved with one agent reply and never reopened), ``sla_breached`` (a
  duration of its metric set flagged ``breached``, where SLA policies add the flag), and the reply and
  resolution times in minutes.
- ``csat:<id>``, ``csat_rating`` while the ticket carries a ``good`` or ``bad`` satisfaction rating
  (``good_score`` / ``bad_score``, default 5 and 1), dated like the ticket's solve, with ``ticket_id``
  naming the ticket's record (``ticket:<id>``) so that rating bonuses go to the ticket; a removed rating
  or a deleted ticket retracts it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from pydantic import Field

from connectors.core.base import Connector, ConnectorOptions, Page, env_name_field
from connectors.core.cursor import newest
from connectors.core.http import ConnectorError
from connectors.core.records import parse_time
from kpi.model.events import Event

EXPORT_PATH = "/api/v2/incremental/tickets/cursor.json"
SOLVED = ("solved", "closed")


class ZendeskOptions(ConnectorOptions):
    """Options of the Zendesk connector."""

    subdomain: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]*$")
    email: str | None = None
    """With an API token: the e-mail of its agent (Basic auth). Without: the token is an OAuth token."""
    token_env: str = env_name_field()
    per_page: int = Field(default=1000, ge=1, le=1000)
    good_score: float = Field(default=5.0, ge=1, le=5)
    bad_score: float = Field(default=1.0, ge=1, le=5)


class ZendeskTickets(Connector):
    """Zendesk tickets → ``ticket_solved`` and ``csat_rating``."""

    type_name = "zendesk"
    Options = ZendeskOptions
    options: ZendeskOptions
    default_rate_per_second = 10 / 60

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._users: dict[Any, dict[str, Any]] = {}
        self._groups: dict[Any, str] = {}
        super().__init__(*args, **kwargs)

    def base_url(self) -> str | None:
        if self.options.base_url:
            return self.options.base_url
        return f"https://{self.options.subdomain}.zendesk.com" if self.options.subdomain else None

    def auth_headers(self) -> dict[str, str]:
        token = self.secrets["token"]
        if self.options.email:
            pair = base64.b64encode(f"{self.options.email}/token:{token}".encode()).decode()
            return {"Authorization": f"Basic {pair}"}
        return {"Authorization": f"Bearer {token}"}

    def cursor_for(self, since: datetime) -> str:
        latest = self.now() - timedelta(minutes=1)
        return json.dumps({"start_time": int(min(since, latest).timestamp())})

    def fetch(self, cursor: str | None) -> Iterator[Page]:
        state = json.loads(cursor or self.cursor_for(self.first_start()))
        while True:
            params: dict[str, Any] = {
                "per_page": self.options.per_page,
                "include": "users,groups,metric_sets",
            }
            params.update(
                {"cursor": state["cursor"]} if "cursor" in state else {"start_time": state["start_time"]}
            )
            body = self.http.get_json(EXPORT_PATH, params)
            tickets = body.get("tickets") if isinstance(body, dict) else None
            if not isinstance(tickets, list):
                raise ConnectorError(f"{self.name}: the export answer has no 'tickets' list")
            self._learn(body)
            metrics = {m.get("ticket_id"): m for m in body.get("metric_sets") or [] if isinstance(m, dict)}
            events, skipped = self.map_records(
                tickets, partial(self._events, metrics=metrics), lambda t: t.get("id")
            )
            after = body.get("after_cursor")
            next_cursor = json.dumps({"cursor": after}) if after else None
            yield Page(events, next_cursor, skipped, len(tickets), newest(tickets, "updated_at"))
            if body.get("end_of_stream") or not after:
                return
            state = {"cursor": after}

    def _learn(self, body: dict[str, Any]) -> None:
        for group in body.get("groups") or []:
            if isinstance(group, dict) and "id" in group:
                self._groups[group["id"]] = group.get("name")
        for user in body.get("users") or []:
            if isinstance(user, dict) and "id" in user:
                self._users[user["id"]] = user

    def _agent(self, user_id: Any) -> tuple[str, str | None, str | None]:
        user = self._users.get(user_id, {})
        team = self._groups.get(user.get("default_group_id"))
        return self.agents.resolve(str(user_id), name=user.get("name"), email=user.get("email"), team=team)

    def _events(self, ticket: dict[str, Any], metrics: dict[Any, dict[str, Any]]) -> list[Event]:
        ticket_id = ticket["id"]
        if not isinstance(ticket_id, int):
            raise TypeError(f"id: not a ticket id: {ticket_id!r}")
        status = ticket["status"]
        updated = parse_time(ticket["updated_at"])
        assignee = ticket.get("assignee_id")
        agent_id, name, team = self._agent(assignee) if assignee is not None else ("-", None, None)
        if status == "deleted":
            return [
                self.retraction(f"ticket:{ticket_id}", "ticket_solved", updated, agent_id),
                self.retraction(f"csat:{ticket_id}", "csat_rating", updated, agent_id),
            ]
        metric = metrics.get(ticket_id) or {}
        solved_at = parse_time(metric["solved_at"]) if metric.get("solved_at") else updated
        who = {"agent_id": agent_id, "agent_name": name, "team": team}
        events = []
        if status in SOLVED and assignee is not None:
            events.append(
                self.event(
                    id=f"ticket:{ticket_id}",
                    type="ticket_solved",
                    value=1,
                    occurred_at=solved_at,
                    updated_at=updated,
                    attributes=_ticket_attributes(ticket, metric),
                    **who,
                )
            )
        elif status in SOLVED:
            raise ValueError("a solved ticket without an assignee cannot be credited")
        else:
            events.append(self.retraction(f"ticket:{ticket_id}", "ticket_solved", updated, agent_id))
        score = (ticket.get("satisfaction_rating") or {}).get("score")
        if score in ("good", "bad") and assignee is not None:
            value = self.options.good_score if score == "good" else self.options.bad_score
            events.append(
                self.event(
                    id=f"csat:{ticket_id}",
                    type="csat_rating",
                    value=value,
                    occurred_at=solved_at,
                    updated_at=updated,
                    attributes={"score": score, "ticket_id": f"ticket:{ticket_id}"},
                    **who,
                )
            )
        else:
            events.append(self.retraction(f"csat:{ticket_id}", "csat_rating", updated, agent_id))
        return events


DURATIONS = (
    ("reply_time_in_minutes", "reply_time_minutes"),
    ("first_resolution_time_in_minutes", "first_resolution_minutes"),
    ("full_resolution_time_in_minutes", "full_resolution_minutes"),
)


def _ticket_attributes(ticket: dict[str, Any], metric: dict[str, Any]) -> dict[str, Any]:
    """What the points rules read of a solved ticket, from the ticket and its metric set."""
    found: dict[str, Any] = {}
    if isinstance(ticket.get("priority"), str):
        found["priority"] = ticket["priority"]
    if ticket.get("created_at"):
        found["created_at"] = parse_time(ticket["created_at"]).isoformat()
    reopens, replies = metric.get("reopens"), metric.get("replies")
    if isinstance(reopens, int):
        found["reopened"] = reopens > 0
        if isinstance(replies, int):
            found["first_contact_resolution"] = reopens == 0 and replies == 1
    durations = [metric.get(field) or {} for field, _ in DURATIONS]
    if any("breached" in duration for duration in durations):
        found["sla_breached"] = any(duration.get("breached") is True for duration in durations)
    for duration, (_, name) in zip(durations, DURATIONS):
        value = duration.get("calendar")
        if isinstance(value, (int, float)):
            found[name] = value
    return found
