"""Sources behind: a connector without a recent successful run makes the kiosks say so."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from kpi.read.freshness import freshness

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)


def _ago(seconds: float) -> dict[str, str]:
    return {"last_success_at": (NOW - timedelta(seconds=seconds)).isoformat()}


def test_fr001_a_connector_within_three_intervals_is_not_behind() -> None:
    result = freshness({"zendesk": {"interval_seconds": 60}}, {"zendesk": _ago(170)}, NOW, 60)
    assert result.behind == ()
    assert result.oldest == NOW - timedelta(seconds=170)


def test_fr002_a_connector_past_three_intervals_is_behind() -> None:
    result = freshness({"zendesk": {"interval_seconds": 60}}, {"zendesk": _ago(181)}, NOW, 60)
    assert result.behind == ("zendesk",)


def test_fr003_a_connector_that_never_succeeded_is_behind() -> None:
    assert freshness({"hubspot": {}}, {"hubspot": {"status": "error"}}, NOW, 60).behind == ("hubspot",)


def test_fr004_the_screen_threshold_is_a_floor_and_disabled_connectors_do_not_count() -> None:
    connectors = {"fast": {"interval_seconds": 5}, "off": {"enabled": False}}
    assert freshness(connectors, {"fast": _ago(100)}, NOW, 120).behind == ()


def test_fr005_no_connectors_means_nothing_is_behind() -> None:
    assert freshness({}, {}, NOW, 60) == freshness({}, {"old": _ago(9999)}, NOW, 60)
    assert freshness({}, {}, NOW, 60).behind == ()
