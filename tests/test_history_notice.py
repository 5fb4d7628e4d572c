"""While the demo loads its history every page says "Loading history…", and the console says when it is in."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import dash
import pytest

from dashboard import create_app, ids
from kpi.config import Config
from kpi.config.settings import Settings
from kpi.store import MemoryStore, RedisStore
from kpi.store.history_state import history_loading, mark_history_loading
from wallboard.demo import DemoFeed

NOW = datetime(2026, 11, 24, 13, 0, tzinfo=timezone.utc)


def _notice_hidden(app: dash.Dash) -> bool:
    """The notice's `hidden` in the layout every page is served in."""
    text = app.server.test_client().get("/_dash-layout").get_data(as_text=True)

    def find(node: object) -> dict | None:
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == ids.HISTORY_NOTICE:
                return node["props"]
            children = node.get("props", {}).get("children")
            return find(children)
        if isinstance(node, list):
            return next((found for item in node if (found := find(item)) is not None), None)
        return None

    notice = find(json.loads(text))
    assert notice is not None
    return bool(notice.get("hidden"))


def test_the_flag_is_kept_in_each_kind_of_store(store: MemoryStore | RedisStore) -> None:
    assert not history_loading(store)
    mark_history_loading(store, True)
    assert history_loading(store)
    mark_history_loading(store, False)
    assert not history_loading(store)


def test_every_page_is_served_with_the_notice_while_the_history_loads(config: Config) -> None:
    store = MemoryStore()
    app = create_app(Settings(), config=config, store=store)
    mark_history_loading(store, True)
    assert not _notice_hidden(app)
    mark_history_loading(store, False)
    assert _notice_hidden(app)


def test_the_demo_flags_its_backfill_and_prints_when_it_is_done(
    config: Config, redis_store: RedisStore, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = DemoFeed(redis_store, config, days=2, tick_seconds=60, clock=lambda: NOW)
    feed.start()
    assert history_loading(redis_store)
    assert feed.backfilled.wait(60)
    feed.stop()
    feed.join(10)
    assert not history_loading(redis_store)
    assert "History loaded:" in capsys.readouterr().out


@pytest.mark.browser
def test_the_kiosk_shows_the_notice_until_the_history_is_in(dash_duo, config: Config) -> None:  # noqa: ANN001
    store = MemoryStore()
    mark_history_loading(store, True)
    dash_duo.start_server(create_app(Settings(), config=config, store=store))
    dash_duo.driver.get(dash_duo.server_url + "/kiosk/floor")
    dash_duo.wait_for_text_to_equal(
        f"#{ids.HISTORY_NOTICE}", "Loading history… figures are partial until it is in"
    )
    mark_history_loading(store, False)
    dash_duo.wait_for_style_to_equal(f"#{ids.HISTORY_NOTICE}", "display", "none", timeout=10)
