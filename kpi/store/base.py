"""The store's interface: what the rest of Wallboard may ask of the live figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Callable, Collection, Iterator, Mapping, Protocol, Sequence

from kpi.model.agents import Agent
from kpi.model.columns import Columns
from kpi.model.contributions import Figures, Outcome, Scope
from kpi.model.events import Event, version_of
from kpi.model.metrics import Aggregation, MetricCatalog
from kpi.model.periods import local_day

PAST = "@past"
"""Suffix of a metric's second version part (``tickets_solved@past``): it moves only when a figure of a day
before the writer's office-local today changes, so memos of ended days survive today's writes."""
AGENTS_PART = "~agents"
"""The version part of agents' names and teams (`Store.versions`)."""
CHOICES_PART = "~choices"
"""The version part of agents' own display choices (hidden from TVs)."""
AWARDS_PART = "~awards"
"""The version part of the awards (badges, levels)."""


class StoreUnavailable(Exception):
    """The store cannot be reached; nothing was written by the failed call, or it is safe to retry."""


@dataclass(frozen=True)
class StoredRecord:
    """The current version of a record, as the store remembers it."""

    version: str
    content_hash: str
    deleted: bool
    event_json: str


@dataclass(frozen=True)
class Rescored:
    """What a rescore did: live records re-derived, and how many of them changed a figure."""

    records: int = 0
    changed: int = 0


@dataclass(frozen=True)
class Swept:
    """What a retention sweep did: records released, and days whose day figures were deleted."""

    records: int = 0
    days: int = 0


Progress = Callable[[int, int], None]
"""Told (records done, records in the store) as a rescore goes; the total is an estimate."""


class Store(Protocol):
    """Live figures: idempotent upserts in, rankings and series out."""

    kind: str

    def upsert(
        self, events: Sequence[Event], config: MetricCatalog, *, today: date | None = None
    ) -> list[Outcome]:
        """Apply each event as the newest version of its record if it is one; return what each did.

        An event whose day is beyond the retention (`released`) is not applied: ``released``. A figure of
        a day before `today` (the writer's office-local day, by default the clock's) also moves its
        metric's `PAST` version.
        """

    def rescore(
        self, config: MetricCatalog, *, since: datetime | None = None, progress: Progress | None = None
    ) -> Rescored:
        """Re-derive every live record's contribution (from `since` on) from its stored event with `config`.

        Each record goes through the upsert script in rescore mode: its figures move by exactly the
        difference, its version and event stay, and running it again changes nothing.
        """

    def sweep_retention(self, config: MetricCatalog, now: datetime) -> Swept:
        """Release the records whose day is beyond the retention and delete their days' day figures (day
        boards, rule tallies); week, month, quarter and year figures stay. Safe to run at any time."""

    def sweep_retention_if_due(self, config: MetricCatalog, now: datetime) -> Swept | None:
        """`sweep_retention` once a day: None when today's sweep has run, or another process is running it.

        Called by every game round (each sync round, each demo tick), so that no cron job is needed."""

    def data_version(self) -> int:
        """A counter that grows whenever a figure changes."""

    def versions(self, parts: Sequence[str]) -> dict[str, int]:
        """Per-part data versions (0 for a part never changed): a metric's grows whenever one of its
        boards changes; `AGENTS_PART`, `CHOICES_PART` and `AWARDS_PART` whenever agents' names and teams,
        their display choices or the awards change. A cache keyed by the parts it read stays valid
        while other metrics move."""

    def ranked(
        self,
        metric: str,
        bucket: str,
        scope: Scope,
        *,
        ascending: bool,
        start: int,
        count: int,
        aggregation: Aggregation | None = None,
    ) -> list[tuple[str, float]]:
        """Members of a board ordered by their figure, `count` of them from position `start`.

        Give the metric's `aggregation` when known: the store then reads one sorted set, not several.
        """

    def figures(
        self,
        metric: str,
        bucket: str,
        scope: Scope,
        members: Sequence[str] | None = None,
        *,
        aggregation: Aggregation | None = None,
    ) -> dict[str, Figures]:
        """Raw counters of the given members (all members when None) of a board; absent ones left out.

        With `aggregation`, only the counters it keeps are read (the others are zero anyway).
        """

    def figures_by_bucket(
        self,
        metric: str,
        buckets: Sequence[str],
        scope: Scope,
        members: Sequence[str] | None = None,
        *,
        aggregation: Aggregation | None = None,
    ) -> dict[str, dict[str, Figures]]:
        """`figures` for many buckets in one round trip."""

    def figures_by_metric(
        self,
        metrics: Mapping[str, Aggregation | None],
        buckets: Sequence[str],
        scope: Scope,
        members: Sequence[str] | None = None,
    ) -> dict[str, dict[str, dict[str, Figures]]]:
        """`figures_by_bucket` of several metrics (name → aggregation when known) in one round trip."""

    def figures_summed(
        self, metric: str, buckets: Sequence[str], scope: Scope, *, aggregation: Aggregation
    ) -> dict[str, Figures]:
        """Every member's counters summed over `buckets` (which must not overlap)."""

    def figure_columns(
        self,
        metric: str,
        buckets: Sequence[str],
        scope: Scope,
        *,
        aggregation: Aggregation,
        by_redis: bool = False,
    ) -> Columns:
        """`figures_summed` as columns (for readers that score thousands of members); `by_redis`: summed
        by Redis, which pays when several buckets are full (ended windows), else summed by the reader."""

    def ahead_of(
        self,
        metric: str,
        bucket: str,
        scope: Scope,
        scores: Sequence[float],
        *,
        aggregation: Aggregation,
        lower_is_better: bool,
        min_volume: int = 0,
        exclude: Collection[str] = (),
        team: str | None = None,
    ) -> list[int]:
        """For each score, how many members of a board are strictly ahead of it (ties are not ahead).

        Only members that take a place count: at least `min_volume` events, not in `exclude`, and with
        `team` (agent boards) of that team by their latest known team. Reads the board's sorted set
        (no member list leaves the store), so an agent's rank costs one round trip however low it is.
        """

    def rule_tallies(self, days: Sequence[str]) -> dict[tuple[str, str], Figures]:
        """Points by rule part per team, summed over `days` (day buckets): (team, ``type|part``) → the
        events and their points (``total``). Kept by the upsert, so corrections, retractions and a rescore
        move them exactly; a team of ``""`` is an agent without a known team."""

    def agents(self, ids: Sequence[str] | None = None) -> dict[str, Agent]:
        """Known agents (all when `ids` is None)."""

    def record(self, source: str, record_id: str) -> StoredRecord | None:
        """The stored version of one record, or None."""

    def live_events(self) -> Iterator[Event]:
        """The newest version of every record not retracted (a full scan: for reports, not screens)."""

    def ping(self) -> bool:
        """True when the store answers."""


def oldest_kept_day(catalog: MetricCatalog, now: datetime) -> date:
    """The first day (in the office's time zone) whose records and day figures are kept."""
    return local_day(now, catalog.zone) - timedelta(days=catalog.retention_days)


def released(event: Event, catalog: MetricCatalog, now: datetime) -> bool:
    """Whether `event`'s day is beyond the retention: the store neither keeps nor changes such a record."""
    return local_day(event.occurred_at, catalog.zone) < oldest_kept_day(catalog, now)


def seen_version(event: Event) -> str:
    """The version used to decide which name and team of an agent is the latest."""
    return version_of(event.occurred_at)
