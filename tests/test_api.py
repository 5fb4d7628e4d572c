"""The HTTP API: pushing events (one, array, NDJSON, CSV), reading rankings and metrics, and every refusal."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import jsonschema
import pytest
from flask.testing import FlaskClient

from dashboard import create_app
from kpi.config import Config, parse_config
from kpi.config.root import builtin_data
from kpi.config.settings import Settings
from kpi.store import RedisStore
from kpi.store.sync_state import sync_state_for

pytestmark = pytest.mark.cluster
"""Also on a three-master Redis Cluster (tests/conftest.py)."""

INGEST = {"Authorization": "Bearer push-secret"}
READ = {"Authorization": "Bearer read-secret"}
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)


def event(**overrides: object) -> dict[str, object]:
    """A valid ticket_solved event, with `overrides` applied."""
    base = {
        "source": "zendesk",
        "id": "1001",
        "type": "ticket_solved",
        "agent_id": "a1",
        "agent_name": "Ann",
        "team": "North",
        "occurred_at": "2026-11-24T09:30:00+01:00",
    }
    return {**base, **overrides}


@pytest.fixture
def store(redis_store: RedisStore) -> RedisStore:
    """The Redis store behind the app."""
    return redis_store


@pytest.fixture
def client(store: RedisStore, config: Config) -> FlaskClient:
    """A test client of an app with both tokens configured and "now" pinned to 2026-11-24 12:00 UTC."""
    settings = Settings(ingest_token="push-secret", api_token="read-secret")
    app = create_app(settings, config=config, store=store, clock=lambda: NOW)
    return app.server.test_client()


def post_json(client: FlaskClient, body: object, headers: dict[str, str] = INGEST):  # noqa: ANN201
    return client.post(
        "/api/v1/events", data=json.dumps(body), headers=headers, content_type="application/json"
    )


def test_api001_one_event_is_accepted_and_counted(client: FlaskClient, store: RedisStore) -> None:
    response = post_json(client, event())
    assert response.status_code == 200
    assert response.json == {
        "received": 1,
        "new": 1,
        "updated": 0,
        "unchanged": 0,
        "retracted": 0,
        "stale": 0,
        "released": 0,
    }
    assert store.record("zendesk", "1001") is not None


def test_api002_array_reports_new_updated_unchanged_retracted_and_stale(client: FlaskClient) -> None:
    post_json(client, [event(id="1", updated_at="2026-11-24T10:00:00Z"), event(id="2")])
    response = post_json(
        client,
        [
            event(id="1", updated_at="2026-11-24T11:00:00Z", agent_id="a2"),  # newer: updated
            event(id="2"),  # same: unchanged
            event(id="3"),  # new
            event(id="1", updated_at="2026-11-24T09:00:00Z"),  # older: stale
            event(id="2", deleted=True, updated_at="2026-11-24T11:00:00Z"),  # retracted
        ],
    )
    assert response.json == {
        "received": 5,
        "new": 1,
        "updated": 1,
        "unchanged": 1,
        "retracted": 1,
        "stale": 1,
        "released": 0,
    }


def test_api003_ndjson_body_is_accepted(client: FlaskClient) -> None:
    body = "\n".join(json.dumps(event(id=str(n))) for n in range(3)) + "\n\n"
    response = client.post("/api/v1/events", data=body, headers=INGEST, content_type="application/x-ndjson")
    assert response.status_code == 200
    assert response.json["new"] == 3


def test_api004_csv_body_is_accepted_with_attribute_columns(client: FlaskClient, store: RedisStore) -> None:
    body = (
        "source,id,type,agent_id,team,value,occurred_at,attributes.priority\n"
        "crm,d1,deal_won,a1,North,1200.50,2026-11-24T09:00:00Z,high\n"
    )
    response = client.post("/api/v1/events", data=body, headers=INGEST, content_type="text/csv")
    assert response.status_code == 200, response.json
    stored = json.loads(store.record("crm", "d1").event_json)
    assert stored["value"] == 1200.5 and stored["attributes"] == {"priority": "high"}


def test_api005_invalid_item_rejects_the_whole_batch_and_writes_nothing(
    client: FlaskClient, store: RedisStore
) -> None:
    response = post_json(
        client,
        [
            event(id="ok-1"),
            event(id="bad", occurred_at="2026-11-24T09:30:00"),
            event(id="ok-2"),
            {"source": "Bad Source"},
        ],
    )
    assert response.status_code == 400
    errors = response.json["errors"]
    assert {"index": 1, "field": "occurred_at"} == {k: errors[0][k] for k in ("index", "field")}
    assert "offset" in errors[0]["reason"]
    assert {e["index"] for e in errors} == {1, 3}
    assert store.data_version() == 0
    assert store.record("zendesk", "ok-1") is None


def test_api006_unknown_event_type_is_rejected(client: FlaskClient) -> None:
    response = post_json(client, event(type="coffee_brewed"))
    assert response.status_code == 400
    assert response.json["errors"][0]["field"] == "type"


def test_api007_malformed_json_is_a_400(client: FlaskClient) -> None:
    response = client.post(
        "/api/v1/events", data="{not json", headers=INGEST, content_type="application/json"
    )
    assert response.status_code == 400
    assert "not valid JSON" in response.json["errors"][0]["reason"]


def test_api008_bad_ndjson_line_is_reported_by_index(client: FlaskClient, store: RedisStore) -> None:
    body = json.dumps(event(id="1")) + "\n{oops\n"
    response = client.post("/api/v1/events", data=body, headers=INGEST, content_type="application/x-ndjson")
    assert response.status_code == 400
    assert response.json["errors"][0]["index"] == 1
    assert store.data_version() == 0


def test_api009_missing_token_is_401_and_wrong_token_is_401(client: FlaskClient) -> None:
    assert post_json(client, event(), headers={}).status_code == 401
    response = post_json(client, event(), headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert "nope" not in response.get_data(as_text=True)


def test_api010_ingest_without_configured_token_is_off_and_says_so(store: RedisStore, config: Config) -> None:
    client = create_app(Settings(), config=config, store=store).server.test_client()
    response = post_json(client, event())
    assert response.status_code == 403
    assert "WALLBOARD_INGEST_TOKEN" in response.json["error"]


def test_api011_body_over_the_limit_is_413_and_writes_nothing(store: RedisStore) -> None:
    config = parse_config(
        {
            "metrics": {"t": {"type": "ticket_solved", "aggregation": "count"}},
            "api": {"max_body_bytes": 2048, "max_batch": 3},
        },
        "test",
    )
    client = create_app(Settings(ingest_token="push-secret"), config=config, store=store).server.test_client()
    big = [event(id=str(n), attributes={"pad": "x" * 100}) for n in range(30)]
    assert post_json(client, big).status_code == 413
    too_many = [event(id=str(n)) for n in range(4)]
    response = post_json(client, too_many)
    assert response.status_code == 413
    assert "at most 3" in response.json["error"]
    assert store.data_version() == 0


def test_api012_unsupported_content_type_is_415(client: FlaskClient) -> None:
    response = client.post("/api/v1/events", data="x", headers=INGEST, content_type="text/plain")
    assert response.status_code == 415


def test_api013_leaderboard_ranks_current_week_by_default(client: FlaskClient) -> None:
    post_json(
        client, [event(id="1"), event(id="2"), event(id="3", agent_id="b1", agent_name="Bo", team="South")]
    )
    response = client.get("/api/v1/leaderboard?metric=tickets_solved&period=week", headers=READ)
    assert response.status_code == 200
    body = response.json
    assert body["bucket"] == "2026-W48" and body["scope"] == "agent"
    assert [(r["rank"], r["id"], r["name"], r["value"], r["count"]) for r in body["rows"]] == [
        (1, "a1", "Ann", 2.0, 2),
        (2, "b1", "Bo", 1.0, 1),
    ]


def test_api014_team_leaderboard_uses_team_as_id(client: FlaskClient) -> None:
    post_json(
        client,
        [
            event(id="1"),
            event(id="2", agent_id="b1", team="South"),
            event(id="3", agent_id="b2", team="South"),
        ],
    )
    response = client.get("/api/v1/leaderboard?metric=tickets_solved&period=day&scope=team", headers=READ)
    assert [(r["rank"], r["id"], r["value"]) for r in response.json["rows"]] == [
        (1, "South", 2.0),
        (2, "North", 1.0),
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("metric=nope", "metric"),
        ("metric=csat&period=fortnight", "period"),
        ("metric=csat&period=week&bucket=2026-11", "bucket"),
        ("metric=csat&scope=floor", "scope"),
        ("metric=csat&limit=0", "limit"),
        ("metric=csat&limit=ten", "limit"),
    ],
)
def test_api015_bad_leaderboard_parameter_is_named(client: FlaskClient, query: str, field: str) -> None:
    response = client.get(f"/api/v1/leaderboard?{query}", headers=READ)
    assert response.status_code == 400
    assert response.json["field"] == field


def test_api016_read_endpoints_need_the_read_token(client: FlaskClient) -> None:
    assert client.get("/api/v1/metrics").status_code == 401
    assert client.get("/api/v1/metrics", headers=INGEST).status_code == 401
    assert client.get("/api/v1/leaderboard?metric=csat").status_code == 401


def test_api017_metrics_lists_every_configured_metric(client: FlaskClient, config: Config) -> None:
    metrics = client.get("/api/v1/metrics", headers=READ).json["metrics"]
    assert [m["name"] for m in metrics] == list(config.metrics)
    csat = next(m for m in metrics if m["name"] == "csat")
    assert csat == {
        "name": "csat",
        "type": "csat_rating",
        "aggregation": "mean",
        "label": "CSAT",
        "unit": "/5",
        "lower_is_better": False,
        "min_volume": 5,
    }


def test_api018_store_outage_is_a_503_with_retry_after(client: FlaskClient, redis_server) -> None:  # noqa: ANN001
    redis_server.stop()
    try:
        response = post_json(client, event())
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        assert client.get("/api/v1/health").status_code == 503
    finally:
        redis_server.start()
    assert post_json(client, event()).status_code == 200


def _documented(document: dict, path: str, method: str, status: int) -> dict:
    """The schema the OpenAPI document promises for one response, made self-contained."""
    operation = document["paths"][path][method]
    assert str(status) in operation["responses"], f"{method.upper()} {path} {status} is not documented"
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    return {**schema, "components": document["components"]}


def _challenge_exchanges(store: RedisStore) -> list[tuple[str, str, object]]:
    """Calls of the challenge endpoints on an app configured with a race and a team race."""
    data = builtin_data()
    data["challenges"] = {
        "definitions": [
            {
                "id": "sprint",
                "title": "Sprint",
                "kind": "race",
                "metric": "tickets_solved",
                "recurring": "weekly",
            },
            {
                "id": "duel",
                "title": "Duel",
                "kind": "team_vs_team",
                "metric": "tickets_solved",
                "start": "2026-11-23",
                "end": "2026-11-29",
                "participants": {"teams": ["North", "South"]},
            },
        ]
    }
    settings = Settings(ingest_token="push-secret", api_token="read-secret")
    app = create_app(settings, config=parse_config(data, "test"), store=store, clock=lambda: NOW)
    client = app.server.test_client()
    post_json(client, [event(id="c1"), event(id="c2", agent_id="b2", team="South")])
    one = "/api/v1/challenges/{id}"
    return [
        ("/api/v1/challenges", "get", client.get("/api/v1/challenges", headers=READ)),
        ("/api/v1/challenges", "get", client.get("/api/v1/challenges?recent_days=99", headers=READ)),
        (one, "get", client.get("/api/v1/challenges/sprint:2026-W48", headers=READ)),
        (one, "get", client.get("/api/v1/challenges/duel", headers=READ)),
        (one, "get", client.get("/api/v1/challenges/nope", headers=READ)),
    ]


def test_api019_responses_match_the_openapi_document(client: FlaskClient, store: RedisStore) -> None:
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    Event = {**document["components"]["schemas"]["Event"], "components": document["components"]}
    jsonschema.validate(event(), Event)
    exchanges = [
        ("/api/v1/events", "post", post_json(client, [event(), event(id="2")])),
        ("/api/v1/events", "post", post_json(client, [{"id": 1}])),
        ("/api/v1/events", "post", post_json(client, event(), headers={})),
        ("/api/v1/leaderboard", "get", client.get("/api/v1/leaderboard?metric=tickets_solved", headers=READ)),
        ("/api/v1/leaderboard", "get", client.get("/api/v1/leaderboard?metric=x", headers=READ)),
        ("/api/v1/metrics", "get", client.get("/api/v1/metrics", headers=READ)),
        (
            "/api/v1/agents/{agent_id}/achievements",
            "get",
            client.get("/api/v1/agents/a1/achievements", headers=READ),
        ),
        (
            "/api/v1/agents/{agent_id}/achievements",
            "get",
            client.get("/api/v1/agents/nobody/achievements", headers=READ),
        ),
        ("/api/v1/badges", "get", client.get("/api/v1/badges", headers=READ)),
        *_challenge_exchanges(store),
    ]
    for path, method, response in exchanges:
        jsonschema.validate(response.json, _documented(document, path, method, response.status_code))


def test_api020_openapi_event_schema_rejects_what_the_api_rejects(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").json
    schema = {**document["components"]["schemas"]["Event"], "components": document["components"]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(event(source="Not Allowed"), schema)
    assert post_json(client, event(source="Not Allowed")).status_code == 400


@pytest.mark.parametrize("kind", ["csat_rating", "\u2008\tcsat_rating\r"])
def test_api020b_openapi_event_schema_holds_a_rating_to_its_scale_however_its_type_is_padded(
    client: FlaskClient, kind: str
) -> None:
    document = client.get("/api/v1/openapi.json").json
    schema = {**document["components"]["schemas"]["Event"], "components": document["components"]}
    rating = event(type=kind, value=9)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(rating, schema)
    assert post_json(client, rating).status_code == 400


def test_api021_health_reports_each_connectors_last_run(client: FlaskClient, store: RedisStore) -> None:
    sync_state_for(store).write_health(
        "zendesk", {"status": "ok", "last_success_at": "2026-11-24T11:59:00+00:00"}
    )
    body = client.get("/api/v1/health").json
    assert body["status"] == "ok"
    assert body["connectors"]["zendesk"]["status"] == "ok"
