"""Building blocks for the challenge tests: a small UTC config with challenges, and events on given days."""

from __future__ import annotations

from datetime import date, datetime
from itertools import count
from typing import Any, Sequence

import pytest

from kpi.config import Config, parse_config
from kpi.game.challenge_calendar import Instance, find_instance
from kpi.ingest.pipeline import ingest_events
from kpi.model.events import Event
from kpi.read import challenge_columns
from kpi.read.challenge_tv import tv_standings, visible
from kpi.read.challenges import standings
from kpi.store.base import Store
from tests.game.support import at

MONDAY = date(2026, 11, 2)
"""A Monday (ISO week 2026-W45); the tests' office is in UTC, open Monday to Friday 08–16."""
METRICS: dict[str, Any] = {
    "tickets_solved": {"type": "ticket_solved", "aggregation": "count"},
    "csat": {"type": "csat_rating", "aggregation": "mean", "decimals": 2},
    "handle_time": {"type": "call_handled", "aggregation": "mean", "lower_is_better": True},
    "nps": {"type": "nps_response", "aggregation": "nps"},
}
_ids = count()


def make_config(*definitions: dict[str, Any], timezone_name: str = "UTC", **section: Any) -> Config:
    """A config with the test metrics and these challenges (each given a title and, unless set, a week)."""
    filled = [
        {
            "title": spec["id"].title(),
            **({} if "recurring" in spec else {"start": "2026-11-02", "end": "2026-11-08"}),
            **spec,
        }
        for spec in definitions
    ]
    data = {
        "timezone": timezone_name,
        "office_hours": {"start": "08:00", "end": "16:00"},
        "metrics": METRICS,
        "goals": {},
        "achievements": {},
        "challenges": {**section, "definitions": filled},
    }
    return parse_config(data, "test config")


def event(
    kind: str,
    agent: str,
    day: date,
    *,
    value: float = 1.0,
    team: str = "Support",
    hour: int = 10,
    source_id: str | None = None,
    deleted: bool = False,
) -> Event:
    return Event(
        source="test",
        id=source_id or f"e{next(_ids)}",
        type=kind,
        agent_id=agent,
        agent_name=agent.title(),
        team=team,
        value=value,
        occurred_at=at(day, hour),
        deleted=deleted,
    )


def tickets(agent: str, day: date, n: int = 1, team: str = "Support") -> list[Event]:
    return [event("ticket_solved", agent, day, team=team) for _ in range(n)]


def write(store: Store, config: Config, events: list[Event], now: datetime | None = None) -> None:
    ingest_events(store, config, events, now=now or at(MONDAY, 12))


def instance(config: Config, instance_id: str) -> Instance:
    found = find_instance(config.challenges, instance_id, config.zone)
    assert found is not None
    return found


def count_ended_reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, date, date]]:
    """The ended windows read from the store (not remembered) from now on, as (metric, first, last)."""
    found: list[tuple[str, date, date]] = []
    read = challenge_columns.window_columns

    def counted(store: Any, config: Any, metric: str, first: date, last: date, *, ended: bool = False) -> Any:
        if ended:
            found.append((metric, first, last))
        return read(store, config, metric, first, last, ended=ended)

    monkeypatch.setattr(challenge_columns, "window_columns", counted)
    return found


def refresh_tvs(store: Store, config: Config, instance_ids: Sequence[str], now: datetime) -> None:
    """Each instance as a TV refresh reads it (its top 3, nobody hidden)."""
    for instance_id in instance_ids:
        tv_standings(store, config, instance(config, instance_id), now, top_n=3, hidden=())


def assert_todays_writes_read_no_ended_window(
    store: Store,
    config: Config,
    instance_ids: Sequence[str],
    now: datetime,
    writes: tuple[list[Event], list[Event]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After the history (``writes[0]``) a refresh of the instances reads ended windows; after events dated
    today (``writes[1]``) the next refresh reads none again (they stay remembered)."""
    history, today = writes
    write(store, config, history, now=now)
    computed = count_ended_reads(monkeypatch)
    refresh_tvs(store, config, instance_ids, now)
    assert computed
    computed.clear()
    write(store, config, today, now=now)
    refresh_tvs(store, config, instance_ids, now)
    assert computed == []


def assert_tv_shows_the_full_standings(
    store: Store,
    config: Config,
    instance_id: str,
    now: datetime,
    top_n: int,
    hidden: frozenset[str] = frozenset(),
) -> None:
    """The TV's lean path places what the full standings place: its top N of those not `hidden` (every
    team of a team race)."""
    found = instance(config, instance_id)
    full = standings(store, config, found, now)
    lean = tv_standings(store, config, found, now, top_n=top_n, hidden=hidden)
    shown = full.entries if full.scope == "team" else tuple(visible(full.entries, hidden, top_n))
    assert lean.entries == shown, (instance_id, top_n, hidden)
    assert (lean.scope, lean.score_unit, lean.progress) == (full.scope, full.score_unit, full.progress)
