"""The challenge API and the TV and `/me` views: test challenges stay hidden; top N and hidden agents hold."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from dashboard import create_app
from kpi.config import Config
from kpi.config.agents import AgentDisplay
from kpi.config.settings import Settings
from kpi.ingest.challenges import settle_challenges
from kpi.read.challenge_views import challenge_view, my_challenges, screen_challenges
from kpi.store import RedisStore
from tests.challenges.support import MONDAY, at, instance, make_config, tickets, write

READ = {"Authorization": "Bearer read-secret"}
NOW = at(MONDAY + timedelta(days=2), 12)


@pytest.fixture
def config() -> Config:
    return make_config(
        {"id": "sprint", "kind": "race", "metric": "tickets_solved", "prize": "Pizza"},
        {"id": "trial", "kind": "race", "metric": "tickets_solved", "test": True},
        {"id": "weekly", "kind": "race", "metric": "tickets_solved", "recurring": "weekly"},
    )


@pytest.fixture
def client(redis_store: RedisStore, config: Config) -> FlaskClient:
    write(
        redis_store, config, tickets("ann", MONDAY, 5) + tickets("bob", MONDAY, 3) + tickets("cat", MONDAY, 1)
    )
    settings = Settings(api_token="read-secret")
    return create_app(settings, config=config, store=redis_store, clock=lambda: NOW).server.test_client()


def test_test_challenges_are_absent_from_the_list_without_include_test(client: FlaskClient) -> None:
    ids = [c["id"] for c in client.get("/api/v1/challenges", headers=READ).json["challenges"]]
    assert "trial" not in ids and "sprint" in ids
    assert client.get("/api/v1/challenges/trial", headers=READ).status_code == 404


def test_test_challenges_are_listed_with_include_test(client: FlaskClient) -> None:
    body = client.get("/api/v1/challenges?include_test=true", headers=READ).json
    assert "trial" in [c["id"] for c in body["challenges"]]
    assert client.get("/api/v1/challenges/trial?include_test=true", headers=READ).status_code == 200


def test_the_list_gives_each_instance_a_status(client: FlaskClient) -> None:
    body = client.get("/api/v1/challenges", headers=READ).json
    assert {c["id"]: c["status"] for c in body["challenges"]} == {
        "sprint": "active",
        "weekly:2026-W44": "settling",
        "weekly:2026-W45": "active",
        "weekly:2026-W46": "upcoming",
    }


def test_detail_gives_full_standings_and_no_winners_before_the_end(client: FlaskClient) -> None:
    body = client.get("/api/v1/challenges/sprint", headers=READ).json
    assert [(e["id"], e["rank"]) for e in body["standings"]] == [("ann", 1), ("bob", 2), ("cat", 3)]
    assert body["winners"] == [] and body["definition"]["prize"] == "Pizza"


def test_detail_gives_the_fixed_winners_once_ended(
    redis_store: RedisStore, config: Config, client: FlaskClient
) -> None:
    settle_challenges(redis_store, config, at(MONDAY + timedelta(days=8)))
    app = create_app(
        Settings(api_token="read-secret"),
        config=config,
        store=redis_store,
        clock=lambda: at(MONDAY + timedelta(days=8)),
    )
    body = app.server.test_client().get("/api/v1/challenges/sprint", headers=READ).json
    assert body["status"] == "final" and [w["id"] for w in body["winners"]] == ["ann"]


def test_the_challenges_need_the_read_token(client: FlaskClient) -> None:
    assert client.get("/api/v1/challenges").status_code == 401


def test_a_tv_never_gets_a_test_challenge(redis_store: RedisStore, config: Config) -> None:
    write(redis_store, config, tickets("ann", MONDAY, 2))
    assert challenge_view(redis_store, config, instance(config, "trial"), NOW, top_n=3, hidden=()) is None
    shown = screen_challenges(redis_store, config, NOW, top_n=3, hidden=())
    assert "trial" not in [v.instance_id for v in shown] and len(shown) == 2


def test_a_tv_shows_the_top_n_without_hidden_agents_and_with_aliases(redis_store: RedisStore) -> None:
    config = make_config({"id": "sprint", "kind": "race", "metric": "tickets_solved"})
    config = config.model_copy(update={"agents": {"bob": AgentDisplay(alias="Blue")}})
    write(
        redis_store,
        config,
        tickets("ann", MONDAY, 5)
        + tickets("bob", MONDAY, 3)
        + tickets("cat", MONDAY, 2)
        + tickets("dan", MONDAY, 1),
    )
    view = challenge_view(redis_store, config, instance(config, "sprint"), NOW, top_n=2, hidden={"ann"})
    assert view is not None and [(r.rank, r.name) for r in view.rows] == [(1, "Blue"), (2, "Cat")]


def test_me_shows_the_agents_own_position(redis_store: RedisStore, config: Config) -> None:
    write(redis_store, config, tickets("ann", MONDAY, 5) + tickets("bob", MONDAY, 3))
    mine = {
        m.state.instance.id: (m.entry.rank if m.entry else None, m.placed)
        for m in my_challenges(redis_store, config, "bob", NOW)
    }
    assert mine == {"sprint": (2, 2), "weekly:2026-W45": (2, 2)}
