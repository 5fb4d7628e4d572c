"""The Zendesk connector against a local replay of the incremental ticket export, into a real Redis."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from connector_replay import Answer, Replay
from pytest_httpserver import HTTPServer
from werkzeug import Request

from connectors.core.base import Skipped
from connectors.core.runner import Runner
from connectors.vendors.zendesk import EXPORT_PATH, ZendeskOptions, ZendeskTickets
from kpi.config import Config
from kpi.store import RedisStore
from kpi.store.sync_state import sync_state_for

TOKEN = "zd-secret-token-123"
MONTH = "2026-11"
START = date(2026, 11, 1)

USERS = [
    {"id": 501, "name": "Ada Agent", "email": "ada@acme.test", "role": "agent", "default_group_id": 11},
    {"id": 502, "name": "Bo Agent", "email": "bo@acme.test", "role": "agent", "default_group_id": 12},
    {"id": 503, "name": "Cy Agent", "email": "cy@acme.test", "role": "agent", "default_group_id": 11},
]
GROUPS = [{"id": 11, "name": "Tier 1"}, {"id": 12, "name": "Tier 2"}]


def ticket(ticket_id: int, status: str, assignee: int | None, updated: str, score: str = "unoffered") -> dict:
    return {
        "id": ticket_id,
        "status": status,
        "assignee_id": assignee,
        "group_id": 11,
        "requester_id": 9000,
        "subject": f"Ticket {ticket_id}",
        "priority": "normal",
        "type": "incident",
        "tags": [],
        "satisfaction_rating": {"id": 7000 + ticket_id, "score": score, "comment": ""},
        "created_at": "2026-11-01T08:00:00Z",
        "updated_at": updated,
    }


def metric(ticket_id: int, solved_at: str | None, reply: int, resolution: int) -> dict:
    return {
        "id": 100 + ticket_id,
        "ticket_id": ticket_id,
        "solved_at": solved_at,
        "reply_time_in_minutes": {"calendar": reply, "business": reply},
        "first_resolution_time_in_minutes": {"calendar": resolution, "business": resolution},
        "full_resolution_time_in_minutes": {"calendar": resolution, "business": resolution},
    }


def export(tickets: list[Any], after: str, end: bool, metrics: list[dict] | None = None) -> Answer:
    return Answer(
        {
            "tickets": tickets,
            "users": USERS,
            "groups": GROUPS,
            "metric_sets": metrics or [],
            "after_url": f"https://acme.zendesk.com{EXPORT_PATH}?cursor={after}",
            "after_cursor": after,
            "before_url": None,
            "before_cursor": None,
            "end_of_stream": end,
        }
    )


PAGE_1 = export(
    [
        ticket(1, "solved", 501, "2026-11-02T10:00:00Z", "good"),
        ticket(2, "solved", 502, "2026-11-02T11:00:00Z", "bad"),
        ticket(3, "open", 503, "2026-11-02T12:00:00Z"),
    ],
    "c1",
    False,
    [metric(1, "2026-11-02T09:55:00Z", 30, 115), metric(2, "2026-11-02T10:50:00Z", 10, 60)],
)
EMPTY_PAGE = export([], "c2", False)
PAGE_3 = export(
    [
        ticket(1, "solved", 503, "2026-11-03T09:00:00Z", "good"),
        ticket(2, "deleted", 502, "2026-11-03T10:00:00Z", "bad"),
        ticket(4, "closed", 501, "2026-11-03T11:00:00Z", "good"),
        {"id": 5, "status": "solved", "assignee_id": 501, "updated_at": "last tuesday"},
    ],
    "c3",
    True,
    [metric(1, "2026-11-02T09:55:00Z", 30, 115), metric(4, "2026-11-03T10:30:00Z", 5, 20)],
)
NOTHING_NEW = export([], "c3", True)


def request_key(request: Request) -> str:
    if "cursor" in request.args:
        return f"cursor={request.args['cursor']}"
    return "start"


@pytest.fixture
def replay(httpserver: HTTPServer) -> Replay:
    """The export with three pages (one empty), an edit, a delete and a malformed ticket."""
    feed = Replay(httpserver, EXPORT_PATH, request_key)
    feed.add("start", PAGE_1)
    feed.add("cursor=c1", EMPTY_PAGE)
    feed.add("cursor=c2", PAGE_3)
    feed.add("cursor=c3", NOTHING_NEW)
    return feed


@pytest.fixture
def connector(httpserver: HTTPServer, waits: list[float]) -> ZendeskTickets:
    options = ZendeskOptions(
        base_url=httpserver.url_for(""),
        email="bot@acme.test",
        token_env="ZD_TOKEN",
        start=START,
        retry_attempts=3,
    )
    return ZendeskTickets("zendesk", options, {"token": TOKEN}, sleep=waits.append)


@pytest.fixture
def runner(redis_store: RedisStore, config: Config) -> Runner:
    return Runner(redis_store, config)


def counts(store: RedisStore, metric_name: str, scope: str = "agent") -> dict[str, int]:
    return {member: figs.count for member, figs in store.figures(metric_name, MONTH, scope).items()}


def test_sync_counts_each_solved_ticket_for_its_latest_assignee(replay, connector, runner, redis_store):
    runner.run(connector)
    assert counts(redis_store, "tickets_solved") == {"zendesk:501": 1, "zendesk:503": 1}


def test_deleted_ticket_retracts_its_solve_and_its_rating(replay, connector, runner, redis_store):
    runner.run(connector)
    assert redis_store.record("zendesk", "ticket:2").deleted
    assert "zendesk:502" not in redis_store.figures("csat", MONTH, "agent")


def test_good_and_bad_ratings_become_csat_scores(replay, connector, runner, redis_store):
    runner.run(connector)
    csat = redis_store.figures("csat", MONTH, "agent")
    assert {m: (f.count, f.total) for m, f in csat.items()} == {
        "zendesk:501": (1, 5000),
        "zendesk:503": (1, 5000),
    }


def test_teams_are_the_agents_default_groups(replay, connector, runner, redis_store):
    runner.run(connector)
    assert counts(redis_store, "tickets_solved", "team") == {"Tier 1": 2}


def test_agent_names_come_from_sideloaded_users(replay, connector, runner, redis_store):
    runner.run(connector)
    assert {a.id: a.name for a in redis_store.agents().values()} == {
        "zendesk:501": "Ada Agent",
        "zendesk:502": "Bo Agent",
        "zendesk:503": "Cy Agent",
    }


def test_reply_and_resolution_times_are_event_attributes(replay, connector, runner, redis_store):
    runner.run(connector)
    stored = json.loads(redis_store.record("zendesk", "ticket:1").event_json)
    assert stored["attributes"] == {
        "reply_time_minutes": 30,
        "first_resolution_minutes": 115,
        "full_resolution_minutes": 115,
    }


def test_solve_is_dated_by_the_ticket_metrics_solved_at(replay, connector, runner, redis_store):
    runner.run(connector)
    stored = json.loads(redis_store.record("zendesk", "ticket:4").event_json)
    assert stored["occurred_at"] == "2026-11-03T10:30:00Z"


def test_malformed_ticket_is_skipped_with_its_reason(replay, connector, runner):
    report = runner.run(connector)
    assert report.status == "ok"
    assert report.skipped == [Skipped("5", "not a timestamp: 'last tuesday'")]


def test_skipped_records_are_counted_in_the_health_record(replay, connector, runner, redis_store):
    runner.run(connector)
    health = sync_state_for(redis_store).health()["zendesk"]
    assert (health["status"], health["records"], health["skipped"]) == ("ok", "7", "1")


def test_empty_page_does_not_end_the_stream(replay, connector, runner):
    runner.run(connector)
    assert [s.args.get("cursor") for s in replay.seen] == [None, "c1", "c2"]


def test_first_run_starts_at_the_configured_start_date(replay, connector, runner):
    runner.run(connector)
    assert replay.seen[0].args["start_time"] == str(int(datetime(2026, 11, 1, tzinfo=UTC).timestamp()))


def test_requests_authenticate_with_email_slash_token(replay, connector, runner):
    runner.run(connector)
    expected = base64.b64encode(f"bot@acme.test/token:{TOKEN}".encode()).decode()
    assert replay.seen[0].headers["Authorization"] == f"Basic {expected}"


def test_next_poll_continues_from_the_saved_after_cursor(replay, connector, runner):
    runner.run(connector)
    runner.run(connector)
    assert replay.seen[-1].args["cursor"] == "c3"


def test_second_sync_over_the_same_data_changes_nothing(replay, connector, runner, redis_store):
    runner.run(connector)
    version = redis_store.data_version()
    report = runner.run(connector, since=datetime(2026, 11, 1, tzinfo=UTC))
    assert report.pages == 3
    assert redis_store.data_version() == version


def test_rate_limited_request_waits_as_long_as_retry_after_says(
    replay, connector, runner, redis_store, waits
):
    replay.set("cursor=c1", Answer("Too many requests", 429, {"Retry-After": "7"}), EMPTY_PAGE)
    report = runner.run(connector)
    assert report.status == "ok"
    assert 7.0 in waits


def test_server_error_is_retried_until_it_succeeds(replay, connector, runner, redis_store):
    replay.set("cursor=c2", Answer({"error": "InternalError"}, 500), Answer({"error": "busy"}, 503), PAGE_3)
    report = runner.run(connector)
    assert report.status == "ok"
    assert counts(redis_store, "tickets_solved") == {"zendesk:501": 1, "zendesk:503": 1}


def test_expired_token_stops_the_connector_with_a_clear_error(replay, connector, runner, redis_store):
    replay.set("start", Answer({"error": "Couldn't authenticate you"}, 401))
    report = runner.run(connector)
    assert report.status == "auth_failed"
    assert "refused the credentials (HTTP 401" in report.error


def test_auth_error_never_shows_the_token(replay, connector, runner, redis_store):
    replay.set("start", Answer(f"invalid token {TOKEN}", 401))
    runner.run(connector)
    health = sync_state_for(redis_store).health()["zendesk"]
    assert TOKEN not in health["last_error"] and "***" in health["last_error"]


def test_failed_run_resumes_from_the_last_stored_page(replay, connector, runner, redis_store):
    replay.set("cursor=c2", Answer({"error": "down"}, 502))
    assert runner.run(connector).status == "error"
    replay.set("cursor=c2", PAGE_3)
    runner.run(connector)
    assert [s.args.get("cursor") for s in replay.seen][-1:] == ["c2"]
    assert counts(redis_store, "tickets_solved") == {"zendesk:501": 1, "zendesk:503": 1}


class Crash(BaseException):
    """Stands for the process dying: nothing catches it."""


class CrashOnSave:
    """The real sync state, except that the process 'dies' before saving the cursor of page `n`."""

    def __init__(self, state: Any, n: int) -> None:
        self.state, self.n, self.saves = state, n, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.state, name)

    def save(self, *args: Any, **kwargs: Any) -> bool:
        self.saves += 1
        if self.saves == self.n:
            raise Crash()
        return self.state.save(*args, **kwargs)


def test_crash_between_storing_a_page_and_saving_its_cursor_rereads_the_page(
    replay, connector, config, redis_store
):
    state = sync_state_for(redis_store)
    with pytest.raises(Crash):
        Runner(redis_store, config, CrashOnSave(state, 3)).run(connector)
    assert state.cursor("zendesk") == json.dumps({"cursor": "c2"})
    Runner(redis_store, config).run(connector)
    assert counts(redis_store, "tickets_solved") == {"zendesk:501": 1, "zendesk:503": 1}
    assert {m: f.count for m, f in redis_store.figures("csat", MONTH, "agent").items()} == {
        "zendesk:501": 1,
        "zendesk:503": 1,
    }
