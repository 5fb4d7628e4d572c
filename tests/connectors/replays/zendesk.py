"""The Zendesk incremental ticket export: three pages (one empty), an edit, a delete, a malformed ticket.

Ticket 1 is solved again after a reopen with a breached SLA (its points are taken back, less 5 for the
breach, and its rating earns nothing); ticket 4 is urgent, old, solved on first contact and rated good.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from werkzeug import Request

from connectors.testing import Answer, Expected, Replay, ReplayScenario
from connectors.vendors.zendesk import EXPORT_PATH, ZendeskOptions, ZendeskTickets

TOKEN = "zd-secret-token-123"
MONTH = "2026-11"
START = date(2026, 11, 1)

USERS = [
    {"id": 501, "name": "Ada Agent", "email": "ada@acme.test", "role": "agent", "default_group_id": 11},
    {"id": 502, "name": "Bo Agent", "email": "bo@acme.test", "role": "agent", "default_group_id": 12},
    {"id": 503, "name": "Cy Agent", "email": "cy@acme.test", "role": "agent", "default_group_id": 11},
]
GROUPS = [{"id": 11, "name": "Tier 1"}, {"id": 12, "name": "Tier 2"}]


def ticket(
    ticket_id: int,
    status: str,
    assignee: int | None,
    updated: str,
    score: str = "unoffered",
    priority: str | None = "normal",
    created: str = "2026-11-01T08:00:00Z",
) -> dict:
    return {
        "id": ticket_id,
        "status": status,
        "assignee_id": assignee,
        "group_id": 11,
        "requester_id": 9000,
        "subject": f"Ticket {ticket_id}",
        "priority": priority,
        "type": "incident",
        "tags": [],
        "satisfaction_rating": {"id": 7000 + ticket_id, "score": score, "comment": ""},
        "created_at": created,
        "updated_at": updated,
    }


def metric(
    ticket_id: int,
    solved_at: str | None,
    reply: int,
    resolution: int,
    reopens: int = 0,
    replies: int = 2,
    breached: bool | None = None,
) -> dict:
    """A ticket's metric set; `breached` adds the SLA flag to its reply time, as SLA-enabled accounts do."""
    reply_time: dict[str, Any] = {"calendar": reply, "business": reply}
    if breached is not None:
        reply_time["breached"] = breached
    return {
        "id": 100 + ticket_id,
        "ticket_id": ticket_id,
        "solved_at": solved_at,
        "reply_time_in_minutes": reply_time,
        "first_resolution_time_in_minutes": {"calendar": resolution, "business": resolution},
        "full_resolution_time_in_minutes": {"calendar": resolution, "business": resolution},
        "reopens": reopens,
        "replies": replies,
    }


def export(tickets: list[Any], after: str, end: bool, metrics: list[dict] | None = None) -> Answer:
    return Answer(
        {
            "tickets": tickets,
            "users": USERS,
            "groups": GROUPS,
            "metric_sets": metrics or [],
            "after_url": f"https://acme.zendesk.com{EXPORT_PATH}?cursor={after}",
            "after_cursor": after,
            "before_url": None,
            "before_cursor": None,
            "end_of_stream": end,
        }
    )


PAGE_1 = export(
    [
        ticket(1, "solved", 501, "2026-11-02T10:00:00Z", "good"),
        ticket(2, "solved", 502, "2026-11-02T11:00:00Z", "bad"),
        ticket(3, "open", 503, "2026-11-02T12:00:00Z"),
    ],
    "c1",
    False,
    [metric(1, "2026-11-02T09:55:00Z", 30, 115), metric(2, "2026-11-02T10:50:00Z", 10, 60)],
)
EMPTY_PAGE = export([], "c2", False)
PAGE_3 = export(
    [
        ticket(1, "solved", 503, "2026-11-03T09:00:00Z", "good", priority="high"),
        ticket(2, "deleted", 502, "2026-11-03T10:00:00Z", "bad"),
        ticket(4, "closed", 501, "2026-11-03T11:00:00Z", "good", "urgent", "2026-10-10T08:00:00Z"),
        {"id": 5, "status": "solved", "assignee_id": 501, "updated_at": "last tuesday"},
    ],
    "c3",
    True,
    [
        metric(1, "2026-11-02T09:55:00Z", 30, 115, reopens=1, breached=True),
        metric(4, "2026-11-03T10:30:00Z", 5, 20, replies=1),
    ],
)
NOTHING_NEW = export([], "c3", True)


def request_key(request: Request) -> str:
    if "cursor" in request.args:
        return f"cursor={request.args['cursor']}"
    return "start"


class ZendeskReplay(ReplayScenario):
    """The export with three pages (one empty), an edit, a delete and a malformed ticket."""

    type_name = "zendesk"
    secret = TOKEN
    start = datetime(2026, 11, 1, tzinfo=UTC)
    expected = Expected(
        month=MONTH,
        figures={
            "tickets_solved": {"zendesk:501": (1, 0, 0, 0), "zendesk:503": (1, 0, 0, 0)},
            "csat": {"zendesk:501": (1, 5000, 0, 0), "zendesk:503": (1, 5000, 0, 0)},
            "tickets_reopened": {"zendesk:503": (1, 0, 0, 0)},
            # 501: urgent 10 × 3 + first contact 5 + backlog 10, and the good rating's 15 → 60.
            # 503: reopened (take-back) with a breached SLA → −5; its rating earns nothing.
            "points": {"zendesk:501": (2, 60_000, 0, 0), "zendesk:503": (1, -5_000, 0, 0)},
        },
        skipped=[("5", "not a timestamp: 'last tuesday'")],
        pages=3,
    )

    def serve(self) -> None:
        self.feed = Replay(self.server, EXPORT_PATH, request_key)
        self.feed.add("start", PAGE_1)
        self.feed.add("cursor=c1", EMPTY_PAGE)
        self.feed.add("cursor=c2", PAGE_3)
        self.feed.add("cursor=c3", NOTHING_NEW)

    def connector(self, sleep: Callable[[float], None]) -> ZendeskTickets:
        options = ZendeskOptions(
            base_url=self.server.url_for(""),
            email="bot@acme.test",
            token_env="ZD_TOKEN",
            start=START,
            retry_attempts=3,
        )
        return ZendeskTickets("zendesk", options, {"token": TOKEN}, sleep=sleep)

    def inject(self, *answers: Answer) -> None:
        self.feed.set("cursor=c2", *answers, PAGE_3)

    def refuse_first(self, answer: Answer) -> None:
        self.feed.set("start", answer)

    def server_error(self) -> Answer:
        return Answer({"error": "InternalError"}, 500)

    def auth_error(self, message: str) -> Answer:
        return Answer({"error": message}, 401)
