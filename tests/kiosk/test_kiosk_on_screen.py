"""A TV is sent the views on screen and next, the others when they come up (issue #13, "On the wire")."""

from __future__ import annotations

import json
from datetime import timedelta

import dash
from conftest import agent_name
from dash_client import DashClient, find_store
from kiosk_support import NOW, event

from dashboard.services.kiosk.poll import held_back, views_due, views_to_send
from dashboard.services.kiosk.seen import Seen
from dashboard.services.kiosk.wire import PATCH, on_screen, poll_url, seen_after
from kpi.config import Config
from kpi.ingest.pipeline import ingest_events
from kpi.store import RedisStore


def test_kscr001_the_view_on_screen_and_the_next_are_due() -> None:
    assert views_due(2, [20, 20, 20, 20, 20], refresh=3) == [False, False, True, True, False]


def test_kscr002_the_next_view_wraps_around_to_the_first() -> None:
    assert views_due(3, [20, 20, 20, 20], refresh=3) == [True, False, False, True]


def test_kscr003_short_views_that_may_come_up_before_the_next_answer_are_due_too() -> None:
    assert views_due(0, [20, 2, 3, 20, 20], refresh=3) == [True, True, True, True, False]


def test_kscr004_a_one_view_screen_has_its_view_due() -> None:
    assert views_due(0, [20], refresh=3) == [True]


def test_kscr005_every_view_is_due_when_the_tv_does_not_say_which_it_shows() -> None:
    assert views_due(None, [20, 20, 20], refresh=3) == [True, True, True]
    assert views_due(7, [20, 20, 20], refresh=3) == [True, True, True]


def test_kscr006_a_changed_view_off_screen_is_held_back_unless_the_tv_never_had_it() -> None:
    send = views_to_send(["a", "b", "", "d"], ["A", "B", "C", "D"], [True, False, False, False])
    assert send == [True, False, True, False]


def test_kscr007_a_held_back_view_keeps_the_fingerprint_the_tv_has() -> None:
    assert held_back(["a", "b", "c"], ["A", "B", "c"], [True, False, False]) == ("A", "b", "c")


def test_kscr008_the_view_on_screen_follows_the_rotation_or_the_pinned_view() -> None:
    meta = {"durations": [10, 5, 20], "pinned": None}
    assert [on_screen(meta, t) for t in (0, 9.9, 10, 15, 34.9, 35)] == [0, 0, 1, 2, 2, 0]
    assert on_screen({**meta, "pinned": 1}, 0) == 1


def test_kscr009_the_poll_says_which_view_is_on_screen() -> None:
    url = poll_url({"poll": "/_kiosk/poll/tv", "durations": [2, 2], "key": "k"}, {"v": 3}, showing=1)
    assert url == "/_kiosk/poll/tv?n=2&w=1&key=k&v=3"


def _opened(app: dash.Dash, url: str) -> tuple[dict, dict]:
    status, body = DashClient(app.server.test_client()).page(url)
    layout = json.loads(body)["response"]["_pages_content"]["children"]
    return find_store(layout, "kiosk-meta"), find_store(layout, "kiosk-seen")


def _poll(app: dash.Dash, meta: dict, seen: dict, showing: int) -> dict:
    return app.server.test_client().get(poll_url(meta, seen, showing)).get_json()


def _new_leader(store: RedisStore, config: Config) -> None:
    """a03 solves 20 tickets: a new leader on both boards and a new total on the tiles."""
    ingest_events(store, config, [event("a03", name=agent_name(3)) for _ in range(20)], now=NOW)


def test_kscr010_a_view_off_screen_is_not_sent_when_its_data_changes(
    kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    meta, seen = _opened(kiosk_app, "/kiosk/tv")
    _new_leader(twelve_agents, kiosk_config)
    answer = _poll(kiosk_app, meta, seen, showing=0)
    assert set(answer["b"]) == {"0", "1"}
    assert set(answer["s"]) == {"d"} and set(answer["s"]["d"]) == {"0", "1"}  # v stays: view 2 is behind


def test_kscr011_a_held_back_view_is_sent_as_a_patch_when_it_comes_next(
    kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    meta, seen = _opened(kiosk_app, "/kiosk/tv")
    _new_leader(twelve_agents, kiosk_config)
    seen = seen_after(seen, _poll(kiosk_app, meta, seen, showing=0)["s"])
    answer = _poll(kiosk_app, meta, seen, showing=1)
    assert set(answer["b"]) == {"2"} and answer["b"]["2"][PATCH] == PATCH
    assert answer["s"]["v"] > seen["v"]


def test_kscr012_a_tv_holding_back_a_view_off_screen_gets_only_the_pulse(
    kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    meta, seen = _opened(kiosk_app, "/kiosk/tv")
    _new_leader(twelve_agents, kiosk_config)
    seen = seen_after(seen, _poll(kiosk_app, meta, seen, showing=0)["s"])
    answer = _poll(kiosk_app, meta, seen, showing=0)
    assert set(answer) == {"p"}


def test_kscr013_an_answer_carries_only_what_changed_in_the_seen_state() -> None:
    old = Seen(7, "sig", "5-0", 0, ("a", "b", "c"))
    new = Seen(8, "sig", "5-0", 0, ("a", "B", "c"))
    assert new.changes_from(old) == {"v": 8, "d": {"1": "B"}}


def test_kscr014_the_tv_merges_the_changes_into_its_seen_state() -> None:
    old = Seen(7, "sig", "5-0", 0, ("a", "b", "c")).to_store()
    merged = seen_after(old, {"v": 8, "d": {"1": "B"}})
    assert merged == Seen(8, "sig", "5-0", 0, ("a", "B", "c")).to_store()


def test_kscr015_the_tv_keeps_each_fingerprint_in_eight_characters() -> None:
    seen = Seen(7, "sig", digests=("0123456789ab", "ffffffffffff"))
    assert seen.to_store()["d"] == ["ASNFZ4mr", "________"]
    assert Seen.from_query({"v": "7", "s": "sig", "d": "ASNFZ4mr.________"}) == seen


def test_kscr016_a_celebration_reaches_a_tv_whatever_view_it_shows(
    kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    meta, seen = _opened(kiosk_app, "/kiosk/tv")
    at = NOW - timedelta(seconds=5)
    deal = event("a03", "deal_won", value=4200, name="Deal Maker", team="Sales", at=at)
    ingest_events(twelve_agents, kiosk_config, [deal], now=NOW)
    answer = _poll(kiosk_app, meta, seen, showing=2)
    assert "Deal M." in json.dumps(answer["o"]) and answer["s"]["c"] != seen["c"]
