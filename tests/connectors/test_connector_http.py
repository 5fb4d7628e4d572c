"""The shared HTTP client: throttle, retries, waits the server asks for, and clear errors."""

from __future__ import annotations

import httpx
import pytest
from pytest_httpserver import HTTPServer

from connectors.core.http import (
    AuthError,
    ConnectorError,
    HttpClient,
    QuotaExhausted,
    RetryPolicy,
    TokenBucket,
    TransientError,
    retry_after_seconds,
)
from connectors.testing import Answer, Replay

SECRET = "very-secret-value"


class FakeTime:
    """A monotonic clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now, self.waits = 0.0, []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


@pytest.fixture
def replay(httpserver: HTTPServer) -> Replay:
    return Replay(httpserver, "/items", lambda r: "items")


def client(httpserver: HTTPServer, fake: FakeTime, **kwargs) -> HttpClient:
    settings = {
        "name": "test",
        "headers": {"Authorization": f"Bearer {SECRET}"},
        "secrets": [SECRET],
        "retry": RetryPolicy(attempts=3, initial_seconds=1, max_backoff_seconds=30, max_wait_seconds=60),
        "sleep": fake.sleep,
        "clock": fake.clock,
        **kwargs,
    }
    return HttpClient(httpserver.url_for(""), **settings)


def test_token_bucket_spaces_requests_at_the_rate(fake):
    bucket = TokenBucket(4, burst=1, clock=fake.clock, sleep=fake.sleep)
    for _ in range(5):
        bucket.take()
    assert fake.now == pytest.approx(1.0)


def test_token_bucket_lets_a_burst_through_at_once(fake):
    bucket = TokenBucket(1, burst=3, clock=fake.clock, sleep=fake.sleep)
    for _ in range(3):
        bucket.take()
    assert fake.waits == []


def test_client_throttles_to_its_rate(httpserver, replay, fake):
    replay.add("items", Answer({"ok": True}))
    http = client(httpserver, fake, rate_per_second=2)
    for _ in range(3):
        http.get_json("/items")
    assert fake.now == pytest.approx(1.0)


def test_retry_after_is_honoured_on_429(httpserver, replay, fake):
    replay.add("items", Answer("slow down", 429, {"Retry-After": "12"}), Answer({"ok": True}))
    assert client(httpserver, fake).get_json("/items") == {"ok": True}
    assert fake.waits == [12.0]


def test_retry_after_may_be_an_http_date():
    response = httpx.Response(429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:30 GMT"})
    assert retry_after_seconds(response, now=1445412500.0) == pytest.approx(10.0)


def test_vendor_wait_hint_on_429_is_used(httpserver, replay, fake):
    replay.add("items", Answer("limited", 429, {"X-Reset-In": "8"}), Answer({"ok": True}))
    http = client(
        httpserver,
        fake,
        wait_hint=lambda r: float(r.headers["X-Reset-In"]) if "X-Reset-In" in r.headers else None,
    )
    http.get_json("/items")
    assert fake.waits == [8.0]


def test_vendor_wait_hint_on_success_delays_the_next_request(httpserver, replay, fake):
    replay.add("items", Answer({"ok": True}, headers={"X-Reset-In": "5"}))
    http = client(httpserver, fake, wait_hint=lambda r: float(r.headers["X-Reset-In"]))
    http.get_json("/items")
    http.get_json("/items")
    assert fake.waits == [5.0]


def test_wait_longer_than_the_maximum_ends_the_run(httpserver, replay, fake):
    replay.add("items", Answer("daily limit", 429, {"Retry-After": "86400"}))
    with pytest.raises(QuotaExhausted, match="longer than the 60 s"):
        client(httpserver, fake).get_json("/items")


def test_server_errors_back_off_exponentially_with_jitter(httpserver, replay, fake):
    replay.add("items", Answer("down", 500), Answer("down", 502), Answer({"ok": True}))
    client(httpserver, fake).get_json("/items")
    assert 1 <= fake.waits[0] < 2 and 2 <= fake.waits[1] < 3


def test_server_errors_give_up_after_the_attempts(httpserver, replay, fake):
    replay.add("items", Answer("down", 503))
    http = client(httpserver, fake)
    with pytest.raises(TransientError, match="HTTP 503"):
        http.get_json("/items")
    assert http.requests == 3


def test_timeouts_are_retried(fake):
    calls = []

    def transport(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(200, json={"ok": True})

    http = HttpClient(
        "https://api.example",
        name="test",
        sleep=fake.sleep,
        clock=fake.clock,
        transport=httpx.MockTransport(transport),
    )
    assert http.get_json("/items") == {"ok": True}


def test_401_raises_auth_error_without_the_secret(httpserver, replay, fake):
    replay.add("items", Answer(f"bad token {SECRET}", 401))
    with pytest.raises(AuthError) as caught:
        client(httpserver, fake).get_json("/items")
    assert SECRET not in str(caught.value) and "refused the credentials" in str(caught.value)


def test_auth_errors_are_not_retried(httpserver, replay, fake):
    replay.add("items", Answer("no", 403))
    http = client(httpserver, fake)
    with pytest.raises(AuthError):
        http.get_json("/items")
    assert http.requests == 1


def test_error_hook_reads_vendor_errors_first(httpserver, replay, fake):
    replay.add("items", Answer([{"errorCode": "REQUEST_LIMIT_EXCEEDED"}], 403))
    http = client(
        httpserver, fake, error_hook=lambda r: QuotaExhausted("daily cap") if r.status_code == 403 else None
    )
    with pytest.raises(QuotaExhausted, match="daily cap"):
        http.get_json("/items")


def test_answer_that_is_not_json_is_a_clear_error(httpserver, replay, fake):
    replay.add("items", Answer("<html>maintenance</html>"))
    with pytest.raises(ConnectorError, match="not JSON"):
        client(httpserver, fake).get_json("/items")


def test_query_strings_stay_out_of_error_messages(httpserver, replay, fake):
    replay.add("items", Answer("nope", 404))
    with pytest.raises(ConnectorError) as caught:
        client(httpserver, fake).get_json("/items", {"api_token": "query-secret"})
    assert "query-secret" not in str(caught.value)
