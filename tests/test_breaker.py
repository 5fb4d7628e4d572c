"""The circuit breaker of the web app's Redis client: refuse at once while down, probe, recover (#12)."""

from __future__ import annotations

import threading

import pytest

from kpi.store import StoreUnavailable
from kpi.store.breaker import CircuitBreaker, RedisMarkedDown


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def in_other_thread(breaker: CircuitBreaker) -> BaseException | None:
    """What `admit` raises when another thread asks (None when it lets the command through)."""
    caught: list[BaseException | None] = [None]

    def ask() -> None:
        try:
            breaker.admit()
        except RedisMarkedDown as exc:
            caught[0] = exc

    thread = threading.Thread(target=ask)
    thread.start()
    thread.join()
    return caught[0]


def test_brk001_a_closed_breaker_lets_commands_through() -> None:
    breaker = CircuitBreaker(2.0, Clock())
    breaker.admit()
    assert breaker.state == "closed" and breaker.retry_after() == 0.0


def test_brk002_after_a_failure_commands_are_refused_as_store_unavailable_until_the_probe() -> None:
    clock = Clock()
    breaker = CircuitBreaker(2.0, clock)
    breaker.failed()
    with pytest.raises(StoreUnavailable):
        breaker.admit()
    clock.now += 1.5
    assert in_other_thread(breaker) is not None and breaker.refused == 2
    assert breaker.retry_after() == pytest.approx(0.5)


def test_brk003_one_probe_at_a_time_and_its_success_closes_the_breaker() -> None:
    clock = Clock()
    breaker = CircuitBreaker(2.0, clock)
    breaker.failed()
    clock.now += 2.0
    breaker.admit()  # this thread probes
    assert breaker.state == "half-open"
    assert in_other_thread(breaker) is not None  # the others are still refused
    breaker.succeeded()
    assert breaker.state == "closed" and in_other_thread(breaker) is None


def test_brk004_a_failed_probe_opens_the_breaker_for_another_interval() -> None:
    clock = Clock()
    breaker = CircuitBreaker(2.0, clock)
    breaker.failed()
    clock.now += 2.0
    breaker.admit()
    breaker.failed()
    assert breaker.state == "open" and breaker.retry_after() == pytest.approx(2.0)
    with pytest.raises(RedisMarkedDown):
        breaker.admit()


def test_brk005_an_abandoned_probe_is_replaced_after_an_interval() -> None:
    clock = Clock()
    breaker = CircuitBreaker(2.0, clock)
    breaker.failed()
    clock.now += 2.0
    admitted, release = threading.Event(), threading.Event()

    def probe_and_hang() -> None:
        breaker.admit()
        admitted.set()
        release.wait()

    prober = threading.Thread(target=probe_and_hang)
    prober.start()
    try:
        admitted.wait()
        assert in_other_thread(breaker) is not None
        clock.now += 2.0
        assert in_other_thread(breaker) is None
    finally:
        release.set()
        prober.join()
