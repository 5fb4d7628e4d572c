"""Fixtures for the manager pages: a config with users, a seeded Redis store, the app, signed-in clients."""

from __future__ import annotations

import json
import random
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import dash
import pytest
import yaml
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from dashboard import create_app
from kpi.config import Config, parse_config
from kpi.config.settings import Settings
from kpi.model.events import Event
from kpi.store import RedisStore

NOW = datetime(2026, 11, 24, 14, 0, tzinfo=timezone.utc)
PASSWORDS = {"ada": "admin-password-1", "leo": "lead-password-1"}
TEAMS = {"Support": ("ticket_solved", 6), "Phones": ("call_handled", 8), "Sales": ("deal_won", 1)}
AGENTS = {
    "Support": [("s1", "Siri Support"), ("s2", "Sam Support"), ("s3", "Sol Support")],
    "Phones": [("p1", "Pia Phones"), ("p2", "Per Phones")],
    "Sales": [("x1", "Xena Sales"), ("x2", "Xavi Sales")],
}


def _hash(password: str) -> str:
    return generate_password_hash(password, method="pbkdf2:sha256:1000")


@pytest.fixture(scope="session")
def manage_config() -> Config:
    """The built-in config plus an admin (ada) and a lead of Support (leo)."""
    from importlib import resources

    data = yaml.safe_load(resources.files("kpi.config").joinpath("default_config.yaml").read_text())
    data["users"] = {
        "ada": {"password_hash": _hash(PASSWORDS["ada"]), "role": "admin", "name": "Ada Admin"},
        "leo": {"password_hash": _hash(PASSWORDS["leo"]), "role": "lead", "teams": ["Support"]},
    }
    return parse_config(data, "manage test config")


def floor_events(days: int = 70, seed: int = 7) -> list[Event]:
    """A small, deterministic floor: work, CSAT and NPS for every agent on every weekday before NOW."""
    rng = random.Random(seed)
    events: list[Event] = []
    for back in range(days):
        moment = NOW - timedelta(days=back, hours=2)
        if moment.weekday() >= 5:
            continue
        for team, (kind, per_day) in TEAMS.items():
            for index, (agent_id, name) in enumerate(AGENTS[team]):
                for n in range(per_day + index):
                    value = {"ticket_solved": 1.0, "call_handled": rng.randint(120, 420)}.get(
                        kind, rng.randint(1000, 9000)
                    )
                    events.append(
                        Event(
                            source="test",
                            id=f"{agent_id}-{back}-{n}",
                            type=kind,
                            agent_id=agent_id,
                            agent_name=name,
                            team=team,
                            value=value,
                            occurred_at=moment,
                        )
                    )
                for n in range(3):
                    events.append(
                        Event(
                            source="test",
                            id=f"{agent_id}-{back}-c{n}",
                            type="csat_rating",
                            agent_id=agent_id,
                            agent_name=name,
                            team=team,
                            value=rng.choice([3, 4, 4, 5, 5]),
                            occurred_at=moment,
                        )
                    )
                    events.append(
                        Event(
                            source="test",
                            id=f"{agent_id}-{back}-n{n}",
                            type="nps_response",
                            agent_id=agent_id,
                            agent_name=name,
                            team=team,
                            value=rng.choice([3, 6, 7, 8, 9, 10, 10]),
                            occurred_at=moment,
                        )
                    )
    return events


@pytest.fixture
def seeded_store(redis_store: RedisStore, manage_config: Config) -> RedisStore:
    """A Redis store holding `floor_events`."""
    redis_store.upsert(floor_events(), manage_config)
    return redis_store


@pytest.fixture
def app(seeded_store: RedisStore, manage_config: Config) -> dash.Dash:
    """The whole app over the seeded store, with "now" pinned to NOW."""
    return create_app(Settings(), config=manage_config, store=seeded_store, clock=lambda: NOW)


@pytest.fixture
def client(app: dash.Dash) -> FlaskClient:
    """A test client that nobody signed in on."""
    return app.server.test_client()


def form_token(client: FlaskClient) -> str:
    """Open the login form as a browser would and return its anti-forgery token."""
    page = client.get("/manage/login").get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def sign_in(client: FlaskClient, username: str, password: str | None = None) -> Any:
    """Open the login form, post it; return the response."""
    return client.post(
        "/manage/login",
        data={
            "username": username,
            "password": password or PASSWORDS[username],
            "next": "/manage",
            "csrf": form_token(client),
        },
    )


@pytest.fixture
def admin(client: FlaskClient) -> FlaskClient:
    """The test client, signed in as the admin."""
    assert sign_in(client, "ada").status_code == 302
    return client


@pytest.fixture
def lead(app: dash.Dash) -> FlaskClient:
    """A second test client, signed in as the lead of Support."""
    client = app.server.test_client()
    assert sign_in(client, "leo").status_code == 302
    return client


def dash_call(
    client: FlaskClient,
    app: dash.Dash,
    output_id: str,
    inputs: dict[str, Any],
    state: dict[str, Any] | None = None,
    changed: str | None = None,
) -> Any:
    """POST one callback (the one writing `output_id`) the way the browser does; return the response.

    Args:
        inputs: "component.property" -> value for each Input, in any order.
        state: the same for each State.
    """
    if not any(output_id + "." in k for k in app.callback_map):
        client.get("/_dash-layout")  # Dash registers the pages router on the first request
    key = next(k for k in app.callback_map if output_id + "." in k)
    spec = app.callback_map[key]

    def props(deps: list[dict[str, str]], values: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {"id": d["id"], "property": d["property"], "value": values.get(f"{d['id']}.{d['property']}")}
            for d in deps
        ]

    outputs = [
        {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]}
        for part in key.strip(".").split("...")
    ]
    body = {
        "output": key,
        "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": props(spec["inputs"], inputs),
        "state": props(spec["state"], state or {}),
        "changedPropIds": [changed or next(iter(inputs))],
    }
    return client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
