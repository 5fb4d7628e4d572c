"""What a kiosk poll decides, without a server: the seen state, reloads, views to resend, celebrations."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from dashboard.services.kiosk.poll import must_reload, next_celebration, pulse, views_to_send
from dashboard.services.kiosk.seen import Seen
from kpi.config.agents import AgentDisplay
from kpi.model.celebration import Celebration
from kpi.read.freshness import Freshness
from kpi.store.celebration_feed import START


def _celebration(agent_id: str, name: str = "Ada Lovelace") -> Celebration:
    return Celebration(
        "Deal won", "deal_won", agent_id, name, False, "Sales", 1200.0, "EUR", "2026-11-24T10:00Z"
    )


def test_kpoll001_the_seen_state_keeps_the_browsers_wire_format() -> None:
    seen = Seen(7, "abc", "17-0", 1700000000.5, ("d1", "d2"))
    assert seen.to_store() == {"v": 7, "sig": "abc", "c": "17-0", "ct": 1700000000.5, "d": ["d1", "d2"]}
    assert Seen.from_store(seen.to_store()) == seen


@pytest.mark.parametrize(
    "sent",
    [None, "x", [], {}, {"v": "x", "sig": 3, "c": None, "ct": "soon", "d": "abc"}, {"v": True, "ct": False}],
)
def test_kpoll002_a_broken_or_forged_seen_state_counts_as_nothing_seen(sent: object) -> None:
    assert Seen.from_store(sent) == Seen(None, None, START, 0, ())


def test_kpoll003_a_seen_state_without_a_celebration_time_is_read_as_none_shown() -> None:
    seen = Seen.from_store({"v": 3, "sig": "s", "c": "5-0", "d": ["a", 4]})
    assert seen == Seen(3, "s", "5-0", 0, ("a", ""))


def test_kpoll004_a_tv_reloads_for_a_new_signature_or_another_number_of_views() -> None:
    seen = Seen(1, "sig")
    assert not must_reload(seen, "sig", 3, 3)
    assert must_reload(seen, "new", 3, 3)
    assert must_reload(seen, "sig", 2, 3)
    assert must_reload(Seen(), "sig", 3, 3)


def test_kpoll005_only_views_whose_fingerprint_changed_are_sent_again() -> None:
    assert views_to_send(["a", "b", "c"], ["a", "x", "c"]) == [False, True, False]
    assert views_to_send([], ["a", "b"]) == [True, True]
    assert views_to_send(["a"], ["a", "b"]) == [False, True]
    assert views_to_send(["a", "b", "c"], ["a"]) == [False]


def test_kpoll006_the_oldest_new_celebration_is_shown_first() -> None:
    fresh = [("10-0", _celebration("a1")), ("11-0", _celebration("a2", "Bo Ek"))]
    turn = next_celebration(fresh, Seen(celebration="9-0"), 1000.0, 8, {}, "none")
    assert (turn.latest, turn.show, turn.shown_at) == ("10-0", fresh[0][1], 1000.0)


def test_kpoll007_the_next_celebration_waits_until_the_current_one_had_its_seconds() -> None:
    fresh = [("11-0", _celebration("a2"))]
    seen = Seen(celebration="10-0", shown_at=1000.0)
    waiting = next_celebration(fresh, seen, 1007.9, 8, {}, "none")
    assert (waiting.latest, waiting.show, waiting.shown_at) == ("10-0", None, 1000.0)
    due = next_celebration(fresh, seen, 1008.0, 8, {}, "none")
    assert (due.latest, due.show, due.shown_at) == ("11-0", fresh[0][1], 1008.0)


def test_kpoll008_celebrations_of_hidden_agents_are_passed_over() -> None:
    hidden = {"a1": AgentDisplay(hide_from_screens=True)}
    fresh = [("10-0", _celebration("a1")), ("11-0", _celebration("a2"))]
    turn = next_celebration(fresh, Seen(), 1000.0, 8, hidden, "none")
    assert (turn.latest, turn.show) == ("11-0", fresh[1][1])
    only_hidden = next_celebration(fresh[:1], Seen(shown_at=5.0), 1000.0, 8, hidden, "none")
    assert (only_hidden.latest, only_hidden.show, only_hidden.shown_at) == ("10-0", None, 5.0)


def test_kpoll009_an_anonymizing_screen_celebrates_initials() -> None:
    turn = next_celebration([("10-0", _celebration("a1"))], Seen(), 1000.0, 8, {}, "initials")
    assert turn.show is not None and turn.show.name == "A. L."


def test_kpoll010_no_new_celebration_keeps_what_the_tv_has() -> None:
    turn = next_celebration([], Seen(celebration="10-0", shown_at=900.0), 1000.0, 8, {}, "none")
    assert (turn.latest, turn.show, turn.shown_at) == ("10-0", None, 900.0)


def test_kpoll011_the_pulse_names_the_sources_behind_and_the_oldest_data() -> None:
    assert pulse(True, 1000.9) == {"t": 1000, "ok": True}
    assert pulse(False, 1000.0, Freshness((), None)) == {"t": 1000, "ok": False}
    oldest = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
    assert pulse(True, 1000.0, Freshness(("crm",), oldest)) == {
        "t": 1000,
        "ok": True,
        "behind": ["crm"],
        "asof": int(oldest.timestamp()),
    }
