"""The one write path: decode JSON, NDJSON or CSV, validate the whole batch, then upsert it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kpi.config import Config, parse_config
from kpi.ingest.pipeline import (
    IngestResult,
    decode_csv,
    decode_json,
    decode_ndjson,
    ingest,
    known_types,
    validate,
)
from kpi.model.contributions import Figures, Outcome
from kpi.model.events import BatchRejected, EventError
from kpi.store import Store


def item(record_id: str = "d1", **changes: Any) -> dict[str, Any]:
    """A valid deal item worth 100, with `changes` applied."""
    return {
        "source": "crm",
        "id": record_id,
        "type": "deal_won",
        "agent_id": "a1",
        "team": "north",
        "value": 100,
        "occurred_at": "2026-11-24T10:00:00+01:00",
        **changes,
    }


def errors_of(call: Any, *args: Any) -> list[EventError]:
    """The errors with which `call(*args)` rejects its input."""
    with pytest.raises(BatchRejected) as caught:
        call(*args)
    return caught.value.errors


# --- decoding --------------------------------------------------------------------------------------------


def test_in001_json_object_is_a_batch_of_one() -> None:
    """A single JSON object is one item."""
    assert decode_json(json.dumps(item())) == [item()]


def test_in002_json_array_is_a_batch() -> None:
    """A JSON array is a batch, in order."""
    assert decode_json(json.dumps([item("d1"), item("d2")])) == [item("d1"), item("d2")]


def test_in003_invalid_json_says_where() -> None:
    """Unparseable JSON is reported with its line and column."""
    [error] = errors_of(decode_json, '[{"source": "crm",\n "id": }]')
    assert error.field == "(body)"
    assert "line 2 column" in error.reason


def test_in004_ndjson_is_one_item_per_line_skipping_blank_lines() -> None:
    """NDJSON lines become items; blank lines (and a trailing newline) are ignored."""
    text = json.dumps(item("d1")) + "\n\n" + json.dumps(item("d2")) + "\n   \n"
    assert decode_ndjson(text) == [item("d1"), item("d2")]


def test_in005_ndjson_reports_every_bad_line_by_item_index() -> None:
    """Each line that is not JSON is reported by its item index (blank lines not counted)."""
    text = "\n".join([json.dumps(item("d1")), "", "{oops", json.dumps(item("d2")), "nope"])
    errors = errors_of(decode_ndjson, text)
    assert [(e.index, e.field) for e in errors] == [(1, "(line)"), (3, "(line)")]
    assert all("not valid JSON" in e.reason for e in errors)


def test_in006_csv_header_names_the_fields_and_empty_cells_are_unset() -> None:
    """A CSV row becomes an item of its non-empty cells."""
    text = (
        "source,id,type,agent_id,team,value,occurred_at\n"
        "crm,d1,deal_won,a1,north,1200.5,2026-11-24T10:00:00+01:00\n"
        "crm,d2,deal_won,a2,,,2026-11-24T11:00:00+01:00\n"
    )
    assert decode_csv(text) == [
        {
            "source": "crm",
            "id": "d1",
            "type": "deal_won",
            "agent_id": "a1",
            "team": "north",
            "value": "1200.5",
            "occurred_at": "2026-11-24T10:00:00+01:00",
        },
        {
            "source": "crm",
            "id": "d2",
            "type": "deal_won",
            "agent_id": "a2",
            "occurred_at": "2026-11-24T11:00:00+01:00",
        },
    ]


def test_in007_csv_attribute_columns_become_attributes() -> None:
    """Columns named ``attributes.X`` fill the attributes object."""
    text = (
        "source,id,type,agent_id,occurred_at,attributes.channel,attributes.priority\n"
        "zd,t1,ticket_solved,a1,2026-11-24T10:00:00Z,email,high\n"
        "zd,t2,ticket_solved,a1,2026-11-24T10:00:00Z,,low\n"
    )
    rows = decode_csv(text)
    assert rows[0]["attributes"] == {"channel": "email", "priority": "high"}
    assert rows[1]["attributes"] == {"priority": "low"}


def test_in008_csv_items_validate_into_events(config: Config) -> None:
    """CSV text cells are converted by validation: numbers, booleans and times."""
    text = (
        "source,id,type,agent_id,value,occurred_at,deleted,attributes.channel\n"
        "zd,c1,csat_rating,a1,4.5,2026-11-24T10:00:00Z,false,chat\n"
        "zd,c2,csat_rating,a1,,2026-11-24T10:00:00Z,true,\n"
    )
    first, second = validate(decode_csv(text), config)
    assert (first.value, first.deleted, first.attributes) == (4.5, False, {"channel": "chat"})
    assert second.deleted is True


def test_in009_csv_bad_row_is_reported_by_row_index(config: Config) -> None:
    """A bad CSV row is reported by its index among the data rows (header not counted)."""
    text = (
        "source,id,type,agent_id,value,occurred_at\n"
        "zd,c1,csat_rating,a1,4,2026-11-24T10:00:00Z\n"
        "zd,c2,csat_rating,a1,9,2026-11-24T10:00:00Z\n"
    )
    [error] = errors_of(validate, decode_csv(text), config)
    assert (error.index, error.field) == (1, "value")


# --- all or nothing --------------------------------------------------------------------------------------


def test_in020_valid_batch_is_written(store: Store, config: Config) -> None:
    """A valid batch is validated and upserted; the result counts what happened."""
    result = ingest(store, config, [item("d1"), item("d2", value=50)])
    assert result == IngestResult(received=2, new=2)
    assert store.figures("revenue", "2026-11-24", "agent") == {"a1": Figures(count=2, total=150_000)}


def test_in021_batch_with_one_bad_item_writes_nothing(store: Store, config: Config) -> None:
    """One invalid item rejects the whole batch: no record stored, no figure, data version unchanged."""
    ingest(store, config, [item("d0")])
    version = store.data_version()
    errors = errors_of(ingest, store, config, [item("d1"), item("d2", value=-5), item("d3")])
    assert [(e.index, e.field) for e in errors] == [(1, "value")]
    assert store.data_version() == version
    assert store.record("crm", "d1") is None and store.record("crm", "d3") is None
    assert store.figures("deals_won", "2026-11-24", "agent") == {"a1": Figures(count=1)}


def test_in022_rejected_batch_lists_every_bad_item(store: Store, config: Config) -> None:
    """All bad items are listed, not only the first."""
    errors = errors_of(
        ingest,
        store,
        config,
        [item("d1", source="CRM"), item("d2"), item("d3", occurred_at="2026-11-24T10:00:00")],
    )
    assert [(e.index, e.field) for e in errors] == [(0, "source"), (2, "occurred_at")]
    assert store.data_version() == 0


def test_in023_result_counts_each_outcome(store: Store, config: Config) -> None:
    """New, updated, unchanged, retracted and stale are counted separately."""
    ingest(
        store,
        config,
        [
            item("d1", updated_at="2026-11-24T12:00:00Z"),
            item("d2", updated_at="2026-11-24T12:00:00Z"),
            item("d3", updated_at="2026-11-24T12:00:00Z"),
        ],
    )
    result = ingest(
        store,
        config,
        [
            item("d1", updated_at="2026-11-24T12:00:00Z"),  # unchanged
            item("d2", updated_at="2026-11-24T13:00:00Z", value=300),  # updated
            item("d3", updated_at="2026-11-24T13:00:00Z", deleted=True),  # retracted
            item("d1", updated_at="2026-11-24T11:00:00Z", value=1),  # stale
            item("d4"),  # new
        ],
    )
    assert result == IngestResult(received=5, new=1, updated=1, unchanged=1, retracted=1, stale=1, released=0)
    assert result.public() == {
        "received": 5,
        "new": 1,
        "updated": 1,
        "unchanged": 1,
        "retracted": 1,
        "stale": 1,
        "released": 0,
    }


def test_in024_custom_type_is_accepted_when_a_metric_uses_it(store: Store) -> None:
    """A config's custom event type passes validation and feeds its metric."""
    config = parse_config({"metrics": {"demos": {"type": "demo_booked", "aggregation": "count"}}}, "test")
    assert known_types(config) == {"demo_booked"}
    assert ingest(store, config, [item("m1", type="demo_booked")]).new == 1
    assert store.figures("demos", "2026-11-24", "agent") == {"a1": Figures(count=1)}


def test_in025_empty_batch_is_an_empty_result(store: Store, config: Config) -> None:
    """Nothing in, nothing done."""
    assert ingest(store, config, []) == IngestResult(received=0)


def test_in026_results_add_up() -> None:
    """Results of several batches add field by field (for the CLI's progress over a large file)."""
    total = IngestResult.of([Outcome.NEW, Outcome.STALE]) + IngestResult.of([Outcome.NEW, Outcome.UPDATED])
    assert total == IngestResult(received=4, new=2, updated=1, stale=1)


def test_in027_decoded_ndjson_goes_through_the_same_rules(store: Store, config: Config) -> None:
    """NDJSON with an invalid event writes nothing either."""
    text = json.dumps(item("d1")) + "\n" + json.dumps(item("d2", type="unknown_kind")) + "\n"
    [error] = errors_of(ingest, store, config, decode_ndjson(text))
    assert (error.index, error.field) == (1, "type")
    assert store.record("crm", "d1") is None
