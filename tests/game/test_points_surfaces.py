"""Points where people and integrations see them: the read API's leaderboard and the rescore command."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from dashboard import create_app
from kpi.config import Config
from kpi.config.settings import Settings
from kpi.store import RedisStore
from tests.game.points_helpers import RULES, ev, points, rating
from wallboard.cli import main

READ = {"Authorization": "Bearer read-secret"}
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)


def test_the_leaderboard_api_ranks_agents_by_points(redis_store: RedisStore, config: Config) -> None:
    redis_store.upsert(
        [ev("t1", attributes={"priority": "urgent"}), ev("t2", agent_id="bo"), rating("r1", "t2", 5)], config
    )
    app = create_app(Settings(api_token="read-secret"), config=config, store=redis_store, clock=lambda: NOW)
    response = app.server.test_client().get("/api/v1/leaderboard?metric=points&period=week", headers=READ)
    assert response.status_code == 200
    assert [(row["id"], row["value"]) for row in response.json["rows"]] == [("ann", 30), ("bo", 25)]


def test_the_leaderboard_api_sums_points_per_team(redis_store: RedisStore, config: Config) -> None:
    redis_store.upsert([ev("t1"), ev("t2", agent_id="bo"), ev("t3", agent_id="cy", team="South")], config)
    app = create_app(Settings(api_token="read-secret"), config=config, store=redis_store, clock=lambda: NOW)
    response = app.server.test_client().get(
        "/api/v1/leaderboard?metric=points&period=day&scope=team", headers=READ
    )
    assert [(row["id"], row["value"]) for row in response.json["rows"]] == [("North", 20), ("South", 10)]


def test_the_rescore_command_applies_changed_rules_to_history(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    redis_store: RedisStore,
    redis_server,
    config: Config,  # noqa: ANN001
) -> None:
    redis_store.upsert([ev("t1"), ev("t0", occurred_at="2026-11-01T10:00:00+01:00")], config)
    path = tmp_path / "wallboard.yaml"
    metrics = {"tickets_solved": {"type": "ticket_solved", "aggregation": "count"}}
    rules = {**RULES, "ticket_solved": {"base": 7}}
    path.write_text(
        yaml.safe_dump({"timezone": "Europe/Oslo", "metrics": metrics, "points": {"rules": rules}})
    )
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    monkeypatch.setenv("WALLBOARD_CONFIG", str(path))
    assert main(["rescore", "--since", "2026-11-20"]) == 0
    assert (points(redis_store), points(redis_store, bucket="2026-11-01")) == (7, 10)


def test_the_rescore_command_needs_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert main(["rescore"]) == 2
