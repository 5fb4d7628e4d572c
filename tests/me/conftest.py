"""Fixtures for `/me`: the manager test floor plus an agent user, a shared secret and link helpers."""

from __future__ import annotations

from importlib import resources

import dash
import pytest
import yaml
from flask.testing import FlaskClient

from dashboard import create_app
from dashboard.agent_auth import issue_token
from kpi.config import Config, parse_config
from kpi.config.settings import Settings
from kpi.store import RedisStore
from kpi.store.agent_access import access_for
from tests.manage.conftest import NOW, PASSWORDS, _hash, floor_events

SECRET = "me-test-secret-" + "x" * 32
READ = {"Authorization": "Bearer read-secret"}


def me_data() -> dict:
    """The decoded YAML of `me_config`, for a test to change and parse."""
    data = yaml.safe_load(resources.files("kpi.config").joinpath("default_config.yaml").read_text())
    data["users"] = {
        "ada": {"password_hash": _hash(PASSWORDS["ada"]), "role": "admin", "name": "Ada Admin"},
        "sam": {"password_hash": _hash("agent-password-1"), "role": "agent", "agent_id": "s2"},
    }
    data["auth"] = {"proxy_header": "X-Forwarded-User"}
    return data


@pytest.fixture(scope="session")
def me_config() -> Config:
    """The built-in config plus an admin (ada), and an agent user (sam, agent s2) behind a proxy header."""
    return parse_config(me_data(), "me test config")


@pytest.fixture
def me_store(redis_store: RedisStore, me_config: Config) -> RedisStore:
    """A Redis store holding the manager tests' floor."""
    redis_store.upsert(floor_events(days=21), me_config)
    return redis_store


@pytest.fixture
def me_app(me_store: RedisStore, me_config: Config) -> dash.Dash:
    """The whole app with a secret key and a read token, "now" pinned."""
    settings = Settings(secret_key=SECRET, api_token="read-secret")
    return create_app(settings, config=me_config, store=me_store, clock=lambda: NOW)


@pytest.fixture
def me_client(me_app: dash.Dash) -> FlaskClient:
    """A test client nobody signed in on."""
    return me_app.server.test_client()


def link_path(store: RedisStore, agent_id: str, days: float = 7, secret: str = SECRET) -> str:
    """The path of a personal link of `agent_id` for their current generation."""
    token = issue_token(secret, agent_id, access_for(store).generation(agent_id), days, NOW)
    return f"/me/link/{token}"
