"""The connector interface: given a stored cursor, yield pages of canonical events and the next cursor.

A connector knows one vendor (auth, endpoints, pagination, rate limits, field mapping) and nothing of
Redis. The runner (connectors/core/runner.py) stores each page's events and only then saves the page's
``next_cursor``, so a crash re-reads a page and never loses one; upserts make re-reading harmless.

Agents: an event's agent is the vendor's owner/user id, made unique across sources as
``<connector name>:<vendor id>``. The options' ``agents`` map (keyed by vendor id or e-mail) renames
an agent, names them and sets their team; with ``agent_identity: email`` the agent id is the person's
lower-cased e-mail address, so the same person in two sources becomes one agent.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from connectors.core.http import HttpClient, RetryPolicy
from kpi.model.events import Event
from kpi.model.validation import problems

ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
SECRET_WORDS = ("token", "password", "secret", "api_key", "api_token", "access_token", "client_secret")


@dataclass(frozen=True)
class Skipped:
    """A source record that could not be mapped, and why."""

    record_id: str
    reason: str


@dataclass
class Page:
    """One page of a source, mapped.

    Attributes:
        events: canonical events (retractions have ``deleted=True``).
        next_cursor: the cursor to save once `events` are stored; None keeps the saved one.
        skipped: records that were not mapped.
        records: how many source records the page held.
        newest: the newest source timestamp seen on the page (for the lag in the health record).
    """

    events: list[Event]
    next_cursor: str | None
    skipped: list[Skipped] = field(default_factory=list)
    records: int = 0
    newest: datetime | None = None


class AgentMapping(BaseModel):
    """How one source person appears on the board."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str | None = Field(default=None, min_length=1, max_length=256)
    name: str | None = None
    team: str | None = Field(default=None, min_length=1, max_length=128)


class ConnectorOptions(BaseModel):
    """Options every connector has; a connector's own `Options` class adds its vendor's.

    Secrets are never written in the YAML file: an option ending in ``_env`` names the environment
    variable that holds the secret (e.g. ``token_env: HUBSPOT_TOKEN``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: str | None = None
    timeout_seconds: float = Field(default=30.0, gt=0, le=300)
    rate_per_second: float | None = Field(default=None, gt=0)
    retry_attempts: int = Field(default=5, ge=1, le=20)
    max_retry_wait_seconds: float = Field(default=120.0, ge=0)
    start: date | None = None
    """Where the first run starts (default: `initial_days` ago)."""
    initial_days: int = Field(default=30, ge=0, le=3650)
    agent_identity: Literal["source_id", "email"] = "source_id"
    agents: dict[str, AgentMapping] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _no_inline_secrets(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            for key in data:
                if str(key).lower() in SECRET_WORDS or f"{key}_env" in cls.model_fields:
                    raise ValueError(
                        f"{key}: secrets do not belong in the config file; put the secret in an "
                        f"environment variable and give its name as {key}_env"
                    )
        return data

    def secret_names(self) -> dict[str, str]:
        """The environment variable named by each ``*_env`` option, keyed by the option without ``_env``."""
        return {name.removesuffix("_env"): value for name, value in self if name.endswith("_env") and value}


def env_name_field(**kwargs: Any) -> Any:
    """A pydantic field holding an environment variable's name."""
    return Field(pattern=ENV_NAME, **kwargs)


class AgentMap:
    """Turns a source person into the agent id, name and team shown on the board."""

    def __init__(self, source: str, options: ConnectorOptions) -> None:
        self.source = source
        self.identity = options.agent_identity
        self.mapping = {key.lower(): value for key, value in options.agents.items()}

    def resolve(
        self, source_id: str, *, name: str | None = None, email: str | None = None, team: str | None = None
    ) -> tuple[str, str | None, str | None]:
        """The ``(agent_id, agent_name, team)`` of the person with `source_id` in this source."""
        email = email.strip().lower() if email else None
        mapped = self.mapping.get(str(source_id).lower()) or (self.mapping.get(email) if email else None)
        if mapped and mapped.id:
            agent_id = mapped.id
        elif self.identity == "email" and email:
            agent_id = email
        else:
            agent_id = f"{self.source}:{source_id}"
        name = (mapped.name if mapped and mapped.name else name) or None
        team = (mapped.team if mapped and mapped.team else team) or None
        return agent_id, name, team


def utc_now() -> datetime:
    return datetime.now(UTC)


def reason_of(exc: Exception) -> str:
    """A short reason for a skipped record."""
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    if isinstance(exc, ValidationError):
        where, message = next(problems(exc, "event"))
        return f"{where}: {message}"
    if isinstance(exc, ValueError):
        return str(exc)[:300]
    return f"{type(exc).__name__}: {exc}"[:300]


class Connector(ABC):
    """Base class of every connector.

    Args:
        name: the connector's name in the config; it is also the ``source`` of its events.
        options: validated options (an instance of the class's `Options`).
        secrets: secret values by option name without ``_env`` (e.g. ``{"token": "..."}``).
        sleep, clock: injectable waits and monotonic clock (tests keep waits at zero).
        now: the wall clock, in UTC.
    """

    type_name: ClassVar[str] = ""
    Options: ClassVar[type[ConnectorOptions]] = ConnectorOptions
    default_base_url: ClassVar[str | None] = None
    default_rate_per_second: ClassVar[float | None] = None

    def __init__(
        self,
        name: str,
        options: ConnectorOptions,
        secrets: Mapping[str, str],
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.name = name
        self.options = options
        self.secrets = dict(secrets)
        self.now = now
        self.agents = AgentMap(name, options)
        self.http = self.make_client(sleep=sleep, clock=clock)

    @abstractmethod
    def fetch(self, cursor: str | None) -> Iterator[Page]:
        """Yield pages of the records changed since `cursor` (None: since `start`/`initial_days`)."""

    @abstractmethod
    def cursor_for(self, since: datetime) -> str:
        """A cursor that makes `fetch` read everything changed since `since` (a backfill)."""

    def auth_headers(self) -> dict[str, str]:
        """Headers that authenticate every request."""
        return {}

    def base_url(self) -> str | None:
        """The vendor's root URL: ``options.base_url``, else the vendor's default."""
        return self.options.base_url or self.default_base_url

    def make_client(
        self, *, sleep: Callable[[float], None], clock: Callable[[], float], **overrides: Any
    ) -> HttpClient:
        """The shared HTTP client set up from the options and the subclass's hooks."""
        base_url = self.base_url()
        if not base_url:
            raise ValueError(f"connector {self.name!r}: options.base_url is required")
        settings: dict[str, Any] = {
            "name": self.name,
            "headers": self.auth_headers(),
            "secrets": self.secrets.values(),
            "timeout_seconds": self.options.timeout_seconds,
            "retry": RetryPolicy(
                attempts=self.options.retry_attempts, max_wait_seconds=self.options.max_retry_wait_seconds
            ),
            "rate_per_second": self.options.rate_per_second or self.default_rate_per_second,
            "sleep": sleep,
            "clock": clock,
        }
        settings.update(overrides)
        return HttpClient(base_url.rstrip("/"), **settings)

    def event(self, **fields: Any) -> Event:
        """A validated event of this connector's source."""
        return Event(source=self.name, **fields)

    def retraction(self, record_id: str, kind: str, at: datetime, agent_id: str | None = None) -> Event:
        """An event that removes the record's contribution, if it ever had one."""
        return Event(
            source=self.name,
            id=record_id,
            type=kind,
            agent_id=agent_id or "-",
            occurred_at=at,
            updated_at=at,
            deleted=True,
        )

    def first_start(self) -> datetime:
        """Where a first run (no cursor) starts."""
        if self.options.start is not None:
            return datetime.combine(self.options.start, datetime.min.time(), UTC)
        return self.now() - timedelta(days=self.options.initial_days)

    def map_records(
        self, records: Iterable[Any], mapper: Callable[[Any], Iterable[Event]], id_of: Callable[[Any], Any]
    ) -> tuple[list[Event], list[Skipped]]:
        """Map each record with `mapper`; a record that fails is skipped with its reason."""
        events: list[Event] = []
        skipped: list[Skipped] = []
        for record in records:
            try:
                events.extend(mapper(record))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                record_id = id_of(record) if isinstance(record, Mapping) else None
                skipped.append(Skipped(str(record_id if record_id is not None else "?"), reason_of(exc)))
        return events, skipped

    def close(self) -> None:
        """Release the HTTP client."""
        self.http.close()
