"""The edges of the HTTP surface: malformed callback bodies, unknown paths and wrong methods (issue #12)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import dash
import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import create_app
from kpi.config import Config, load_config
from kpi.config.settings import Settings
from kpi.store import MemoryStore
from tests.kiosk.dash_client import DashClient

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
HOME = "..home-boards.children...home-version.data.."
HOME_OUTPUTS = [{"id": "home-boards", "property": "children"}, {"id": "home-version", "property": "data"}]
HOME_INPUTS = [{"id": "home-tick", "property": "n_intervals", "value": 1}]
HOME_STATE = [{"id": "home-version", "property": "data", "value": -1}]


@pytest.fixture(scope="module")
def app() -> dash.Dash:
    """The app over an empty in-process store, "now" pinned."""
    return create_app(Settings(), config=load_config(), store=MemoryStore(), clock=lambda: NOW)


@pytest.fixture
def client(app: dash.Dash) -> FlaskClient:
    """A test client of the app."""
    return app.server.test_client()


def home_body(**overrides: object) -> dict[str, object]:
    """A well-formed request for the start page's refresh callback, with `overrides` applied."""
    body = {
        "output": HOME,
        "outputs": HOME_OUTPUTS,
        "inputs": HOME_INPUTS,
        "state": HOME_STATE,
        "changedPropIds": ["home-tick.n_intervals"],
    }
    return {**body, **overrides}


def post_callback(client: FlaskClient, data: bytes):  # noqa: ANN201 - a test response
    return client.post("/_dash-update-component", data=data, content_type="application/json")


def test_edge001_a_well_formed_callback_request_still_runs(client: FlaskClient) -> None:
    response = post_callback(client, json.dumps(home_body()).encode())
    assert response.status_code == 200
    assert "home-boards" in response.get_json()["response"]


def test_edge002_the_pages_router_runs_on_a_fresh_apps_first_request(config: Config) -> None:
    """Dash registers the router callback on the first request; the body check must come after that."""
    fresh = create_app(Settings(), config=config, store=MemoryStore(), clock=lambda: NOW)
    status, body = DashClient(fresh.server.test_client()).page("/kiosk/floor")
    assert status == 200 and b"kiosk" in body


@pytest.mark.parametrize(
    "data",
    [
        b"not json",
        b"",
        b"null",
        b'"text"',
        b"[]",
        b"{}",
        json.dumps(home_body(output=None)).encode(),
        json.dumps(home_body(output="nope.children")).encode(),
        json.dumps({k: v for k, v in home_body().items() if k != "outputs"}).encode(),
        json.dumps(home_body(inputs="n_intervals")).encode(),
        json.dumps(home_body(inputs=[])).encode(),
        json.dumps(home_body(inputs=[{"id": "home-tick"}])).encode(),
        json.dumps(home_body(inputs=[7])).encode(),
        json.dumps(home_body(state=None)).encode(),
        json.dumps(home_body(outputs=HOME_OUTPUTS[:1])).encode(),
        json.dumps(home_body(outputs={"id": "home-boards", "property": "children"})).encode(),
        json.dumps(home_body(changedPropIds="home-tick.n_intervals")).encode(),
    ],
)
def test_edge003_malformed_callback_bodies_are_a_400_json_error(client: FlaskClient, data: bytes) -> None:
    response = post_callback(client, data)
    assert response.status_code == 400, response.data
    assert "malformed callback request" in response.get_json()["error"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    field=st.sampled_from(["output", "outputs", "inputs", "state", "changedPropIds"]),
    value=JSON,
)
def test_edge004_no_callback_body_is_a_server_error(client: FlaskClient, field: str, value: object) -> None:
    response = post_callback(client, json.dumps(home_body(**{field: value})).encode())
    assert response.status_code < 500, response.data


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_edge005_a_wrong_method_on_the_events_endpoint_is_405_allowing_post(
    client: FlaskClient, method: str
) -> None:
    response = client.open("/api/v1/events", method=method)
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert "POST" in response.get_json()["error"]


def test_edge006_posting_to_a_read_endpoint_is_405_allowing_get(client: FlaskClient) -> None:
    response = client.post("/api/v1/leaderboard")
    assert response.status_code == 405 and response.headers["Allow"] == "GET"


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/api/v1/nope"), ("POST", "/api/v1/nope"), ("GET", "/api/v2/events")]
)
def test_edge007_an_unknown_api_path_is_a_404_json_error(client: FlaskClient, method: str, path: str) -> None:
    response = client.open(path, method=method)
    assert response.status_code == 404
    assert response.is_json and "no API endpoint" in response.get_json()["error"]


@pytest.mark.parametrize("path", ["/nope", "/health", "/kiosks/floor", "/me/x/y", "/manage-x", "/index.php"])
def test_edge008_an_unknown_page_is_a_404_page(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "There is no such page" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/?x=1", 200),
        ("/kiosk/floor", 200),
        ("/kiosk/floor/", 200),
        ("/manage", 302),
        ("/manage/agent/a1", 302),
        ("/manage/login", 200),
        ("/me", 401),
        ("/_dash-layout", 200),
        ("/_dash-dependencies", 200),
        ("/_favicon.ico", 200),
        ("/favicon.ico", 301),
        ("/assets/kiosk.css", 200),
        ("/api/v1/openapi.json", 200),
    ],
)
def test_edge009_every_real_page_and_dash_route_still_answers(
    client: FlaskClient, path: str, status: int
) -> None:
    assert client.get(path).status_code == status


def test_edge010_dash_component_scripts_are_still_served(client: FlaskClient) -> None:
    index = client.get("/").get_data(as_text=True)
    scripts = [src for src in index.split('src="')[1:] if src.startswith("/_dash-component-suites/")]
    assert scripts
    assert client.get(scripts[0].split('"')[0]).status_code == 200
