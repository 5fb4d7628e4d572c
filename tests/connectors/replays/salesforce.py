"""Salesforce `queryAll`: three batches (one empty) via `nextRecordsUrl`, a delete, a malformed date."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from werkzeug import Request

from connectors.testing import Answer, Expected, Replay, ReplayScenario
from connectors.vendors.salesforce import SalesforceOpportunities, SalesforceOptions

TOKEN = "00D5g000004Xyz!AQ0AQH0dMHZfz972Szmpkb58urFRkgeBGsxL"
API = "/services/data/v62.0"
MONTH = "2026-11"
JANE, KIM = "0055g00000XyZabAAB", "0055g00000XyZcdAAD"
NAMES = {JANE: "Jane Rep", KIM: "Kim Closer"}


def opportunity(
    oid: str,
    owner: str,
    won: bool,
    amount: float | None,
    modified: str,
    *,
    deleted: bool = False,
    close: str = "2026-11-03",
) -> dict[str, Any]:
    return {
        "attributes": {"type": "Opportunity", "url": f"{API}/sobjects/Opportunity/{oid}"},
        "Id": oid,
        "Name": f"Deal {oid}",
        "StageName": "Closed Won" if won else "Negotiation",
        "Amount": amount,
        "CloseDate": close,
        "IsClosed": won,
        "IsWon": won,
        "IsDeleted": deleted,
        "OwnerId": owner,
        "Owner": {
            "attributes": {"type": "User", "url": f"{API}/sobjects/User/{owner}"},
            "Name": NAMES[owner],
            "Email": f"{NAMES[owner].split()[0].lower()}@acme.test",
        },
        "SystemModstamp": modified,
    }


def batch(records: list[dict], next_url: str | None) -> Answer:
    body: dict[str, Any] = {"totalSize": 6, "done": next_url is None, "records": records}
    if next_url:
        body["nextRecordsUrl"] = next_url
    return Answer(body, headers={"Sforce-Limit-Info": "api-usage=18/100000"})


NOT_WON = opportunity("006A2", KIM, False, 900.0, "2026-11-02T11:00:00.000+0000")
BATCH_1 = batch(
    [opportunity("006A1", JANE, True, 12500.0, "2026-11-02T10:00:00.000+0000"), NOT_WON],
    f"{API}/query/01gA-2000",
)
BATCH_2 = batch([], f"{API}/query/01gA-4000")
LATER = [
    opportunity("006A1", JANE, True, 15000.0, "2026-11-04T10:00:00.000+0000"),
    opportunity("006A3", KIM, True, 500.0, "2026-11-04T11:00:00.000+0000", deleted=True),
    opportunity("006A4", KIM, True, 100.0, "2026-11-04T11:30:00.000+0000", close="soon"),
    opportunity("006A5", KIM, True, None, "2026-11-04T11:40:00.000+0000"),
    opportunity("006A6", KIM, True, 800.0, "2026-11-04T12:00:00.000+0000"),
]
BATCH_3 = batch(LATER, None)


def since_of(request: Request) -> str:
    found = re.search(r"SystemModstamp >= (\S+)", request.args["q"])
    return found.group(1) if found else "?"


class SalesforceReplay(ReplayScenario):
    """Three batches (the second empty), an edit, a delete, a null amount and a malformed close date."""

    type_name = "salesforce"
    secret = TOKEN
    start = datetime(2026, 11, 1, tzinfo=UTC)
    expected = Expected(
        month=MONTH,
        figures={
            "revenue": {f"salesforce:{JANE}": (1, 15_000_000, 0, 0), f"salesforce:{KIM}": (2, 800_000, 0, 0)},
        },
        skipped=[("006A4", "Invalid isoformat string: 'soon'")],
        pages=3,
    )

    def serve(self) -> None:
        self.query = Replay(self.server, f"{API}/queryAll", since_of)
        self.query.add("2026-11-01T00:00:00Z", BATCH_1)
        self.query.add("2026-11-02T11:00:00Z", batch([NOT_WON, *LATER], None))
        self.query.add("2026-11-04T11:55:00Z", batch([LATER[-1]], None))
        self.batches: dict[str, Replay] = {}
        for locator, answer in (("01gA-2000", BATCH_2), ("01gA-4000", BATCH_3)):
            self.batches[locator] = Replay(self.server, f"{API}/query/{locator}", lambda r: "batch")
            self.batches[locator].add("batch", answer)

    def connector(self, sleep: Callable[[float], None]) -> SalesforceOpportunities:
        options = SalesforceOptions(
            base_url=self.server.url_for(""),
            token_env="SF_TOKEN",
            start=date(2026, 11, 1),
            timezone="Europe/Oslo",
            retry_attempts=3,
            agents={KIM: {"team": "Enterprise"}},
        )
        return SalesforceOpportunities("salesforce", options, {"token": TOKEN}, sleep=sleep)

    def inject(self, *answers: Answer) -> None:
        self.batches["01gA-4000"].set("batch", *answers, BATCH_3)

    def refuse_first(self, answer: Answer) -> None:
        self.query.set("2026-11-01T00:00:00Z", answer)

    def server_error(self) -> Answer:
        return Answer([{"errorCode": "SERVER_UNAVAILABLE"}], 503)

    def auth_error(self, message: str) -> Answer:
        return Answer([{"message": message, "errorCode": "INVALID_SESSION_ID"}], 401)
