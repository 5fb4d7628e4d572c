"""HubSpot CRM: won deals from the deals search API, optional survey responses, owners for names and teams.

Search (``POST /crm/v3/objects/{deals|feedback_submissions}/search``) is sorted ascending on
``hs_lastmodifieddate`` with a ``GTE`` filter. Paging uses ``after``; before a page would pass the
10,000-result cap, the query restarts from the last ``hs_lastmodifieddate`` seen. When a stream is
read to its end, the next poll starts ``overlap_seconds`` before the newest value seen (HubSpot's
search index lags a little). Every property value arrives as a string.

Archived deals never appear in search results: each run lists ``GET /crm/v3/objects/deals?archived=true``
and retracts them. Owners (``GET /crm/v3/owners/``) give each owner id a name and a team (the primary one).

Events (``source`` = the connector name):
- ``deal:<id>``, ``deal_won`` with the amount as value, dated by ``closedate``, while
  ``hs_is_closed_won`` is ``"true"``; a deal that leaves Closed Won or is archived retracts it.
- ``feedback:<id>``, ``nps_response`` or ``csat_rating`` from survey responses (when ``feedback: true``).
  The survey property names are options because they are not confirmed in our API notes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import Field

from connectors.core.base import Connector, ConnectorOptions, Page, env_name_field
from connectors.core.cursor import Watermark
from connectors.core.http import ConnectorError
from connectors.core.records import parse_time
from kpi.model.events import Event

DEALS_SEARCH = "/crm/v3/objects/deals/search"
DEALS_LIST = "/crm/v3/objects/deals"
FEEDBACK_SEARCH = "/crm/v3/objects/feedback_submissions/search"
OWNERS = "/crm/v3/owners/"
MODIFIED = "hs_lastmodifieddate"
DEAL_PROPERTIES = [
    "dealname",
    "dealstage",
    "amount",
    "closedate",
    "hubspot_owner_id",
    "pipeline",
    "hs_is_closed_won",
    MODIFIED,
]


class HubSpotOptions(ConnectorOptions):
    """Options of the HubSpot connector."""

    token_env: str = env_name_field()
    page_size: int = Field(default=100, ge=1, le=200)
    result_cap: int = Field(default=10_000, ge=2, le=10_000)
    """HubSpot answers 400 past this many results of one query."""
    overlap_seconds: int = Field(default=300, ge=0)
    deals: bool = True
    archived_sweep: bool = True
    feedback: bool = False
    feedback_type_property: str = "hs_survey_type"
    feedback_value_property: str = "hs_response_value"
    feedback_owner_property: str = "hubspot_owner_id"
    csat_scale_max: float = Field(default=5.0, gt=0)
    """The highest CSAT answer in the portal's survey; answers are rescaled to 1–5."""


@dataclass(frozen=True)
class _Stream:
    name: str
    path: str
    properties: list[str]
    mapper: Callable[[Any], list[Event]]


class HubSpotDeals(Connector):
    """HubSpot deals → ``deal_won``; survey responses → ``nps_response`` / ``csat_rating``."""

    type_name = "hubspot"
    Options = HubSpotOptions
    options: HubSpotOptions
    default_base_url = "https://api.hubapi.com"
    default_rate_per_second = 4.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._owners: dict[str, tuple[str | None, str | None, str | None]] | None = None
        super().__init__(*args, **kwargs)

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secrets['token']}"}

    def watermark(self) -> Watermark:
        """Searches filter and sort on ``hs_lastmodifieddate``, written in epoch milliseconds."""
        return Watermark(f"properties.{MODIFIED}", self.options.overlap_seconds, "epoch_millis")

    def cursor_for(self, since: datetime) -> str:
        return json.dumps({stream.name: self._start(since) for stream in self._streams()}, sort_keys=True)

    def fetch(self, cursor: str | None) -> Iterator[Page]:
        state = json.loads(cursor or self.cursor_for(self.first_start()))
        self._owners = None
        for stream in self._streams():
            start = state.get(stream.name) or self._start(self.first_start())
            for page, position in self._search(stream, start):
                state[stream.name] = position
                page.next_cursor = json.dumps(state, sort_keys=True)
                yield page
        if self.options.deals and self.options.archived_sweep:
            yield from self._archived(json.dumps(state, sort_keys=True))

    def _start(self, since: datetime) -> dict[str, Any]:
        """A stream's position before its first page from `since`."""
        return {"since": int(self.watermark().render(since)), "after": None}

    def _streams(self) -> list[_Stream]:
        options = self.options
        streams = []
        if options.deals:
            streams.append(_Stream("deals", DEALS_SEARCH, DEAL_PROPERTIES, self._deal))
        if options.feedback:
            streams.append(
                _Stream(
                    "feedback",
                    FEEDBACK_SEARCH,
                    [
                        "hs_createdate",
                        MODIFIED,
                        options.feedback_type_property,
                        options.feedback_value_property,
                        options.feedback_owner_property,
                    ],
                    self._feedback,
                )
            )
        return streams

    def _search(self, stream: _Stream, position: dict[str, Any]) -> Iterator[tuple[Page, dict[str, Any]]]:
        mark = self.watermark()
        since, after = int(position["since"]), position.get("after")
        size = self.options.page_size
        high = mark.read(since)
        while True:
            body = {
                "filterGroups": [
                    {"filters": [{"propertyName": MODIFIED, "operator": "GTE", "value": str(since)}]}
                ],
                "sorts": [{"propertyName": MODIFIED, "direction": "ASCENDING"}],
                "properties": stream.properties,
                "limit": size,
                "after": after or "0",
            }
            answer = self.http.post_json(stream.path, body)
            results = answer.get("results") if isinstance(answer, dict) else None
            if not isinstance(results, list):
                raise ConnectorError(f"{self.name}: the {stream.name} search answer has no 'results' list")
            events, skipped = self.map_records(results, stream.mapper, lambda r: r.get("id"))
            high, newest = mark.advance(high, results)
            following = ((answer.get("paging") or {}).get("next") or {}).get("after")
            if following is None:
                resume = int(mark.render(mark.resume(high, floor=mark.read(since))))
                yield Page(events, None, skipped, len(results), newest), {"since": resume, "after": None}
                return
            if int(following) + size > self.options.result_cap:
                last = int(mark.render(high))
                if last <= since:
                    raise ConnectorError(
                        f"{self.name}: more than {self.options.result_cap} {stream.name} share "
                        f"{MODIFIED} = {since}; the search cap cannot be paged past"
                    )
                since, after = last, None
            else:
                after = str(following)
            yield Page(events, None, skipped, len(results), newest), {"since": since, "after": after}

    def _archived(self, cursor: str) -> Iterator[Page]:
        after: str | None = None
        while True:
            params: dict[str, Any] = {
                "archived": "true",
                "limit": self.options.page_size,
                "properties": MODIFIED,
            }
            if after:
                params["after"] = after
            answer = self.http.get_json(DEALS_LIST, params)
            results = answer.get("results") if isinstance(answer, dict) else None
            if not isinstance(results, list):
                raise ConnectorError(f"{self.name}: the archived deals answer has no 'results' list")
            events, skipped = self.map_records(results, self._archived_deal, lambda r: r.get("id"))
            yield Page(events, cursor, skipped, len(results))
            after = ((answer.get("paging") or {}).get("next") or {}).get("after")
            if not after:
                return

    def _archived_deal(self, record: dict[str, Any]) -> list[Event]:
        when = parse_time(record.get("archivedAt") or record["updatedAt"])
        return [self.retraction(f"deal:{record['id']}", "deal_won", when)]

    def _deal(self, record: dict[str, Any]) -> list[Event]:
        deal_id, props = str(record["id"]), record["properties"]
        modified = parse_time(props[MODIFIED])
        if record.get("archived") or props.get("hs_is_closed_won") != "true":
            return [self.retraction(f"deal:{deal_id}", "deal_won", modified)]
        owner = props.get("hubspot_owner_id")
        if not owner:
            raise ValueError("a won deal without hubspot_owner_id cannot be credited")
        agent_id, name, team = self._agent(owner)
        closed = parse_time(props["closedate"]) if props.get("closedate") else modified
        return [
            self.event(
                id=f"deal:{deal_id}",
                type="deal_won",
                value=float(props.get("amount") or 0),
                occurred_at=closed,
                updated_at=modified,
                agent_id=agent_id,
                agent_name=name,
                team=team,
                attributes={"pipeline": props.get("pipeline")},
            )
        ]

    def _feedback(self, record: dict[str, Any]) -> list[Event]:
        options = self.options
        record_id, props = str(record["id"]), record["properties"]
        modified = parse_time(props[MODIFIED])
        kind = str(props.get(options.feedback_type_property) or "").upper()
        event_type = {"NPS": "nps_response", "CSAT": "csat_rating"}.get(kind)
        if event_type is None:
            return []
        if record.get("archived"):
            return [self.retraction(f"feedback:{record_id}", event_type, modified)]
        value = float(props[options.feedback_value_property])
        if event_type == "csat_rating":
            value = max(1.0, value * 5 / options.csat_scale_max)
        owner = props.get(options.feedback_owner_property)
        if not owner:
            raise ValueError(
                f"a survey response without {options.feedback_owner_property} cannot be credited"
            )
        agent_id, name, team = self._agent(owner)
        occurred = parse_time(props["hs_createdate"]) if props.get("hs_createdate") else modified
        return [
            self.event(
                id=f"feedback:{record_id}",
                type=event_type,
                value=value,
                occurred_at=occurred,
                updated_at=modified,
                agent_id=agent_id,
                agent_name=name,
                team=team,
            )
        ]

    def _agent(self, owner_id: str) -> tuple[str, str | None, str | None]:
        if self._owners is None:
            self._owners = self._load_owners()
        name, email, team = self._owners.get(str(owner_id), (None, None, None))
        return self.agents.resolve(str(owner_id), name=name, email=email, team=team)

    def _load_owners(self) -> dict[str, tuple[str | None, str | None, str | None]]:
        owners: dict[str, tuple[str | None, str | None, str | None]] = {}
        after: str | None = None
        while True:
            params: dict[str, Any] = {"limit": 100}
            if after:
                params["after"] = after
            answer = self.http.get_json(OWNERS, params)
            for owner in answer.get("results") or []:
                if not isinstance(owner, dict) or "id" not in owner:
                    continue
                name = " ".join(p for p in (owner.get("firstName"), owner.get("lastName")) if p) or None
                teams = [t for t in owner.get("teams") or [] if isinstance(t, dict)]
                primary = next((t for t in teams if t.get("primary")), teams[0] if teams else {})
                owners[str(owner["id"])] = (name, owner.get("email"), primary.get("name"))
            after = ((answer.get("paging") or {}).get("next") or {}).get("after")
            if not after:
                return owners
