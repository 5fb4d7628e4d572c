"""The short record layout (issue #13, record_codec.py and upsert.lua's pack_c/pack_e): what the script
stores short reads back as it was, and a typical record takes few bytes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kpi.config import Config
from kpi.model.contributions import contribution_of
from kpi.model.events import Event
from kpi.store import RedisStore
from kpi.store.record_codec import SEP, decode_event, expand_contribution, pack_hash

pytestmark = pytest.mark.cluster

YEAR_ENDS = [date(year, 12, 24) + timedelta(days=n) for year in (2026, 2027, 2032) for n in range(14)]
"""Days around year ends, where ISO weeks belong to the other year (2026-W53, 2027-W52, 2032-W53)."""


def ticket(day: date, **fields: object) -> Event:
    return Event.model_validate(
        {
            "source": "crm",
            "id": f"t-{day.isoformat()}",
            "type": "ticket_solved",
            "agent_id": "ana",
            "agent_name": "Ana A.",
            "team": "North",
            "occurred_at": f"{day.isoformat()}T12:00:00.123456+00:00",
            "attributes": {"channel": "chat", "tags": ["a", 1.5, None], 'note\t"x"': {"k": True}},
            **fields,
        }
    )


def stored(store: RedisStore, event: Event) -> str:
    return store.client.hget(store.keys.record(event.source, event.id), event.id)


def test_rc001_the_script_writes_a_day_s_buckets_as_python_does(
    redis_store: RedisStore, config: Config
) -> None:
    events = [ticket(day) for day in YEAR_ENDS]
    redis_store.upsert(events, config)
    for event in events:
        short = stored(redis_store, event).split(SEP)[3]
        contribution = contribution_of(event, config, event.team)
        assert contribution is not None
        assert (
            expand_contribution(short, redis_store.names).partition("\n")[0]
            == (contribution.encode().partition("\n")[0])
        )
        assert "~" not in short.partition("\n")[0]


FIELDS: list[dict[str, object]] = [
    {},
    {"updated_at": "2026-12-30T08:00:00+01:00", "occurred_at": "2026-12-29T23:30:00-05:00"},
    {"agent_name": None, "team": None, "attributes": {}},
    {"value": 2.125, "agent_name": ""},
]
"""Events that differ from `ticket`'s in what the short layout writes another way."""


@pytest.mark.parametrize("fields", FIELDS)
def test_rc002_a_stored_record_reads_back_as_it_was_sent(
    redis_store: RedisStore, config: Config, fields: dict[str, object]
) -> None:
    event = ticket(date(2026, 12, 29), **fields)
    redis_store.upsert([event], config)
    record = redis_store.record("crm", event.id)
    assert record is not None and Event.model_validate_json(record.event_json) == event


def test_rc003_a_typical_record_is_stored_in_under_80_bytes(redis_store: RedisStore, config: Config) -> None:
    event = ticket(date(2026, 12, 29), attributes={"channel": "chat"})
    redis_store.upsert([event], config)
    assert len(stored(redis_store, event).encode()) < 80


def test_rc004_a_packed_content_hash_keeps_64_bits_and_their_order() -> None:
    low, high = "00" * 7 + "ff" + "00" * 4, "00" * 7 + "ff" + "01" + "00" * 3
    assert (len(pack_hash(low)), pack_hash(low) == pack_hash(high)) == (11, True)
    assert pack_hash("00" * 7 + "fe" + "ff" * 4) < pack_hash(low)


def test_rc005_the_names_hash_is_a_hash_table_from_its_first_id(
    redis_store: RedisStore, config: Config
) -> None:
    redis_store.upsert([ticket(date(2026, 12, 29))], config)
    assert redis_store.client.object("encoding", redis_store.keys.names) == "hashtable"


@pytest.mark.parametrize("fields", FIELDS)
def test_rc006_a_short_event_reads_as_its_unpacked_text_does(
    redis_store: RedisStore, config: Config, fields: dict[str, object]
) -> None:
    event = ticket(date(2026, 12, 29), **fields)
    redis_store.upsert([event], config)
    packed = redis_store.parse_record(stored(redis_store, event))
    head = expand_contribution(packed.contribution, redis_store.names)
    from_text = decode_event(event.source, event.id, packed.event, head)
    assert packed.decoded(event.source, event.id, head).to_json() == from_text.to_json() == event.to_json()
