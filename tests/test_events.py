"""The canonical event: what Wallboard accepts, what it refuses and how it says why."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from kpi.model.events import BUILTIN_TYPES, BatchRejected, Event, EventError, parse_events, stored_event


def item(**changes: Any) -> dict[str, Any]:
    """A valid event item, with `changes` applied (a value of None removes the field)."""
    base: dict[str, Any] = {
        "source": "crm",
        "id": "deal-1",
        "type": "deal_won",
        "agent_id": "a1",
        "agent_name": "Ada",
        "team": "north",
        "value": 1200,
        "occurred_at": "2026-11-24T09:30:00+01:00",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def rejection(items: list[Any], known: set[str] | None = None) -> list[EventError]:
    """The errors with which `parse_events` rejects `items`."""
    with pytest.raises(BatchRejected) as caught:
        parse_events(items, known or set())
    return caught.value.errors


def single_error(data: dict[str, Any], known: set[str] | None = None) -> EventError:
    """The one error of a batch holding only `data`."""
    errors = rejection([data], known)
    assert len(errors) == 1, errors
    return errors[0]


# --- a valid event ---------------------------------------------------------------------------------------


def test_ev001_minimal_event_gets_defaults() -> None:
    """Only source, id, type, agent_id and occurred_at are required; value defaults to 1."""
    event = Event.model_validate(
        {
            "source": "zendesk",
            "id": "T-9",
            "type": "ticket_solved",
            "agent_id": "a7",
            "occurred_at": "2026-11-24T08:00:00Z",
        }
    )
    assert event.value == 1.0
    assert event.agent_name is None and event.team is None and event.updated_at is None
    assert event.attributes == {} and event.deleted is False
    assert event.key == ("zendesk", "T-9")


def test_ev002_full_event_keeps_every_field() -> None:
    """Every optional field is kept as sent."""
    event = Event.model_validate(
        item(
            updated_at="2026-11-24T10:00:00+01:00",
            attributes={"priority": "high", "channel": "phone"},
            deleted=False,
        )
    )
    assert event.agent_name == "Ada" and event.team == "north" and event.value == 1200.0
    assert event.attributes == {"priority": "high", "channel": "phone"}
    assert event.updated_at == datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)


def test_ev003_occurred_at_keeps_its_offset() -> None:
    """An RFC 3339 time with an offset is the same instant as its UTC form."""
    event = Event.model_validate(item(occurred_at="2026-11-24T09:30:00+01:00"))
    assert event.occurred_at == datetime(2026, 11, 24, 8, 30, tzinfo=timezone.utc)
    assert event.occurred_at.utcoffset() == timedelta(hours=1)


def test_ev004_values_are_kept_to_three_decimals() -> None:
    """Values are rounded to 1/1000 so that sums add and subtract exactly."""
    assert Event.model_validate(item(value=10.12345)).value == 10.123


# --- required fields -------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["source", "id", "type", "agent_id", "occurred_at"])
def test_ev010_required_field_missing_is_named(field: str) -> None:
    """A missing required field is reported by its name."""
    error = single_error(item(**{field: None}))
    assert (error.index, error.field) == (0, field)
    assert "required" in error.reason.lower()


def test_ev011_unknown_field_is_rejected() -> None:
    """A misspelt field is an error, not silently dropped."""
    error = single_error(item(agentid="a1"))
    assert error.field == "agentid"


# --- source, id and type patterns ------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["crm", "hub_spot-2", "a", "x" * 64])
def test_ev020_source_accepts_lowercase_digits_underscore_dash(source: str) -> None:
    """Sources are lowercase letters, digits, `_` and `-`, 1 to 64 characters."""
    assert Event.model_validate(item(source=source)).source == source


@pytest.mark.parametrize("source", ["CRM", "my crm", "crm.eu", "", "x" * 65, "crm/1"])
def test_ev021_source_outside_the_pattern_is_rejected(source: str) -> None:
    """Upper case, spaces, dots, slashes, empty and over-long sources are refused."""
    assert single_error(item(source=source)).field == "source"


@pytest.mark.parametrize("record_id", ["", "x" * 257])
def test_ev022_id_must_be_1_to_256_characters(record_id: str) -> None:
    """An empty or over-long id is refused."""
    assert single_error(item(id=record_id)).field == "id"


def test_ev023_id_of_256_characters_is_accepted() -> None:
    """An id may use the full 256 characters, and any characters."""
    record_id = "Ä/ 😀:" + "x" * 251
    assert len(record_id) == 256
    assert Event.model_validate(item(id=record_id)).id == record_id


@pytest.mark.parametrize("kind", ["Deal_won", "1deal", "deal-won", "deal won", ""])
def test_ev024_type_outside_the_pattern_is_rejected(kind: str) -> None:
    """Types are `[a-z][a-z0-9_]*`."""
    assert single_error(item(type=kind), known={kind}).field == "type"


@pytest.mark.parametrize("kind", sorted(BUILTIN_TYPES))
def test_ev025_builtin_types_need_no_metric(kind: str) -> None:
    """The five built-in types are accepted even when no metric refers to them."""
    value = 5 if kind in ("csat_rating", "nps_response") else 1
    assert parse_events([item(type=kind, value=value)], set())[0].type == kind


def test_ev026_unknown_custom_type_is_rejected() -> None:
    """A custom type that no configured metric uses is refused, naming the type."""
    error = single_error(item(type="demo_booked"), known={"ticket_solved"})
    assert error.field == "type"
    assert "demo_booked" in error.reason


def test_ev027_custom_type_used_by_a_metric_is_accepted() -> None:
    """A custom type is accepted once a configured metric uses it."""
    assert parse_events([item(type="demo_booked")], {"demo_booked"})[0].type == "demo_booked"


def test_ev028_agent_id_must_not_be_empty() -> None:
    """An agent id is required and not blank."""
    assert single_error(item(agent_id="   ")).field == "agent_id"


# --- times -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stamp", ["2026-11-24T09:30:00", "2026-11-24 09:30:00"])
def test_ev030_naive_time_is_rejected(stamp: str) -> None:
    """A time without an offset is ambiguous and refused, with an example of the right form."""
    error = single_error(item(occurred_at=stamp))
    assert error.field == "occurred_at"
    assert "offset" in error.reason


def test_ev031_naive_datetime_object_is_rejected() -> None:
    """A naive Python datetime is refused too (for callers that build events in code)."""
    with pytest.raises(ValidationError, match="offset"):
        Event.model_validate(item(occurred_at=datetime(2026, 11, 24, 9, 30)))


@pytest.mark.parametrize("stamp", [1764000000, 1764000000.5])
def test_ev032_epoch_number_is_rejected(stamp: float) -> None:
    """Epoch seconds are not RFC 3339 and are refused."""
    error = single_error(item(occurred_at=stamp))
    assert error.field == "occurred_at"
    assert "RFC 3339" in error.reason


def test_ev033_updated_at_needs_an_offset_too() -> None:
    """The version time follows the same rule as occurred_at."""
    assert single_error(item(updated_at="2026-11-24T10:00:00")).field == "updated_at"


def test_ev034_garbage_time_is_rejected() -> None:
    """A string that is no time at all is refused."""
    assert single_error(item(occurred_at="yesterday")).field == "occurred_at"


def test_ev035_version_is_updated_at_else_occurred_at() -> None:
    """A later updated_at gives a greater version; without one the occurred_at is the version."""
    plain = Event.model_validate(item())
    edited = Event.model_validate(item(updated_at="2026-11-24T09:30:00.000001+01:00"))
    assert edited.version > plain.version
    assert Event.model_validate(item(occurred_at="2026-11-24T08:30:00Z")).version == plain.version


def test_ev036_version_orders_microseconds_exactly() -> None:
    """Versions one microsecond apart differ and sort in time order."""
    first = Event.model_validate(item(updated_at="2026-11-24T10:00:00.999999+00:00"))
    second = Event.model_validate(item(updated_at="2026-11-24T10:00:01.000000+00:00"))
    assert first.version < second.version


def test_ev037_content_hash_ignores_updated_at_only() -> None:
    """Resending the same content under another version is recognisable; a changed value is not the same."""
    a = Event.model_validate(item(updated_at="2026-11-24T10:00:00Z"))
    b = Event.model_validate(item(updated_at="2026-11-24T11:00:00Z"))
    c = Event.model_validate(item(updated_at="2026-11-24T11:00:00Z", value=1300))
    assert a.content_hash == b.content_hash
    assert c.content_hash != b.content_hash


# --- value ranges ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("score", [1, 2.5, 5])
def test_ev040_csat_from_1_to_5_is_accepted(score: float) -> None:
    """CSAT scores are 1 to 5, halves allowed."""
    assert Event.model_validate(item(type="csat_rating", value=score)).value == score


@pytest.mark.parametrize("score", [0, 0.99, 5.01, 6, -1])
def test_ev041_csat_outside_1_to_5_is_rejected(score: float) -> None:
    """A CSAT score outside 1..5 is refused on the value field."""
    error = single_error(item(type="csat_rating", value=score))
    assert error.field == "value"
    assert "1 to 5" in error.reason


@pytest.mark.parametrize("score", [0, 6, 10])
def test_ev042_nps_whole_0_to_10_is_accepted(score: int) -> None:
    """NPS answers are whole numbers from 0 to 10."""
    assert Event.model_validate(item(type="nps_response", value=score)).value == score


@pytest.mark.parametrize("score", [-1, 11, 7.5, 9.001])
def test_ev043_nps_outside_or_fractional_is_rejected(score: float) -> None:
    """A fractional or out-of-range NPS answer is refused."""
    error = single_error(item(type="nps_response", value=score))
    assert error.field == "value"
    assert "0 to 10" in error.reason


@pytest.mark.parametrize("kind", ["deal_won", "ticket_solved", "call_handled"])
def test_ev044_negative_counts_are_rejected(kind: str) -> None:
    """Deal amounts, ticket counts and call durations cannot be negative."""
    error = single_error(item(type=kind, value=-1))
    assert error.field == "value"
    assert "negative" in error.reason


def test_ev045_zero_amount_is_accepted() -> None:
    """A zero-value deal is still a deal."""
    assert Event.model_validate(item(value=0)).value == 0


@pytest.mark.parametrize("value", ["NaN", "Infinity", 1e11, -1e12])
def test_ev046_non_finite_or_huge_values_are_rejected(value: Any) -> None:
    """NaN, infinities and magnitudes of 1e11 or more are refused."""
    assert single_error(item(type="demo_booked", value=value), known={"demo_booked"}).field == "value"


def test_ev047_custom_types_may_be_negative() -> None:
    """Only the built-in count types forbid negatives; a custom metric may count refunds."""
    event = parse_events([item(type="refund", value=-30)], {"refund"})[0]
    assert event.value == -30


def test_ev048_retraction_needs_no_valid_score() -> None:
    """A retraction carries no score, so its value is not range-checked."""
    event = Event.model_validate(item(type="csat_rating", value=0, deleted=True))
    assert event.deleted is True


def test_ev049_value_must_be_a_number() -> None:
    """A value that is no number is refused."""
    assert single_error(item(value="lots")).field == "value"


# --- batches ---------------------------------------------------------------------------------------------


def test_ev050_batch_reports_every_bad_item_by_index() -> None:
    """All bad items are listed, each with its index, field and reason; good items are not mentioned."""
    errors = rejection(
        [
            item(id="ok-1"),
            item(id="bad-1", source="CRM"),
            item(id="ok-2"),
            item(id="bad-2", type="csat_rating", value=9),
            item(id="bad-3", type="webinar_held"),
        ]
    )
    assert [(e.index, e.field) for e in errors] == [(1, "source"), (3, "value"), (4, "type")]
    assert all(e.reason for e in errors)


def test_ev051_one_item_with_two_problems_reports_both() -> None:
    """Every problem of an item is reported, not only the first."""
    errors = rejection([item(source="Bad Source", occurred_at="2026-11-24T09:30:00")])
    assert {e.field for e in errors} == {"source", "occurred_at"}
    assert {e.index for e in errors} == {0}


def test_ev052_non_object_item_is_rejected() -> None:
    """An item that is not a JSON object is reported as such."""
    errors = rejection([item(), ["not", "an", "event"], 42])
    assert [(e.index, e.field) for e in errors] == [(1, "(event)"), (2, "(event)")]
    assert "object" in errors[0].reason


def test_ev053_rejection_message_summarises_the_errors() -> None:
    """The exception's message names the first errors, so logs show why."""
    with pytest.raises(BatchRejected, match=r"1 invalid item\(s\): #0 source"):
        parse_events([item(source="UPPER")], set())


def test_ev054_valid_batch_keeps_order() -> None:
    """A valid batch comes back as events in the order sent."""
    events = parse_events([item(id=str(n)) for n in range(5)], set())
    assert [e.id for e in events] == ["0", "1", "2", "3", "4"]


def test_ev055_empty_batch_is_valid() -> None:
    """An empty batch has nothing wrong with it."""
    assert parse_events([], set()) == []


def test_ev056_events_are_immutable() -> None:
    """An event cannot be changed after validation."""
    event = Event.model_validate(item())
    with pytest.raises(ValidationError):
        event.value = 5  # type: ignore[misc]


def test_ev057_to_json_round_trips() -> None:
    """The stored JSON of an event validates back to the same event."""
    event = Event.model_validate(item(updated_at="2026-11-24T10:00:00+01:00", attributes={"p": 1}))
    assert Event.model_validate_json(event.to_json()) == event


def test_ev100_moments_before_2000_are_rejected() -> None:
    """Versions are microseconds since 1970 in a fixed width; earlier moments would sort wrongly."""
    with pytest.raises(BatchRejected) as caught:
        parse_events(
            [
                {
                    "source": "crm",
                    "id": "1",
                    "type": "deal_won",
                    "agent_id": "a",
                    "occurred_at": "1969-12-31T23:00:00Z",
                }
            ],
            [],
        )
    assert caught.value.errors[0].field == "occurred_at"


@pytest.mark.parametrize("field", ["id", "agent_id", "agent_name", "team"])
def test_ev101_control_characters_in_names_and_ids_are_rejected(field: str) -> None:
    """A tab or newline in an agent or team would corrupt the store's contribution records."""
    item = {
        "source": "crm",
        "id": "1",
        "type": "deal_won",
        "agent_id": "a",
        "team": "North",
        "agent_name": "Ann",
        "occurred_at": "2026-11-24T10:00:00Z",
        field: "bad\tvalue",
    }
    with pytest.raises(BatchRejected) as caught:
        parse_events([item], [])
    assert caught.value.errors[0].field == field


def test_a_stored_event_is_the_event_model_construct_builds() -> None:
    event = Event.model_validate(item(attributes={"priority": "high"}))
    fields = dict(event.__dict__)
    assert (stored_event(dict(fields)), stored_event(fields).model_fields_set) == (
        Event.model_construct(**fields),
        Event.model_construct(**fields).model_fields_set,
    )
