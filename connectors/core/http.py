"""The one HTTP client every connector uses: base URL, timeouts, throttle, retries and clear errors.

Retried: timeouts, connection errors, 5xx and 429, with exponential backoff and jitter; a 429 (or a
vendor's own "wait until" header, read by the connector's `wait_hint`) waits as long as the server
asks. A 401 or 403 raises `AuthError`, which stops the connector. Secrets given to the client are
replaced by ``***`` in every message it produces, and headers are never logged.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

log = logging.getLogger("wallboard.connectors")

WaitHint = Callable[[httpx.Response], "float | None"]
"""Seconds the server asks us to wait, read from a response's headers; None when it says nothing."""

ErrorHook = Callable[[httpx.Response], "Exception | None"]
"""A vendor's own reading of an error response; None leaves it to the default handling."""


class ConnectorError(Exception):
    """A source failed in a way this run cannot get past; the next scheduled run tries again."""


class AuthError(ConnectorError):
    """The source refused the credentials: the connector stops until its configuration is fixed."""


class QuotaExhausted(ConnectorError):
    """The source's request allowance is used up (e.g. a daily cap); retrying now would not help."""


class Interrupted(ConnectorError):
    """The process is stopping: a wait was cut short, and the run ends without finishing its page."""


class TransientError(ConnectorError):
    """A failure worth retrying: a timeout, a connection error, a 5xx or a 429."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry transient failures."""

    attempts: int = 5
    initial_seconds: float = 0.5
    max_backoff_seconds: float = 30.0
    max_wait_seconds: float = 120.0
    """The longest a server's Retry-After is honoured for; longer requests fail the run instead."""


class TokenBucket:
    """A client-side throttle: at most `rate` requests per second on average, bursts of `burst`."""

    def __init__(
        self,
        rate: float,
        burst: int = 1,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate, self.burst = rate, max(1, burst)
        self._tokens = float(self.burst)
        self._clock, self._sleep = clock, sleep
        self._stamp = clock()
        self._lock = threading.Lock()

    def take(self) -> None:
        """Wait until a request may be sent."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            self._tokens -= 1
            wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
        if wait > 0:
            self._sleep(wait)


def retry_after_seconds(response: httpx.Response, now: float | None = None) -> float | None:
    """The standard ``Retry-After`` header (seconds or an HTTP date), as seconds from now."""
    raw = response.headers.get("Retry-After")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret value replaced by ``***``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


class HttpClient:
    """A JSON-over-HTTPS client for one connector.

    Args:
        base_url: the vendor's root URL (a local replay server in tests).
        name: the connector's name, used in messages.
        headers: sent with every request (e.g. the Authorization header).
        secrets: values to hide from every message.
        timeout_seconds: connect, read and write timeout.
        retry: the retry policy.
        rate_per_second: the client-side throttle (None for none); `burst` requests may go at once.
        wait_hint: reads a vendor's rate-limit headers (on every response: a hint on a 2xx response
            delays the next request, e.g. when the remaining allowance is 0).
        error_hook: a vendor's own reading of error responses.
        sleep, clock: injectable for tests.
        transport: an httpx transport (tests only).
    """

    def __init__(
        self,
        base_url: str,
        *,
        name: str,
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | None = None,
        secrets: Iterable[str] = (),
        timeout_seconds: float = 30.0,
        retry: RetryPolicy = RetryPolicy(),
        rate_per_second: float | None = None,
        burst: int = 1,
        wait_hint: WaitHint | None = None,
        error_hook: ErrorHook | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.name = name
        self._secrets = tuple(s for s in secrets if s)
        self._client = httpx.Client(
            base_url=base_url,
            headers=dict(headers or {}),
            auth=auth,
            timeout=timeout_seconds,
            transport=transport,
            follow_redirects=False,
        )
        self._retry = retry
        self._backoff = wait_exponential_jitter(
            multiplier=retry.initial_seconds, jitter=retry.initial_seconds, max=retry.max_backoff_seconds
        )
        self._wait_hint, self._error_hook = wait_hint, error_hook
        self._sleep, self._clock = sleep, clock
        self._bucket = (
            TokenBucket(rate_per_second, burst, clock=clock, sleep=sleep) if rate_per_second else None
        )
        self._not_before = 0.0
        self.requests = 0

    def close(self) -> None:
        self._client.close()

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET `url` (relative to the base URL, or absolute) and decode its JSON body."""
        return self._json(self.request("GET", url, params=params))

    def post_json(self, url: str, body: Any) -> Any:
        """POST a JSON body to `url` and decode the JSON answer."""
        return self._json(self.request("POST", url, json=body))

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send one request with throttling and retries; return a 2xx response or raise a ConnectorError."""
        retrying = Retrying(
            stop=stop_after_attempt(self._retry.attempts),
            retry=retry_if_exception_type(TransientError),
            wait=self._wait,
            sleep=self._sleep,
            reraise=True,
            before_sleep=self._log_retry,
        )
        return retrying(self._attempt, method, url, **kwargs)

    def _attempt(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        where = f"{method} {self._path(url)}"
        target = httpx.URL(url)
        if target.is_absolute_url and (target.scheme, target.host, target.port) != (
            self._client.base_url.scheme,
            self._client.base_url.host,
            self._client.base_url.port,
        ):
            raise ConnectorError(
                f"{self.name}: {where}: refusing to send credentials to another host ({target.host})"
            )
        self._pace()
        self.requests += 1
        try:
            response = self._client.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise TransientError(self._say(f"{where}: timed out ({type(exc).__name__})")) from None
        except httpx.TransportError as exc:
            raise TransientError(
                self._say(f"{where}: connection failed ({type(exc).__name__}: {exc})")
            ) from None
        log.debug("%s: %s -> %s", self.name, where, response.status_code)
        hint = self._wait_hint(response) if self._wait_hint else None
        if response.is_success:
            if hint:
                self._not_before = self._clock() + min(hint, self._retry.max_wait_seconds)
            return response
        raise self._error_for(response, where, hint)

    def _error_for(self, response: httpx.Response, where: str, hint: float | None) -> Exception:
        status = response.status_code
        custom = self._error_hook(response) if self._error_hook else None
        if custom is not None:
            return custom
        snippet = self._say(" ".join(response.text[:200].split()))
        if status in (401, 403):
            return AuthError(
                self._say(
                    f"{self.name}: the source refused the credentials (HTTP {status} on {where}); "
                    f"check the secret named in the connector's options. Answer: {snippet}"
                )
            )
        if status == 429:
            wait = retry_after_seconds(response) if hint is None else hint
            if wait is not None and wait > self._retry.max_wait_seconds:
                return QuotaExhausted(
                    self._say(
                        f"{where}: rate limited for {wait:.0f} s, longer than the "
                        f"{self._retry.max_wait_seconds:.0f} s "
                        "this run waits; the next run continues"
                    )
                )
            return TransientError(self._say(f"{where}: rate limited (HTTP 429)"), retry_after=wait)
        if status >= 500:
            return TransientError(self._say(f"{where}: HTTP {status}: {snippet}"))
        return ConnectorError(self._say(f"{self.name}: {where}: HTTP {status}: {snippet}"))

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        asked = getattr(exc, "retry_after", None)
        if asked is not None:
            return float(asked)
        return self._backoff(state)

    def _log_retry(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        log.warning("%s: attempt %d failed (%s); retrying", self.name, state.attempt_number, exc)

    def _pace(self) -> None:
        wait = self._not_before - self._clock()
        self._not_before = 0.0
        if wait > 0:
            self._sleep(wait)
        if self._bucket is not None:
            self._bucket.take()

    def _path(self, url: str) -> str:
        return httpx.URL(url).path or url.split("?")[0]

    def _say(self, text: str) -> str:
        return redact(text, self._secrets)

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            where = f"{response.request.method} {response.request.url.path}"
            raise ConnectorError(self._say(f"{self.name}: {where}: the answer is not JSON")) from None
