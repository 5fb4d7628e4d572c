"""HubSpot deals search, owners and archived deals: four search pages, a restart at a cap of 4, an edit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request

from connectors.testing import Answer, Expected, Replay, ReplayScenario
from connectors.vendors.hubspot import (
    DEALS_LIST,
    DEALS_SEARCH,
    MODIFIED,
    OWNERS,
    HubSpotDeals,
    HubSpotOptions,
)

TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555"
MONTH = "2026-11"
JANE, KIM = "41629779", "41629780"


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp() * 1000)


START = ms("2026-11-01T00:00:00Z")
T4 = "2026-11-04T10:00:00.000Z"
T5 = "2026-11-05T10:00:00.000Z"


def deal(
    deal_id: str, won: bool, owner: str, amount: str, modified: str, closed: str = "2026-11-03T15:00:00Z"
) -> dict:
    return {
        "id": deal_id,
        "properties": {
            "amount": amount,
            "closedate": closed,
            "createdate": "2026-10-11T09:12:44.012Z",
            "dealname": f"Deal {deal_id}",
            "dealstage": "closedwon" if won else "contractsent",
            "hs_is_closed_won": "true" if won else "false",
            MODIFIED: modified,
            "hs_object_id": deal_id,
            "hubspot_owner_id": owner,
            "pipeline": "default",
        },
        "createdAt": "2026-10-11T09:12:44.012Z",
        "updatedAt": modified,
        "archived": False,
    }


def search(results: list[Any], after: str | None = None) -> Answer:
    body: dict[str, Any] = {"total": len(results), "results": results}
    if after:
        body["paging"] = {"next": {"after": after, "link": "https://api.hubapi.com/..."}}
    return Answer(body)


def owner(owner_id: str, first: str, last: str, user_id: int, team: tuple[str, str]) -> dict[str, Any]:
    return {
        "id": owner_id,
        "email": f"{first.lower()}@acme.test",
        "type": "PERSON",
        "firstName": first,
        "lastName": last,
        "userId": user_id,
        "userIdIncludingInactive": user_id,
        "createdAt": "2019-12-25T13:01:35.228Z",
        "updatedAt": "2023-08-22T13:40:26.790Z",
        "archived": False,
        "teams": [{"id": team[0], "name": team[1], "primary": True}],
    }


OWNERS_AFTER = "MjAyNC0wMS0wMVQwMDowMDowMFo6MTIzNDU="
OWNER_PAGES = [
    Answer(
        {
            "results": [owner(JANE, "Jane", "Rep", 9586504, ("178588", "West Coast Sales"))],
            "paging": {"next": {"after": OWNERS_AFTER, "link": "..."}},
        }
    ),
    Answer({"results": [owner(KIM, "Kim", "Closer", 9586505, ("178589", "East Coast Sales"))]}),
]
MALFORMED = deal("904", True, KIM, "lots", T4)
PAGES = {
    f"{START}/0": search(
        [
            deal("901", True, JANE, "12500", "2026-11-02T10:00:00.000Z"),
            deal("902", False, KIM, "900", "2026-11-02T11:00:00.000Z"),
        ],
        after="2",
    ),
    f"{START}/2": search(
        [deal("903", True, KIM, "800.50", "2026-11-03T10:00:00.000Z"), MALFORMED], after="4"
    ),
    f"{ms(T4)}/0": search([MALFORMED, deal("901", True, JANE, "15000", T5)], after="2"),
    f"{ms(T4)}/2": search([]),
    f"{ms(T5) - 300_000}/0": search([deal("901", True, JANE, "15000", T5)]),
}
ARCHIVED = Answer(
    {
        "results": [
            {
                "id": "903",
                "properties": {MODIFIED: "2026-11-03T10:00:00.000Z"},
                "createdAt": "2026-10-11T09:12:44.012Z",
                "updatedAt": "2026-11-06T08:00:00.000Z",
                "archived": True,
                "archivedAt": "2026-11-06T08:00:00.000Z",
            }
        ]
    }
)


def search_key(request: Request) -> str:
    body = request.get_json()
    return f"{body['filterGroups'][0]['filters'][0]['value']}/{body['after']}"


def make(server: HTTPServer, sleep: Callable[[float], None], **options: Any) -> HubSpotDeals:
    """A HubSpot connector on `server`, pages of 2 and a result cap of 4, with `options` on top."""
    settings = {
        "base_url": server.url_for(""),
        "token_env": "HUBSPOT_TOKEN",
        "start": date(2026, 11, 1),
        "page_size": 2,
        "result_cap": 4,
        "retry_attempts": 3,
        **options,
    }
    return HubSpotDeals("hubspot", HubSpotOptions(**settings), {"token": TOKEN}, sleep=sleep)


class HubSpotReplay(ReplayScenario):
    """Four search pages (the last empty) with a restart at a cap of 4, an edit, a malformed deal."""

    type_name = "hubspot"
    secret = TOKEN
    start = datetime(2026, 11, 1, tzinfo=UTC)
    expected = Expected(
        month=MONTH,
        figures={"revenue": {f"hubspot:{JANE}": (1, 15_000_000, 0, 0)}},
        skipped=[("904", "could not convert string to float: 'lots'")] * 2,
        pages=5,
    )

    def serve(self) -> None:
        self.deals = Replay(self.server, DEALS_SEARCH, search_key, method="POST")
        for key, answer in PAGES.items():
            self.deals.add(key, answer)
        self.owners = Replay(self.server, OWNERS, lambda r: r.args.get("after", "first"))
        self.owners.add("first", OWNER_PAGES[0])
        self.owners.add(OWNERS_AFTER, OWNER_PAGES[1])
        self.archived = Replay(self.server, DEALS_LIST, lambda r: r.args.get("archived", ""))
        self.archived.add("true", ARCHIVED)

    def connector(self, sleep: Callable[[float], None]) -> HubSpotDeals:
        return make(self.server, sleep)

    def inject(self, *answers: Answer) -> None:
        self.deals.set(f"{START}/2", *answers, PAGES[f"{START}/2"])

    def refuse_first(self, answer: Answer) -> None:
        self.deals.set(f"{START}/0", answer)

    def server_error(self) -> Answer:
        return Answer("upstream failure", 502)

    def rate_limited(self, seconds: int) -> Answer:
        return Answer(
            {
                "status": "error",
                "message": "You have reached your ten secondly limit.",
                "errorType": "RATE_LIMIT",
                "policyName": "TEN_SECONDLY_ROLLING",
            },
            429,
            {"Retry-After": str(seconds)},
        )

    def auth_error(self, message: str) -> Answer:
        return Answer({"status": "error", "message": message, "category": "INVALID_AUTHENTICATION"}, 401)
