"""The watermark cursor: overlap arithmetic, vendor time formats, and cursors saved by earlier code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from connectors.core.cursor import Watermark, newest

AT = datetime(2026, 11, 4, 10, 0, 0, 12_000, tzinfo=UTC)


def test_resume_starts_the_overlap_before_the_newest_change():
    assert Watermark("modified", overlap_seconds=300).resume(AT) == AT - timedelta(minutes=5)


def test_resume_never_goes_back_before_the_floor():
    floor = AT - timedelta(minutes=1)
    assert Watermark("modified", overlap_seconds=300).resume(AT, floor=floor) == floor


def test_advance_moves_the_mark_to_the_newest_readable_change():
    records = [{"modified": "2026-11-05T09:00:00Z"}, {"modified": "last tuesday"}, {"other": 1}]
    high, found = Watermark("modified").advance(AT, records)
    assert high == found == datetime(2026, 11, 5, 9, tzinfo=UTC)


def test_advance_keeps_the_mark_when_nothing_is_newer():
    high, found = Watermark("modified").advance(AT, [{"modified": "2026-11-01T00:00:00Z"}])
    assert (high, found) == (AT, datetime(2026, 11, 1, tzinfo=UTC))


def test_newest_reads_a_dotted_field_and_passes_over_records_without_one():
    records = [{"properties": {"stamp": "1762250400000"}}, {"properties": {}}, "not a record"]
    assert newest(records, "properties.stamp") == datetime(2025, 11, 4, 10, tzinfo=UTC)


def test_newest_of_no_records_is_none():
    assert newest([], "modified") is None


@pytest.mark.parametrize(
    ("fmt", "written"),
    [("iso", "2026-11-04T10:00:00.012000Z"), ("epoch_seconds", 1793786400), ("epoch_millis", 1793786400012)],
)
def test_render_writes_the_time_as_the_vendor_does(fmt, written):
    assert Watermark("modified", format=fmt).render(AT) == written


def test_render_of_an_office_time_is_in_utc():
    oslo = AT.astimezone(ZoneInfo("Europe/Oslo"))
    assert Watermark("modified").render(oslo) == "2026-11-04T10:00:00.012000Z"


@pytest.mark.parametrize("fmt", ["iso", "epoch_seconds", "epoch_millis"])
def test_a_rendered_time_reads_back_to_the_same_value(fmt):
    mark = Watermark("modified", format=fmt)
    assert mark.render(mark.read(mark.render(AT))) == mark.render(AT)


def test_millisecond_cursors_saved_by_the_earlier_code_read_back_unchanged():
    mark = Watermark("modified", format="epoch_millis")
    saved = [int((AT + timedelta(milliseconds=n * 7919)).timestamp() * 1000) for n in range(2000)]
    assert [mark.render(mark.read(value)) for value in saved] == saved
