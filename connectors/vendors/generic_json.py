"""A configurable "JSON over HTTP" connector for in-house systems and survey tools.

Configured with a URL, an auth header, the JSON path of the records, a mapping from event fields to
record paths, and a watermark field. Each run asks for records changed since the watermark (minus
``overlap_seconds``) through ``watermark_param``, follows the pages (a next-page link at ``next_path``,
or a page number in ``page_param`` until an empty page), and saves the newest watermark seen. Unless
``sorted_by_watermark`` says the answer is in ascending watermark order, the watermark is saved only
after the last page, so a crash re-reads the whole window rather than skipping records.

Paths are dotted (``data.items``, ``agent.id``, ``answers.0.score``); an empty path is the document itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from connectors.core.base import Connector, ConnectorOptions, Page, env_name_field
from connectors.core.cursor import Watermark
from connectors.core.http import ConnectorError
from connectors.core.records import dig, parse_time
from kpi.model.events import Event


class FieldMap(BaseModel):
    """Where each event field is found in a record."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    agent_id: str
    occurred_at: str
    agent_name: str | None = None
    agent_email: str | None = None
    team: str | None = None
    value: str | None = None
    updated_at: str | None = None
    deleted: str | None = None
    attributes: dict[str, str] = Field(default_factory=dict)


class GenericJsonOptions(ConnectorOptions):
    """Options of the generic JSON connector."""

    base_url: str
    path: str = ""
    params: dict[str, str] = Field(default_factory=dict)
    token_env: str | None = env_name_field(default=None)
    auth_header: str = "Authorization"
    auth_prefix: str = "Bearer "
    records_path: str = ""
    event_type: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    fields: FieldMap
    watermark_field: str
    watermark_param: str
    watermark_format: Literal["iso", "epoch_seconds", "epoch_millis"] = "iso"
    overlap_seconds: int = Field(default=60, ge=0)
    sorted_by_watermark: bool = False
    next_path: str | None = None
    page_param: str | None = None
    max_pages: int = Field(default=10_000, ge=1)


def _maybe(document: Any, path: str | None) -> Any:
    if not path:
        return None
    try:
        return dig(document, path)
    except KeyError:
        return None


class GenericJson(Connector):
    """Any JSON list endpoint → events of one configured type."""

    type_name = "generic_json"
    Options = GenericJsonOptions
    options: GenericJsonOptions

    def auth_headers(self) -> dict[str, str]:
        token = self.secrets.get("token")
        return {self.options.auth_header: f"{self.options.auth_prefix}{token}"} if token else {}

    def watermark(self) -> Watermark:
        """The configured watermark field, overlap and time format."""
        options = self.options
        return Watermark(options.watermark_field, options.overlap_seconds, options.watermark_format)

    def cursor_for(self, since: datetime) -> str:
        return json.dumps({"watermark": since.isoformat(), "overlap": False})

    def fetch(self, cursor: str | None) -> Iterator[Page]:
        state = json.loads(cursor or self.cursor_for(self.first_start()))
        mark = self.watermark()
        high = parse_time(state["watermark"])
        start = mark.resume(high) if state.get("overlap", True) else high
        url: str | None = self.options.path
        params: dict[str, Any] | None = {
            **self.options.params,
            self.options.watermark_param: mark.render(start),
        }
        page_number = 1
        for _ in range(self.options.max_pages):
            if self.options.page_param:
                params = {**(params or {}), self.options.page_param: page_number}
            body = self.http.get_json(url or "", params)
            try:
                records = dig(body, self.options.records_path)
            except KeyError:
                raise ConnectorError(
                    f"{self.name}: the answer has nothing at {self.options.records_path!r}"
                ) from None
            if not isinstance(records, list):
                raise ConnectorError(f"{self.name}: the value at {self.options.records_path!r} is not a list")
            events, skipped = self.map_records(
                records, self._event, lambda r: _maybe(r, self.options.fields.id)
            )
            high, newest = mark.advance(high, records)
            url, params = self._next(body, records, url, params)
            saved = json.dumps({"watermark": high.isoformat(), "overlap": True})
            last = url is None
            yield Page(
                events,
                saved if last or self.options.sorted_by_watermark else None,
                skipped,
                len(records),
                newest,
            )
            if last:
                return
            page_number += 1
        raise ConnectorError(f"{self.name}: more than {self.options.max_pages} pages; raise max_pages")

    def _next(
        self, body: Any, records: list[Any], url: str | None, params: dict[str, Any] | None
    ) -> tuple[str | None, dict[str, Any] | None]:
        if self.options.next_path:
            link = _maybe(body, self.options.next_path)
            return (str(link), None) if link else (None, None)
        if self.options.page_param and records:
            return url or "", params
        return None, None

    def _event(self, record: Any) -> list[Event]:
        fields = self.options.fields
        record_id = str(dig(record, fields.id))
        occurred = parse_time(dig(record, fields.occurred_at))
        updated = parse_time(dig(record, fields.updated_at)) if fields.updated_at else None
        agent_id, name, team = self.agents.resolve(
            str(dig(record, fields.agent_id)),
            name=_maybe(record, fields.agent_name),
            email=_maybe(record, fields.agent_email),
            team=_maybe(record, fields.team),
        )
        if fields.deleted and _maybe(record, fields.deleted):
            return [self.retraction(record_id, self.options.event_type, updated or occurred, agent_id)]
        value = float(dig(record, fields.value)) if fields.value else 1.0
        attributes = {name: _maybe(record, path) for name, path in fields.attributes.items()}
        return [
            self.event(
                id=record_id,
                type=self.options.event_type,
                agent_id=agent_id,
                agent_name=name,
                team=team,
                value=value,
                occurred_at=occurred,
                updated_at=updated,
                attributes={k: v for k, v in attributes.items() if v is not None},
            )
        ]
