"""The save badge: work on a day off, or outside office hours on a working day (both stores).

Daily figures carry no hour, so the hours come from a metric of their own (``outside_office_hours:
true``), fed through the same upsert as every figure; the badge reads it beside its own metric.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from dashboard.services.me_badges import badge_card
from kpi.config import Config, ConfigError, load_config
from kpi.ingest.achievements import evaluate_achievements
from kpi.ingest.pipeline import ingest_events
from kpi.model.events import Event
from kpi.read.achievements import progress
from kpi.read.rankings import member_reading
from kpi.store.awards import awards_for
from kpi.store.base import Store
from tests.game.support import METRICS, MONDAY, at, event, ingest_and_evaluate, make_config

TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = (MONDAY + timedelta(days=n) for n in range(1, 5))
NEXT_MONDAY = MONDAY + timedelta(weeks=1)
OFFICE = {"start": "08:00", "end": "17:00", "days": ["mon", "tue", "wed", "thu", "fri"]}
LATE = {"type": "ticket_solved", "aggregation": "count", "outside_office_hours": True}
SAVE = {"kind": "save", "metric": "tickets_solved", "after_hours_metric": "late"}


def _config(badges: bool = True) -> Config:
    return make_config(
        {"save": SAVE} if badges else {},
        metrics={**METRICS, "late": LATE},
        office_hours=OFFICE,
        holidays=[THURSDAY.isoformat()],
    )


def _solved(agent: str, day: date, hour: int, minute: int = 0) -> Event:
    found = event("ticket_solved", agent, day, hour=hour)
    return found.model_copy(update={"occurred_at": found.occurred_at.replace(minute=minute)})


def _history() -> list[Event]:
    """Ann: in hours Monday (no), after hours Tuesday (yes), before hours Wednesday (yes), a holiday
    Thursday in hours (yes), at closing time Friday (yes). Bo: a minute before closing on Tuesday (no)."""
    return [
        _solved("ann", MONDAY, 10),
        _solved("ann", TUESDAY, 19),
        _solved("ann", WEDNESDAY, 6),
        _solved("ann", THURSDAY, 10),
        _solved("ann", FRIDAY, 17),
        _solved("bo", TUESDAY, 16, 59),
    ]


EARNED = [TUESDAY, WEDNESDAY, THURSDAY, FRIDAY]


def test_a_metric_can_count_only_work_outside_office_hours(store: Store) -> None:
    config = _config()
    ingest_events(store, config, _history(), now=at(NEXT_MONDAY))
    late = [member_reading(store, config, "late", d.isoformat(), "agent", "ann").value for d in EARNED]
    assert late == [1, 1, 1, 1]
    assert member_reading(store, config, "late", MONDAY.isoformat(), "agent", "ann").value is None
    assert member_reading(store, config, "late", TUESDAY.isoformat(), "agent", "bo").value is None


def test_after_hours_on_a_working_day_is_a_save_live(store: Store) -> None:
    config = _config()
    awards = []
    for one in _history():
        awards += ingest_and_evaluate(store, config, [one], at(one.occurred_at.date(), 23))
    assert sorted((a.member, a.earned_on) for a in awards) == [("ann", d) for d in EARNED]
    assert all(not a.retroactive for a in awards)


def test_switching_the_badge_on_awards_past_after_hours_work_retroactively(store: Store) -> None:
    ingest_events(store, _config(badges=False), _history(), now=at(NEXT_MONDAY))
    awards = evaluate_achievements(store, _config(), at(NEXT_MONDAY))
    assert sorted((a.member, a.earned_on) for a in awards) == [("ann", d) for d in EARNED]
    assert all(a.retroactive and not a.celebrate for a in awards)


def test_a_corrected_time_inside_office_hours_withdraws_the_save(store: Store) -> None:
    config = _config()
    late = _solved("ann", TUESDAY, 19)
    ingest_and_evaluate(store, config, [late], at(TUESDAY, 23))
    corrected = late.model_copy(
        update={"occurred_at": at(TUESDAY, 11), "updated_at": at(TUESDAY, 23) + timedelta(minutes=1)}
    )
    ingest_and_evaluate(store, config, [corrected], at(TUESDAY, 23) + timedelta(minutes=2))
    assert awards_for(store).held([("agent", "ann")])[("agent", "ann")] == {}


def test_me_shows_the_save_earned_with_its_date_and_count(store: Store) -> None:
    config = _config()
    ingest_and_evaluate(store, config, _history(), at(NEXT_MONDAY), sweep=True)
    (save,) = [b for b in progress(store, config, "ann", at(NEXT_MONDAY)) if b.id == "save"]
    assert (save.earned_at, save.times, save.progress) == (FRIDAY, 4, None)
    assert badge_card(config, save).earned
    (none,) = [b for b in progress(store, config, "bo", at(NEXT_MONDAY)) if b.id == "save"]
    assert (none.earned_at, none.times) == (None, 0)


def test_the_built_in_weekend_save_counts_after_hours_in_the_office_zone(store: Store) -> None:
    config = load_config()
    assert "outside office hours" in config.achievements["weekend_save"].criterion
    tuesday = date(2026, 11, 24)

    def solved(record: str, hour_utc: int) -> Event:
        when: dict[str, Any] = {"occurred_at": datetime.combine(tuesday, datetime.min.time(), timezone.utc)}
        when["occurred_at"] += timedelta(hours=hour_utc)
        return Event(source="zd", id=record, type="ticket_solved", agent_id="ann", team="Support", **when)

    # Oslo is UTC+1 in November and its office closes at 18:00: 16:00 UTC is in hours, 17:00 UTC is not.
    now = datetime(2026, 11, 24, 22, 0, tzinfo=timezone.utc)
    in_hours = ingest_and_evaluate(store, config, [solved("in-hours", 16)], now)
    assert "weekend_save" not in {a.badge for a in in_hours}
    awards = ingest_and_evaluate(store, config, [solved("late", 17)], now)
    assert [a.earned_on for a in awards if a.badge == "weekend_save"] == [tuesday]


def test_the_after_hours_metric_must_count_only_work_outside_office_hours() -> None:
    plain = {**LATE, "outside_office_hours": False}
    with pytest.raises(ConfigError, match="after_hours_metric 'late' must have outside_office_hours: true"):
        make_config({"save": SAVE}, metrics={**METRICS, "late": plain})
