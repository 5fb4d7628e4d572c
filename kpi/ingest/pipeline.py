"""One path into the store for every producer: decode, validate the whole batch, then upsert it."""

from __future__ import annotations

import csv
import io
import json
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Sequence

from kpi.config import Config
from kpi.ingest.celebrations import celebrations_for, needs_names
from kpi.model import telemetry
from kpi.model.contributions import Outcome
from kpi.model.events import BatchRejected, Event, EventError, parse_events
from kpi.model.periods import local_day
from kpi.store.agent_choices import choices_for
from kpi.store.award_queue import award_queue_for
from kpi.store.base import Store, StoreUnavailable
from kpi.store.celebration_feed import feed_for

log = logging.getLogger("wallboard.ingest")


@dataclass(frozen=True)
class IngestResult:
    """How many events of a batch did what."""

    received: int
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    retracted: int = 0
    stale: int = 0
    released: int = 0
    """Events older than the retention (``retention.days``): not written."""

    @classmethod
    def of(cls, outcomes: Sequence[Outcome]) -> IngestResult:
        counts = Counter(outcomes)
        return cls(received=len(outcomes), **{o.value: counts[o] for o in Outcome})

    def __add__(self, other: IngestResult) -> IngestResult:
        return IngestResult(*(a + b for a, b in zip(vars(self).values(), vars(other).values())))

    def public(self) -> dict[str, int]:
        return dict(vars(self))


def known_types(config: Config) -> set[str]:
    """Event types that the configuration gives a meaning to."""
    return set(config.metrics_by_type)


def validate(items: Iterable[Any], config: Config) -> list[Event]:
    """Every item as an event, or `BatchRejected` listing every bad one."""
    try:
        return parse_events(items, known_types(config))
    except BatchRejected as exc:
        telemetry.emit("ingest_rejected", items=len({error.index for error in exc.errors}))
        raise


def ingest(store: Store, config: Config, items: Iterable[Any]) -> IngestResult:
    """Validate all of `items`, then upsert them; an invalid batch writes nothing."""
    return ingest_events(store, config, validate(items, config))


def ingest_events(
    store: Store, config: Config, events: Sequence[Event], *, now: datetime | None = None
) -> IngestResult:
    """Upsert already validated events: the one write path for the API, the CLI, connectors and the demo.

    New records that match a celebration rule are then published to the kiosks' celebration feed, and
    the agents whose figures changed are marked for the next awarding round (`kpi.ingest.awarding`).

    Args:
        now: the time of ingestion, for deciding which events are recent enough to celebrate; its
            office-local day is the store's `today` (figures of days before it move `PAST` versions).
    """
    outcomes = store.upsert(events, config, today=local_day(now, config.zone) if now else None)
    _mark_changed(store, events, outcomes)
    _celebrate(store, config, events, outcomes, now or datetime.now(timezone.utc))
    result = IngestResult.of(outcomes)
    telemetry.emit("ingest", outcomes={k: v for k, v in result.public().items() if k != "received"})
    return result


CHANGING = frozenset({Outcome.NEW, Outcome.UPDATED, Outcome.RETRACTED})
"""Outcomes that moved a figure (unchanged and stale ones did not)."""


def changed_agents(events: Sequence[Event], outcomes: Sequence[Outcome]) -> set[str]:
    """The agents credited by the events that moved a figure."""
    return {event.agent_id for event, outcome in zip(events, outcomes) if outcome in CHANGING}


def _mark_changed(store: Store, events: Sequence[Event], outcomes: Sequence[Outcome]) -> None:
    try:
        award_queue_for(store).mark(changed_agents(events, outcomes))
    except StoreUnavailable as exc:
        # The figures are written; the next full sweep (at the latest after midnight) finds their awards.
        log.warning("changed agents of this batch not marked for awarding: %s", exc)


def _celebrate(
    store: Store, config: Config, events: Sequence[Event], outcomes: Sequence[Outcome], now: datetime
) -> None:
    settings = config.celebrations
    if not settings.rules:
        return
    try:
        missing = needs_names(events, outcomes, settings)
        names = {a.id: a.name for a in store.agents(missing).values()} if missing else {}
        choices = choices_for(store).all() if Outcome.NEW in outcomes else {}
        found = celebrations_for(
            events, outcomes, settings, config.agents, names, now, config.metrics, choices
        )
        if found:
            feed_for(store).publish(found, settings.keep)
    except StoreUnavailable as exc:
        # The figures are written; a celebration is a moment, not a record, so it is not worth a retry.
        log.warning("celebrations of this batch not published: %s", exc)


def decode_json(text: str) -> list[Any]:
    """A JSON document holding one event object or an array of them."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BatchRejected(
            [
                EventError(
                    index=0,
                    field="(body)",
                    reason=f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                )
            ]
        ) from None
    return data if isinstance(data, list) else [data]


def decode_ndjson(text: str) -> list[Any]:
    """One JSON value per line; blank lines are skipped; each bad line is reported by its item index."""
    items: list[Any] = []
    errors: list[EventError] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as exc:
            errors.append(EventError(index=len(items), field="(line)", reason=f"not valid JSON: {exc.msg}"))
            items.append(None)
    if errors:
        raise BatchRejected(errors)
    return items


def decode_csv(text: str) -> list[dict[str, Any]]:
    """A CSV file with a header of event fields.

    ``attributes.X`` columns become attributes; empty cells are unset.
    """
    return [item_from_csv_row(row) for row in csv.DictReader(io.StringIO(text))]


def item_from_csv_row(row: dict[str | None, str | None]) -> dict[str, Any]:
    """One CSV row (from `csv.DictReader`) as an event item."""
    item: dict[str, Any] = {}
    for column, cell in row.items():
        if column is None or cell is None or cell == "":
            continue
        if column.startswith("attributes."):
            item.setdefault("attributes", {})[column.removeprefix("attributes.")] = cell
        else:
            item[column] = cell
    return item
