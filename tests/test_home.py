"""The start page: links to every screen and the manager view, and today's top three per metric, live."""

from __future__ import annotations

from datetime import datetime, timezone

import dash
import pytest

from dashboard import create_app
from dashboard.callbacks.home import refresh_home
from kpi.config import Config
from kpi.config.settings import Settings
from kpi.model.events import Event
from kpi.store import MemoryStore

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
NAMES = {"ann": "Annika", "bo": "Bodil", "cy": "Cyrus", "di": "Dagny", "ed": "Edvard"}


def _tickets(agent: str, count: int) -> list[Event]:
    return [
        Event(
            source="helpdesk",
            id=f"{agent}-{n}",
            type="ticket_solved",
            agent_id=agent,
            agent_name=NAMES[agent],
            team="Support",
            occurred_at=NOW,
        )
        for n in range(count)
    ]


@pytest.fixture
def app(config: Config) -> dash.Dash:
    """The app over an in-process store where five agents solved 5, 4, 3, 2 and 1 tickets today."""
    store = MemoryStore()
    for agent, count in (("ann", 5), ("bo", 4), ("cy", 3), ("di", 2), ("ed", 1)):
        store.upsert(_tickets(agent, count), config)
    return create_app(Settings(), config=config, store=store, clock=lambda: NOW)


def test_home001_leaders_show_the_top_three_of_today_only(app: dash.Dash) -> None:
    with app.server.test_request_context():
        boards, version = refresh_home(1, -1)
    text = str(boards[0])
    assert "Annika" in text and "Bodil" in text and "Cyrus" in text
    assert "Dagny" not in text and "Edvard" not in text
    assert version == 15


def test_home002_an_unchanged_data_version_sends_nothing(app: dash.Dash) -> None:
    with app.server.test_request_context():
        assert refresh_home(2, 15) == (dash.no_update, dash.no_update)


def test_home003_the_page_links_every_screen_and_the_manager_view(app: dash.Dash, config: Config) -> None:
    from dashboard.layouts.home import layout

    with app.server.test_request_context():
        page = str(layout())
    assert "/manage" in page
    for name in config.screens:
        assert f"/kiosk/{name}" in page
