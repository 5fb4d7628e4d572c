"""An agent's own choices: hidden from TVs (still counted for the team), and no badge celebrations."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kpi.config import Config, load_config
from kpi.config.screens import LeaderboardView, Screen
from kpi.ingest.pipeline import ingest_events
from kpi.model.agents import AgentChoices
from kpi.model.events import Event
from kpi.read.celebrations import for_screen
from kpi.read.display_names import hidden_agents, quiet_agents
from kpi.read.kiosk_views import podium
from kpi.read.rankings import member_reading
from kpi.store import MemoryStore, RedisStore
from kpi.store.agent_choices import choices_for
from kpi.store.celebration_feed import START, feed_for

pytestmark = pytest.mark.cluster
"""Also on a three-master Redis Cluster (tests/conftest.py)."""

NOW = datetime(2026, 11, 25, 13, 0, tzinfo=timezone.utc)


def _deal(agent: str, n: int, value: float = 100.0) -> Event:
    return Event(
        source="crm",
        id=f"{agent}-{n}",
        type="deal_won",
        agent_id=agent,
        agent_name=agent.title(),
        team="Sales",
        value=value,
        occurred_at=NOW - timedelta(minutes=1),
    )


def test_an_agent_who_never_chose_gets_the_defaults(store: MemoryStore | RedisStore) -> None:
    assert choices_for(store).of("nobody") == AgentChoices(hide_from_screens=False, celebrate_badges=True)
    assert choices_for(store).all() == {}


def test_a_saved_choice_is_read_back_and_moves_the_data_version(store: MemoryStore | RedisStore) -> None:
    before = store.data_version()
    choices_for(store).save("ana", AgentChoices(hide_from_screens=True, celebrate_badges=False))
    assert choices_for(store).of("ana") == AgentChoices(True, False)
    assert choices_for(store).all() == {"ana": AgentChoices(True, False)}
    assert store.data_version() > before


def test_choices_live_in_redis_so_every_worker_sees_them(redis_store: RedisStore) -> None:
    choices_for(redis_store).save("ana", AgentChoices(hide_from_screens=True))
    other_worker = RedisStore(redis_store.client, redis_store.namespace)
    assert choices_for(other_worker).of("ana").hide_from_screens


def test_hidden_by_choice_or_by_config_and_quiet_includes_who_opted_out() -> None:
    config = load_config()
    choices = {"ana": AgentChoices(hide_from_screens=True), "bo": AgentChoices(celebrate_badges=False)}
    assert hidden_agents(config.agents, choices) == {"ana"}
    assert quiet_agents(config.agents, choices) == {"ana", "bo"}


def test_an_agent_hidden_by_choice_leaves_the_podium_but_still_counts_for_the_team(
    redis_store: RedisStore, config: Config
) -> None:
    ingest_events(redis_store, config, [_deal("ana", n, 500) for n in range(3)] + [_deal("bo", 1)], now=NOW)
    screen = Screen(views=[{"type": "leaderboard", "metric": "revenue", "period": "day"}])
    view = screen.views[0]
    assert isinstance(view, LeaderboardView)
    assert [r.name for r in podium(redis_store, config, screen, view, NOW).rows] == ["Ana", "Bo"]
    choices_for(redis_store).save("ana", AgentChoices(hide_from_screens=True))
    assert [r.name for r in podium(redis_store, config, screen, view, NOW).rows] == ["Bo"]
    bucket = NOW.astimezone(config.zone).date().isoformat()
    assert member_reading(redis_store, config, "revenue", bucket, "team", "Sales").value == 1600


def test_an_agent_hidden_by_choice_is_never_celebrated(redis_store: RedisStore) -> None:
    config = load_config()
    choices_for(redis_store).save("ana", AgentChoices(hide_from_screens=True))
    ingest_events(redis_store, config, [_deal("ana", 9, 50_000), _deal("bo", 9, 50_000)], now=NOW)
    published = [c.agent_id for _, c in feed_for(redis_store).since(START, max_age_seconds=600)]
    assert "ana" not in published and "bo" in published


def test_a_celebration_published_before_the_choice_is_not_shown_after_it(redis_store: RedisStore) -> None:
    config = load_config()
    ingest_events(redis_store, config, [_deal("ana", 7, 50_000)], now=NOW)
    (item,) = [c for _, c in feed_for(redis_store).since(START, max_age_seconds=600)]
    assert for_screen([item], config.agents, "none", choices_for(redis_store).all()) == item
    choices_for(redis_store).save("ana", AgentChoices(hide_from_screens=True))
    assert for_screen([item], config.agents, "none", choices_for(redis_store).all()) is None
