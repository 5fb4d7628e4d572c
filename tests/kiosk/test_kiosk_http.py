"""The kiosk over HTTP: 404s, display keys, cheap polls and top N only in every response (issue #3)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import dash
from conftest import agent_name
from dash_client import DashClient, find_store
from kiosk_support import NOW, event

from dashboard import create_app
from dashboard.services.kiosk.wire import seen_after
from kpi.config import Config
from kpi.config.settings import Settings
from kpi.ingest.pipeline import ingest_events
from kpi.store import RedisStore
from kpi.store.sync_state import sync_state_for

SHOWN = {agent_name(i) for i in (10, 9, 8)}
NEVER = {agent_name(i) for i in range(8)} | {agent_name(11)}


def _names_in(body: bytes) -> set[str]:
    text = body.decode()
    return {agent_name(i) for i in range(12) if agent_name(i) in text}


def _opened(client: DashClient, url: str = "/kiosk/tv") -> tuple[dict, dict]:
    status, body = client.page(url)
    assert status == 200
    layout = json.loads(body)["response"]["_pages_content"]["children"]
    return find_store(layout, "kiosk-meta"), find_store(layout, "kiosk-seen")


def test_khttp001_an_unknown_screen_is_a_404_listing_the_screens(kiosk_app: dash.Dash) -> None:
    client = kiosk_app.server.test_client()
    for path in ("/kiosk/nope", "/kiosk/", "/kiosk/tv/extra"):
        response = client.get(path)
        text = response.get_data(as_text=True)
        assert response.status_code == 404, path
        assert 'href="/kiosk/tv"' in text and 'href="/kiosk/locked"' in text
    assert client.get("/kiosk/tv").status_code == 200


def test_khttp002_the_page_layout_names_the_top_n_only(kiosk_app: dash.Dash) -> None:
    client = DashClient(kiosk_app.server.test_client())
    status, body = client.page("/kiosk/tv")
    assert status == 200
    assert _names_in(body) == SHOWN


def test_khttp003_an_unchanged_poll_is_tiny_and_carries_no_data(kiosk_app: dash.Dash) -> None:
    client = DashClient(kiosk_app.server.test_client())
    meta, seen = _opened(client)
    status, body = client.poll(meta, seen, views=3)
    assert status == 200 and len(body) < 100
    answer = json.loads(body)
    assert set(answer) == {"p"} and answer["p"]["ok"] is True


def test_khttp004_a_changed_poll_sends_the_views_again_top_n_only(
    kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    client = DashClient(kiosk_app.server.test_client())
    meta, seen = _opened(client)
    ingest_events(
        twelve_agents, kiosk_config, [event("a07", name=agent_name(7), at=NOW) for _ in range(5)], now=NOW
    )
    status, body = client.poll(meta, seen, views=3)
    answer = json.loads(body)
    assert status == 200 and answer["b"]
    assert _names_in(body) == {agent_name(i) for i in (10, 9, 7)}
    assert answer["s"]["v"] > seen["v"]


def test_khttp005_whatever_the_browser_sends_no_name_beyond_top_n(kiosk_app: dash.Dash) -> None:
    client = DashClient(kiosk_app.server.test_client())
    meta, seen = _opened(client)
    forged_metas = [meta, {**meta, "top_n": 50, "durations": [1] * 3}, {**meta, "screen": "tv", "view": 99}]
    forged_seens = [{**seen, "v": -1}, {"v": None, "sig": seen["sig"], "c": "0-0"}, {**seen, "v": "x"}]
    for forged_meta in forged_metas:
        for forged_seen in forged_seens:
            for views in (3, 12):
                status, body = client.poll(forged_meta, forged_seen, views=views)
                assert status == 200
                assert not _names_in(body) & NEVER


def test_khttp006_a_wrong_or_missing_display_key_shows_no_data(kiosk_app: dash.Dash) -> None:
    client = DashClient(kiosk_app.server.test_client())
    for url in ("/kiosk/locked", "/kiosk/locked?key=wrong"):
        status, body = client.page(url)
        assert status == 200 and b"Display key needed" in body and not _names_in(body)
    meta, seen = _opened(client, "/kiosk/locked?key=s3cret")
    assert meta["key"] == "s3cret" and _names_in(client.page("/kiosk/locked?key=s3cret")[1]) == SHOWN
    status, body = client.poll({**meta, "key": "wrong"}, {**seen, "v": -1}, views=1)
    answer = json.loads(body)
    assert set(answer) == {"p", "r"} and answer["r"] == "locked"
    assert not _names_in(body)


def test_khttp007_a_new_config_or_app_version_orders_a_reload(kiosk_app: dash.Dash) -> None:
    client = DashClient(kiosk_app.server.test_client())
    meta, seen = _opened(client)
    status, body = client.poll(meta, {**seen, "sig": "an-older-version"}, views=3)
    answer = json.loads(body)
    assert answer["r"] == seen["sig"] and "b" not in answer
    status, body = client.poll(meta, seen, views=2)
    assert json.loads(body)["r"] == seen["sig"]


def test_khttp008_a_poll_brings_a_new_celebration_once(
    kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    client = DashClient(kiosk_app.server.test_client())
    meta, seen = _opened(client)
    deal = event(
        "a03", "deal_won", value=4200, name="Deal Maker", team="Sales", at=NOW - timedelta(seconds=5)
    )
    ingest_events(twelve_agents, kiosk_config, [deal], now=NOW)
    status, body = client.poll(meta, seen, views=3)
    answer = json.loads(body)
    assert answer["c"]["seconds"] == 3
    overlay = json.dumps(answer["o"])
    assert "Deal M." in overlay and "4,200" in overlay
    status, body = client.poll(meta, seen_after(seen, answer["s"]), views=3)
    assert set(json.loads(body)) == {"p"}


def test_khttp009_a_hidden_agent_is_never_celebrated(
    kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    client = DashClient(kiosk_app.server.test_client())
    meta, seen = _opened(client)
    ingest_events(
        twelve_agents,
        kiosk_config,
        [event("a11", "deal_won", value=9000, name=agent_name(11), team="Sales", at=NOW)],
        now=NOW,
    )
    status, body = client.poll(meta, seen, views=3)
    assert agent_name(11) not in body.decode() and "c" not in json.loads(body)


def test_khttp010_the_start_page_links_to_every_screen(kiosk_app: dash.Dash) -> None:
    client = DashClient(kiosk_app.server.test_client())
    status, body = client.page("/")
    text = json.dumps(json.loads(body))
    assert status == 200 and "/kiosk/tv" in text and "/kiosk/locked" in text


def test_khttp011_the_start_page_leaders_leave_out_hidden_agents(kiosk_app: dash.Dash) -> None:
    client = DashClient(kiosk_app.server.test_client())
    status, body = client.call("home-boards.children", [1], [-1])
    assert status == 200 and agent_name(10) in body.decode() and agent_name(11) not in body.decode()


def test_khttp012_a_poll_while_the_store_is_down_says_so_and_recovers(
    kiosk_app: dash.Dash, redis_server
) -> None:
    client = DashClient(kiosk_app.server.test_client())
    meta, seen = _opened(client)
    redis_server.stop()
    try:
        status, body = client.poll(meta, {**seen, "v": -1}, views=3)
        assert status == 200 and json.loads(body) == {"p": {"t": json.loads(body)["p"]["t"], "ok": False}}
    finally:
        redis_server.start()
    status, body = client.poll(meta, seen, views=3)
    assert status == 200 and json.loads(body)["p"]["ok"] is True


def test_khttp013_only_views_whose_data_changed_are_sent_again(
    kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    client = DashClient(kiosk_app.server.test_client())
    meta, seen = _opened(client)
    ingest_events(twelve_agents, kiosk_config, [event("a01", "nps_response", value=9, at=NOW)], now=NOW)
    status, body = client.poll(meta, seen, views=3)
    answer = json.loads(body)
    assert answer["s"]["v"] > seen["v"] and "b" not in answer
    yesterday_outside_the_top = event("a01", at=NOW - timedelta(days=1))
    ingest_events(twelve_agents, kiosk_config, [yesterday_outside_the_top], now=NOW)
    status, body = client.poll(meta, seen_after(seen, answer["s"]), views=3)
    assert list(json.loads(body)["b"]) == ["2"]


def test_khttp100_a_poll_names_the_sources_that_are_behind(
    twelve_agents: RedisStore, kiosk_config: Config, clock
) -> None:  # noqa: ANN001
    """A connector without a success for three intervals turns the TV's status amber, saying which."""
    config = kiosk_config.model_copy(
        update={"connectors": {"zendesk": {"type": "zendesk", "interval_seconds": 60}}}
    )
    sync_state_for(twelve_agents).write_health(
        "zendesk", {"status": "error", "last_success_at": (NOW - timedelta(minutes=10)).isoformat()}
    )
    app = create_app(Settings(), config=config, store=twelve_agents, clock=clock)
    client = DashClient(app.server.test_client())
    meta, seen = _opened(client)
    status, body = client.poll(meta, seen, views=3)
    pulse = json.loads(body)["p"]
    assert status == 200 and pulse["behind"] == ["zendesk"]
    assert pulse["asof"] == int((NOW - timedelta(minutes=10)).timestamp())


def test_khttp101_celebrations_arriving_together_are_shown_one_after_another(
    twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    """Two big deals in one batch: the first overlay gets its seconds, then the second follows."""
    now = [NOW]
    app = create_app(Settings(), config=kiosk_config, store=twelve_agents, clock=lambda: now[0])
    client = DashClient(app.server.test_client())
    meta, seen = _opened(client)
    deals = [
        event("a03", "deal_won", value=4200, name="First Closer", team="Sales", record="d-1"),
        event("a04", "deal_won", value=5100, name="Second Closer", team="Sales", record="d-2"),
    ]
    ingest_events(twelve_agents, kiosk_config, deals, now=NOW)

    def poll(seen: dict) -> dict:
        return json.loads(client.poll(meta, seen, views=3)[1])

    first = poll(seen)
    assert "First C." in json.dumps(first["o"])
    now[0] = NOW + timedelta(seconds=1)
    seen = seen_after(seen, first["s"])
    meanwhile = poll(seen)
    assert "o" not in meanwhile
    now[0] = NOW + timedelta(seconds=4)
    second = poll(seen_after(seen, meanwhile.get("s", {})))
    assert "Second C." in json.dumps(second["o"])


def test_khttp102_the_tv_page_is_dark_before_the_app_renders(kiosk_app: dash.Dash) -> None:
    """The index HTML marks kiosk pages at once, so a reload on a TV never flashes a white page."""
    html = kiosk_app.server.test_client().get("/kiosk/tv").get_data(as_text=True)
    assert 'document.documentElement.className = "wb-tv"' in html
    css = (Path(kiosk_app.config.assets_folder) / "kiosk.css").read_text()
    assert "html.wb-tv" in css
