"""An in-house survey API read by the generic JSON connector: three linked pages (one empty), an edit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from werkzeug import Request

from connectors.testing import Answer, Expected, Replay, ReplayScenario
from connectors.vendors.generic_json import GenericJson, GenericJsonOptions

TOKEN = "survey-api-key-9876"
PATH = "/api/v1/responses"
MONTH = "2026-11"


def response(rid: int, agent: str, score: Any, updated: str, deleted: bool = False) -> dict:
    return {
        "response_id": rid,
        "score": score,
        "submitted": "2026-11-02T09:00:00+01:00",
        "modified": updated,
        "removed": deleted,
        "agent": {"login": agent, "display": agent.title(), "squad": "Tier 1"},
        "channel": "email",
    }


def page(items: list[dict], next_link: str | None) -> Answer:
    return Answer({"data": {"items": items}, "links": {"next": next_link}})


PAGE_1 = page(
    [response(1, "ada", 9, "2026-11-02T09:00:00Z"), response(2, "bo", 4, "2026-11-02T10:00:00Z")],
    f"{PATH}?cursor=p2",
)
PAGE_2 = page([], f"{PATH}?cursor=p3")
PAGE_3 = page(
    [
        response(1, "ada", 6, "2026-11-03T09:00:00Z"),
        response(2, "bo", 4, "2026-11-03T10:00:00Z", True),
        response(3, "cy", "ten", "2026-11-03T11:00:00Z"),
        response(4, "cy", 10, "2026-11-03T12:00:00Z"),
    ],
    None,
)
OPTIONS = {
    "path": PATH,
    "token_env": "SURVEY_KEY",
    "auth_header": "X-Api-Key",
    "auth_prefix": "",
    "records_path": "data.items",
    "event_type": "nps_response",
    "start": date(2026, 11, 1),
    "fields": {
        "id": "response_id",
        "agent_id": "agent.login",
        "agent_name": "agent.display",
        "team": "agent.squad",
        "value": "score",
        "occurred_at": "submitted",
        "updated_at": "modified",
        "deleted": "removed",
        "attributes": {"channel": "channel"},
    },
    "watermark_field": "modified",
    "watermark_param": "modified_since",
    "next_path": "links.next",
    "retry_attempts": 3,
}


def key(request: Request) -> str:
    return request.args.get("cursor") or f"since={request.args.get('modified_since')}"


class GenericJsonReplay(ReplayScenario):
    """NPS responses over three linked pages (the second empty): an edit, a removal, a malformed score."""

    type_name = "generic_json"
    secret = TOKEN
    start = datetime(2026, 11, 1, tzinfo=UTC)
    expected = Expected(
        month=MONTH,
        figures={"nps": {"survey:ada": (1, 0, 0, 1), "survey:cy": (1, 0, 1, 0)}},
        skipped=[("3", "could not convert string to float: 'ten'")],
        pages=3,
    )

    def serve(self) -> None:
        self.feed = Replay(self.server, PATH, key)
        self.feed.add("since=2026-11-01T00:00:00Z", PAGE_1)
        self.feed.add("p2", PAGE_2)
        self.feed.add("p3", PAGE_3)
        self.feed.add(
            "since=2026-11-03T11:59:00Z", page([response(4, "cy", 10, "2026-11-03T12:00:00Z")], None)
        )

    def connector(self, sleep: Callable[[float], None]) -> GenericJson:
        options = GenericJsonOptions.model_validate({"base_url": self.server.url_for(""), **OPTIONS})
        return GenericJson("survey", options, {"token": TOKEN}, sleep=sleep)

    def inject(self, *answers: Answer) -> None:
        self.feed.set("p3", *answers, PAGE_3)

    def refuse_first(self, answer: Answer) -> None:
        self.feed.set("since=2026-11-01T00:00:00Z", answer)

    def server_error(self) -> Answer:
        return Answer("oops", 500)

    def auth_error(self, message: str) -> Answer:
        return Answer({"error": message}, 403)
