"""Fail fast when Redis hangs: a circuit breaker shared by a process's connections, and request deadlines.

A Redis that is down refuses connections at once, but a hung one (a frozen process, a partition, a
blackholed host) accepts them and never answers: every command then waits its whole socket timeout, and a
request that reads several keys waits several times. On request paths (the web app) the client therefore
uses short socket timeouts, reads within the request's deadline (`request_deadline`), and goes through a
`CircuitBreaker`: once a command has failed for want of Redis, every command of the process is refused at
once until `reset_after` seconds have passed; then one command is let through as a probe (half-open),
and its success closes the breaker again. Sync workers and the CLI keep patient clients without any of it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Literal

import redis
from redis.connection import Connection, SSLConnection, UnixDomainSocketConnection

from kpi.model import telemetry
from kpi.store.base import StoreUnavailable

State = Literal["closed", "open", "half-open"]
_DEADLINE: ContextVar[float | None] = ContextVar("wallboard_redis_deadline", default=None)


class RedisMarkedDown(redis.ConnectionError, StoreUnavailable):
    """Refused without asking Redis: the breaker saw it fail moments ago (no socket was touched)."""


class CircuitBreaker:
    """Closed: commands go to Redis. Open: they are refused at once. Half-open: one probe goes through.

    Thread-safe; one breaker serves every connection of a client (so every thread of a worker).
    """

    def __init__(self, reset_after: float = 2.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.reset_after = reset_after
        self.clock = clock
        self.refused = 0
        """How many commands were refused without touching a socket (for tests and metrics)."""
        self._opened_at: float | None = None
        self._probe: int | None = None
        self._probe_at = 0.0
        self._lock = threading.Lock()

    @property
    def state(self) -> State:
        with self._lock:
            if self._opened_at is None:
                return "closed"
            return "half-open" if self._probe is not None else "open"

    def retry_after(self) -> float:
        """Seconds until the next probe may go to Redis (0 when closed)."""
        with self._lock:
            if self._opened_at is None:
                return 0.0
            return max(0.0, self._opened_at + self.reset_after - self.clock())

    def admit(self) -> None:
        """Let this thread's command through, or raise `RedisMarkedDown` at once."""
        with self._lock:
            if self._opened_at is None or self._probe == threading.get_ident():
                return
            now = self.clock()
            probe_due = self._probe is None and now >= self._opened_at + self.reset_after
            if probe_due or (self._probe is not None and now >= self._probe_at + self.reset_after):
                self._probe, self._probe_at = threading.get_ident(), now  # an abandoned probe is replaced
                probing = True
            else:
                self.refused += 1
                probing = False
        if probing:
            telemetry.emit("breaker", state="half-open")
            return
        telemetry.emit("redis_error", kind="refused")
        raise RedisMarkedDown("Redis did not answer moments ago; not asking again until it is probed")

    def succeeded(self) -> None:
        with self._lock:
            was_closed = self._opened_at is None
            self._opened_at, self._probe = None, None
        if not was_closed:
            telemetry.emit("breaker", state="closed")

    def failed(self) -> None:
        with self._lock:
            self._opened_at, self._probe = self.clock(), None
        telemetry.emit("breaker", state="open")


class _Guarded:
    """Commands pass the client's breaker and their replies are awaited no later than the request's deadline.

    Mixed into redis-py's connection classes (TCP, TLS, Unix socket); `guarded_class` binds one to a
    client's breaker (a class attribute, because redis-py's cluster client passes no unknown arguments on).
    """

    shared_breaker: CircuitBreaker

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.breaker = self.shared_breaker

    def connect_check_health(self, *args: Any, **kwargs: Any) -> None:
        if self._sock:
            return
        self.breaker.admit()
        with self._watched():
            super().connect_check_health(*args, **kwargs)

    def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        self.breaker.admit()
        with self._watched():
            super().send_packed_command(command, check_health)

    def read_response(self, *args: Any, timeout: Any = None, **kwargs: Any) -> Any:
        remaining = time_left()
        if remaining is not None and remaining <= 0:
            self.disconnect()
            raise redis.TimeoutError("the request's deadline for Redis has passed")
        if remaining is not None:
            timeout = min(remaining, self.socket_timeout or remaining)
        cut_short = remaining is not None and timeout < (self.socket_timeout or float("inf"))
        with self._watched(timeouts_count=not cut_short):
            if timeout is None:
                response = super().read_response(*args, **kwargs)
            else:
                response = super().read_response(*args, timeout=timeout, **kwargs)
        self.breaker.succeeded()
        return response

    @contextmanager
    def _watched(self, timeouts_count: bool = True) -> Iterator[None]:
        """Tell the breaker of a failure; a wait cut short by the request's deadline is none (Redis may
        just be slow for this one request)."""
        try:
            yield
        except RedisMarkedDown:
            raise
        except redis.TimeoutError:
            telemetry.emit("redis_error", kind="timeout")
            if timeouts_count:
                self.breaker.failed()
            raise
        except redis.ConnectionError:
            telemetry.emit("redis_error", kind="connection")
            self.breaker.failed()
            raise


class GuardedConnection(_Guarded, Connection):
    """A guarded TCP connection."""


class GuardedSSLConnection(_Guarded, SSLConnection):
    """A guarded TLS connection (``rediss://``)."""


class GuardedUnixConnection(_Guarded, UnixDomainSocketConnection):
    """A guarded Unix-socket connection (``unix://``)."""


GUARDED_BY_SCHEME: dict[str, type] = {
    "redis": GuardedConnection,
    "rediss": GuardedSSLConnection,
    "unix": GuardedUnixConnection,
}


def guarded_class(scheme: str, breaker: CircuitBreaker) -> type:
    """The guarded connection class for a URL `scheme` (redis, rediss, unix), bound to `breaker`."""
    base = GUARDED_BY_SCHEME[scheme]
    return type(base.__name__, (base,), {"shared_breaker": breaker})


def time_left() -> float | None:
    """Seconds left before the current request's deadline; None outside a request with one."""
    deadline = _DEADLINE.get()
    return None if deadline is None else deadline - time.monotonic()


@contextmanager
def request_deadline(seconds: float) -> Iterator[None]:
    """Every Redis read inside gives up once `seconds` have passed since entering (on guarded clients)."""
    token = _DEADLINE.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def start_deadline(seconds: float) -> object:
    """Start a deadline for the current context (a Flask request); pass the token to `end_deadline`."""
    return _DEADLINE.set(time.monotonic() + seconds)


def end_deadline(token: object) -> None:
    """End the deadline `start_deadline` returned `token` for."""
    _DEADLINE.reset(token)  # type: ignore[arg-type]
