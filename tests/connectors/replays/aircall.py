"""Aircall ``GET /v1/calls``: four pages with a restart at a cap of 4, a reassigned call, a malformed one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from werkzeug import Request

from connectors.testing import Answer, Expected, Replay, ReplayScenario
from connectors.vendors.aircall import CALLS, AircallCalls, AircallOptions

API_ID, API_TOKEN = "b4f3c2a1d0e9", "aircall-token-0f1e2d3c4b5a"
NOW = datetime(2026, 11, 5, 12, tzinfo=UTC)
START = int(datetime(2026, 11, 1, tzinfo=UTC).timestamp())
T1 = int(datetime(2026, 11, 2, 9, tzinfo=UTC).timestamp())
T3 = int(datetime(2026, 11, 3, 9, tzinfo=UTC).timestamp())
T5 = int(datetime(2026, 11, 5, 9, tzinfo=UTC).timestamp())
DAY_BEFORE = int((NOW - timedelta(hours=24)).timestamp())
MONTH = "2026-11"
USERS = {
    456: ("Madelaine Dupont", "madelaine.dupont@acme.test"),
    457: ("Omar Haddad", "omar.haddad@acme.test"),
}


def call(call_id: int, started: Any, user: int | None, wait: int = 12, talk: int = 288) -> dict[str, Any]:
    answered = started + wait if user and isinstance(started, int) else None
    return {
        "id": call_id,
        "direct_link": f"https://api.aircall.io/v1/calls/{call_id}",
        "sid": f"CA{call_id:032x}",
        "direction": "inbound",
        "status": "done",
        "missed_call_reason": None if user else "short_abandoned",
        "started_at": started,
        "answered_at": answered,
        "ended_at": (answered + talk) if answered else (started + 30 if isinstance(started, int) else None),
        "duration": wait + talk if user else 30,
        "raw_digits": "+1 800-123-4567",
        "archived": False,
        "cost": "0",
        "voicemail": None,
        "recording": None,
        "user": {
            "id": user,
            "direct_link": f"https://api.aircall.io/v1/users/{user}",
            "name": USERS[user][0],
            "email": USERS[user][1],
            "available": True,
        }
        if user
        else None,
        "number": {
            "id": 123,
            "direct_link": "https://api.aircall.io/v1/numbers/123",
            "name": "Support line",
            "digits": "+33 1 76 36 06 95",
        },
        "assigned_to": None,
        "tags": [],
        "comments": [],
        "teams": [],
    }


def calls(items: list[dict], page: int, more: bool, total: int = 6) -> Answer:
    meta = {
        "count": len(items),
        "total": total,
        "current_page": page,
        "per_page": 2,
        "next_page_link": f"https://api.aircall.io/v1/calls?page={page + 1}&per_page=2" if more else None,
        "previous_page_link": None,
    }
    return Answer(
        {"calls": items, "meta": meta},
        headers={
            "X-AircallApi-Limit": "60",
            "X-AircallApi-Remaining": "59",
            "X-AircallApi-Reset": str(int(NOW.timestamp()) + 60),
        },
    )


PAGES = {
    f"{START}/1": calls([call(1, T1, 456), call(2, T1 + 600, None)], 1, True),
    f"{START}/2": calls([call(3, T3, 457), call(4, "yesterday", 457)], 2, True),
    f"{T3}/1": calls([call(3, T3, 456, talk=400), call(5, T5, 457, wait=30, talk=100)], 1, True),
    f"{T3}/2": calls([], 2, False),
    f"{DAY_BEFORE}/1": calls([call(5, T5, 457, wait=30, talk=100)], 1, False),
}


def key(request: Request) -> str:
    return f"{request.args['from']}/{request.args['page']}"


class AircallReplay(ReplayScenario):
    """Calls over four pages (the last empty), restarted at a cap of 4, one reassigned, one malformed."""

    type_name = "aircall"
    secret = API_TOKEN
    start = datetime(2026, 11, 1, tzinfo=UTC)
    expected = Expected(
        month=MONTH,
        figures={"avg_handle_time": {"aircall:456": (2, 688_000, 0, 0), "aircall:457": (1, 100_000, 0, 0)}},
        skipped=[("4", "not a timestamp: 'yesterday'")],
        pages=4,
    )

    def serve(self) -> None:
        self.feed = Replay(self.server, CALLS, key)
        for name, answer in PAGES.items():
            self.feed.add(name, answer)

    def connector(self, sleep: Callable[[float], None]) -> AircallCalls:
        options = AircallOptions(
            base_url=self.server.url_for(""),
            api_id_env="AIRCALL_ID",
            api_token_env="AIRCALL_TOKEN",
            start=date(2026, 11, 1),
            per_page=2,
            result_cap=4,
            retry_attempts=3,
        )
        secrets = {"api_id": API_ID, "api_token": API_TOKEN}
        return AircallCalls("aircall", options, secrets, sleep=sleep, now=lambda: NOW)

    def inject(self, *answers: Answer) -> None:
        self.feed.set(f"{START}/2", *answers, PAGES[f"{START}/2"])

    def refuse_first(self, answer: Answer) -> None:
        self.feed.set(f"{START}/1", answer)

    def server_error(self) -> Answer:
        return Answer("bad gateway", 502)

    def auth_error(self, message: str) -> Answer:
        return Answer({"error": "Unauthorized", "troubleshoot": message}, 401)
