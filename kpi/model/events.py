"""The canonical event: the one shape in which every KPI record enters Wallboard."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kpi.model.validation import problems

BUILTIN_TYPES: frozenset[str] = frozenset(
    {"deal_won", "ticket_solved", "call_handled", "csat_rating", "nps_response"}
)
"""Event types Wallboard knows without configuration."""

VALUE_DECIMALS = 3
"""Values are kept to this many decimal places so that sums add and subtract exactly."""

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class Event(BaseModel):
    """One KPI record from a source, identified by ``(source, id)``.

    A record may be sent many times; its ``updated_at`` (else ``occurred_at``) orders the versions.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    source: str = Field(pattern=r"^[a-z0-9_-]{1,64}$")
    id: str = Field(min_length=1, max_length=256)
    type: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    agent_id: str = Field(min_length=1, max_length=256)
    agent_name: str | None = Field(default=None, max_length=256)
    team: str | None = Field(default=None, min_length=1, max_length=128)
    value: float = Field(default=1.0, allow_inf_nan=False)
    occurred_at: datetime
    updated_at: datetime | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)
    deleted: bool = False

    @field_validator("id", "agent_id", "agent_name", "team")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        # Control characters would break the store's tab/newline-separated contribution records.
        if value is not None and _CONTROL.search(value):
            raise ValueError("must not contain control characters (tabs, newlines, …)")
        return value

    @field_validator("occurred_at", "updated_at", mode="before")
    @classmethod
    def _is_text(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, (str, datetime)):
            raise ValueError("must be an RFC 3339 string, e.g. 2026-11-24T09:30:00+01:00")
        return value

    @field_validator("occurred_at", "updated_at")
    @classmethod
    def _needs_offset(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.utcoffset() is None:
            raise ValueError("must be RFC 3339 with a time zone offset, e.g. 2026-11-24T09:30:00+01:00")
        if value is not None and value.year < 2000:
            raise ValueError("must be in the year 2000 or later")
        return value

    @field_validator("value")
    @classmethod
    def _bounded(cls, value: float) -> float:
        if abs(value) >= 1e11:
            raise ValueError("must be smaller than 1e11 in magnitude")
        return value

    @model_validator(mode="after")
    def _score_in_range(self) -> Event:
        """Check the value as sent (so that 0.9999 is no CSAT score), then keep it to VALUE_DECIMALS."""
        self._check_score()
        object.__setattr__(self, "value", round(self.value, VALUE_DECIMALS))  # frozen, but not yet shared
        return self

    def _check_score(self) -> None:
        if self.deleted:
            return
        if self.type == "csat_rating" and not (1 <= self.value <= 5):
            raise ValueError("value: a csat_rating is a score from 1 to 5")
        if self.type == "nps_response" and (self.value not in range(0, 11)):
            raise ValueError("value: an nps_response is a whole score from 0 to 10")
        if self.type in ("call_handled", "deal_won", "ticket_solved") and self.value < 0:
            raise ValueError(f"value: a {self.type} value cannot be negative")

    @property
    def key(self) -> tuple[str, str]:
        """The record's identity."""
        return (self.source, self.id)

    @property
    def version(self) -> str:
        """A sortable string: later versions compare greater."""
        return version_of(self.updated_at or self.occurred_at)

    @property
    def content_hash(self) -> str:
        """A digest of everything that can change a figure or a label; equal digests are duplicates."""
        payload = self.model_dump(mode="json", exclude={"updated_at"})
        raw = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()

    def to_json(self) -> str:
        """Compact JSON, with unset optional fields left out."""
        return self.model_dump_json(exclude_none=True, exclude_defaults=False)


def stored_event(fields: dict[str, Any]) -> Event:
    """The event of `fields` (every field, in the model's order) that were validated when it was stored:
    what `Event.model_construct` gives, built without its per-field work (a rescore reads a million)."""
    event = Event.__new__(Event)
    object.__setattr__(event, "__dict__", fields)
    object.__setattr__(event, "__pydantic_fields_set__", _EVENT_FIELDS)
    object.__setattr__(event, "__pydantic_extra__", None)
    object.__setattr__(event, "__pydantic_private__", None)
    return event


_EVENT_FIELDS = frozenset(Event.model_fields)


def version_of(moment: datetime) -> str:
    """A fixed-width string of microseconds since 1970 that sorts like the moments it encodes."""
    delta = moment - _EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros:020d}"


class EventError(BaseModel):
    """Why one item of a batch was rejected."""

    index: int
    field: str
    reason: str


class BatchRejected(Exception):
    """A batch had invalid items; nothing of it may be written."""

    def __init__(self, errors: list[EventError]) -> None:
        super().__init__(
            f"{len(errors)} invalid item(s): "
            + "; ".join(f"#{e.index} {e.field}: {e.reason}" for e in errors[:5])
        )
        self.errors = errors


def _errors_of(index: int, exc: ValidationError) -> list[EventError]:
    found = []
    for field, message in problems(exc, "(event)"):
        if field == "(event)" and ": " in message:
            field, message = message.split(": ", 1)
        found.append(EventError(index=index, field=field, reason=message))
    return found


def parse_events(items: Iterable[Any], known_types: Iterable[str]) -> list[Event]:
    """Validate a whole batch; return its events or raise `BatchRejected` listing every bad item.

    Args:
        items: decoded JSON values, one per event.
        known_types: the event types that a configured metric refers to (plus the built-in ones).
    """
    allowed = frozenset(known_types) | BUILTIN_TYPES
    events: list[Event] = []
    errors: list[EventError] = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            what = "a line that is not valid JSON" if isinstance(item, str) else type(item).__name__
            errors.append(
                EventError(index=index, field="(event)", reason=f"must be a JSON object, not {what}")
            )
            continue
        try:
            event = Event.model_validate(item)
        except ValidationError as exc:
            errors.extend(_errors_of(index, exc))
            continue
        if event.type not in allowed:
            errors.append(
                EventError(
                    index=index,
                    field="type",
                    reason=f"unknown type {event.type!r}: no configured metric uses it",
                )
            )
            continue
        events.append(event)
    if errors:
        raise BatchRejected(errors)
    return events
