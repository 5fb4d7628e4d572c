"""Salesforce: won opportunities from a SOQL query over the REST ``queryAll`` endpoint.

``GET /services/data/<version>/queryAll?q=SELECT ... WHERE SystemModstamp >= <since>
ORDER BY SystemModstamp ASC``
returns deleted opportunities too (``IsDeleted = true``); batches are followed through
``nextRecordsUrl`` until ``done``. After each batch the cursor moves to the last ``SystemModstamp``
seen (``>=`` re-reads that instant, harmlessly); when the query is done the next poll starts
``overlap_seconds`` earlier. The daily API cap answers **403 REQUEST_LIMIT_EXCEEDED**: the run stops
and the next scheduled run tries again; 401 (an expired session) stops the connector.

Events (``source`` = the connector name): ``opportunity:<Id>``, ``deal_won`` with ``Amount`` as value
while ``IsWon``, dated at noon of ``CloseDate`` in ``timezone``; an opportunity that leaves Closed Won or
is deleted retracts it. The agent is ``OwnerId`` named by ``Owner.Name``; teams come from ``agents``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from pydantic import Field, field_validator

from connectors.core.base import Connector, ConnectorOptions, Page, env_name_field
from connectors.core.cursor import Watermark
from connectors.core.http import ConnectorError, QuotaExhausted
from connectors.core.records import parse_time
from kpi.model.events import Event

FIELDS = (
    "Id, Name, StageName, Amount, CloseDate, IsClosed, IsWon, IsDeleted, OwnerId, Owner.Name, "
    "Owner.Email, SystemModstamp"
)


class SalesforceOptions(ConnectorOptions):
    """Options of the Salesforce connector (``base_url`` is the org's instance URL)."""

    base_url: str
    api_version: str = Field(default="v62.0", pattern=r"^v\d+\.\d$")
    token_env: str = env_name_field()
    batch_size: int = Field(default=2000, ge=200, le=2000)
    overlap_seconds: int = Field(default=300, ge=0)
    timezone: str = "UTC"
    """The zone in which a ``CloseDate`` (a plain date) is a day; use the office's."""

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        ZoneInfo(value)
        return value


def _limit_error(response: httpx.Response) -> Exception | None:
    if response.status_code != 403:
        return None
    try:
        codes = {item.get("errorCode") for item in response.json() if isinstance(item, dict)}
    except (ValueError, TypeError, AttributeError):
        return None
    if "REQUEST_LIMIT_EXCEEDED" in codes:
        return QuotaExhausted(
            "Salesforce: the org's daily API request limit is used up "
            "(403 REQUEST_LIMIT_EXCEEDED); the next scheduled run tries again"
        )
    return None


def soql_time(moment: datetime) -> str:
    """A SOQL datetime literal (seconds, UTC), rounded down."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SalesforceOpportunities(Connector):
    """Salesforce opportunities → ``deal_won``."""

    type_name = "salesforce"
    Options = SalesforceOptions
    options: SalesforceOptions

    def auth_headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.secrets['token']}",
            "Sforce-Query-Options": f"batchSize={self.options.batch_size}",
        }

    def make_client(self, **kwargs: Any):
        return super().make_client(error_hook=_limit_error, **kwargs)

    def cursor_for(self, since: datetime) -> str:
        return json.dumps({"since": since.astimezone(UTC).isoformat()})

    def fetch(self, cursor: str | None) -> Iterator[Page]:
        since = parse_time(json.loads(cursor or self.cursor_for(self.first_start()))["since"])
        query = (
            f"SELECT {FIELDS} FROM Opportunity WHERE SystemModstamp >= {soql_time(since)} "
            "ORDER BY SystemModstamp ASC"
        )
        url: str | None = f"/services/data/{self.options.api_version}/queryAll"
        params: dict[str, Any] | None = {"q": query}
        mark = Watermark("SystemModstamp", self.options.overlap_seconds)
        high = since
        while url:
            answer = self.http.get_json(url, params)
            records = answer.get("records") if isinstance(answer, dict) else None
            if not isinstance(records, list):
                raise ConnectorError(f"{self.name}: the query answer has no 'records' list")
            events, skipped = self.map_records(records, self._opportunity, lambda r: r.get("Id"))
            high, newest = mark.advance(high, records)
            done = bool(answer.get("done", True)) or not answer.get("nextRecordsUrl")
            saved = mark.resume(high, floor=since) if done else high
            yield Page(events, self.cursor_for(saved), skipped, len(records), newest)
            url, params = (None, None) if done else (str(answer["nextRecordsUrl"]), None)

    def _opportunity(self, record: dict[str, Any]) -> list[Event]:
        record_id = str(record["Id"])
        modified = parse_time(record["SystemModstamp"])
        owner_id = record.get("OwnerId")
        owner = record.get("Owner") or {}
        agent_id, name, team = self.agents.resolve(
            str(owner_id), name=owner.get("Name"), email=owner.get("Email")
        )
        if record.get("IsDeleted") or not record.get("IsWon"):
            return [self.retraction(f"opportunity:{record_id}", "deal_won", modified, agent_id)]
        if not owner_id:
            raise ValueError("a won opportunity without OwnerId cannot be credited")
        closed = datetime.combine(
            date.fromisoformat(record["CloseDate"]), time(12), ZoneInfo(self.options.timezone)
        )
        amount = record.get("Amount")
        return [
            self.event(
                id=f"opportunity:{record_id}",
                type="deal_won",
                value=float(amount) if amount is not None else 0.0,
                occurred_at=closed,
                updated_at=modified,
                agent_id=agent_id,
                agent_name=name,
                team=team,
                attributes={"stage": record.get("StageName")},
            )
        ]
