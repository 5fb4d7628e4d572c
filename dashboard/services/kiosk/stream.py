"""Server push to a TV: one long GET answered as Server-Sent Events, the poll kept as fallback (issue #13).

``GET /_kiosk/stream/<screen>?<the poll's query>`` answers ``text/event-stream``; each message is
``data: <the poll's answer JSON>\n\n``. The answers are the poll's own (`dashboard.callbacks.kiosk.poll`),
computed with the seen state the server now keeps for the TV (each answer's ``s`` merged as the TV merges
it, `wire.seen_after`), without the view on screen (`PHASE`): a stream is sent every changed view, so the
TVs of a screen converge on one seen state whatever their rotation's phase, and ask the same questions.

One `Watcher` per app and process reads the poll state of every screen that has streams (one Redis round
trip, `kpi.store.poll_read`) every `StreamSettings.watch` seconds, counts its changes, and publishes what
it read at the start of each period (0.6 of a refresh interval, `SHARE`). Each stream looks once a period,
at its own offset after the start (`LAG`, `SPREAD`: not all woken at once), and when a change was
published answers from the published read and the per-process memos (`answers`, `view_cache`). An answer
is kept per (screen, period, seen state) and computed by one thread at a time: the TVs of a screen, in one
state, cost one computation per period with a change and N socket writes (each message's pulse time set
on the way out, `stamped`). A TV gets a message when something for it changed (at most one a period) and
a pulse otherwise every refresh interval. A stream is gzip when the TV accepts it, each message
compressed once per process for every stream that sends it (`stream_gzip`).
"""

from __future__ import annotations

import os
import random
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping, Sequence

from flask import Response, current_app, stream_with_context

from dashboard.redis_down import REQUEST_DEADLINE
from dashboard.services.kiosk.answers import answers
from dashboard.services.kiosk.screen_data import Reader
from dashboard.services.kiosk.stream_gzip import Encoder
from dashboard.services.kiosk.wire import SEEN_PARAMS, seen_after, seen_of_query, seen_query
from kpi.store.base import Store, StoreUnavailable
from kpi.store.breaker import request_deadline
from kpi.store.celebration_feed import START, parse_id
from kpi.store.poll_read import PollRead, poll_read

EXTENSION = "wallboard.kiosk-streams"
STREAM_PATH = "/_kiosk/stream/"
"""Where a TV opens its stream: this plus the screen's name."""
STREAM_ENDPOINT = "kiosk_stream"
ANSWERS = 1024
"""Answers a watcher keeps: by screen, change, refresh interval and what the TV has seen; TVs in the same
state share one computation."""
SHARE = 0.6
"""The watcher publishes what it read at most once every this share of a screen's refresh interval (its
period, `period_of`), at the period's start; a TV gets what changed at its first look after that. Each
period with a change costs every TV a message and each worker the changed views' drawing: on an idle
machine at 500 TVs and 2 events/s, 0.5 took 1.07 ms of server CPU per TV per refresh interval (median of
three runs) and 0.6 took 0.97 ms, push -> visible p95 2.0–2.4 s against 2.2–2.5 s (goal < 3 s)."""
LAG = 0.3
"""A stream looks this many seconds after the period's start at the earliest (the watcher reads every
0.25 s, so it has published by then)..."""
SPREAD = 0.6
"""...and within this share of the period after that, at its own offset: not all woken at once (hundreds
of threads runnable together wait up to seconds each for the GIL, and so do the worker's pushes and
polls, whose Redis deadline then passes). At 1,000 TVs, 0.6 instead of 0.4 took the pushes' p95 from 0.77
to 0.46 s and push -> visible p95 from 1.6 to 2.6 s (one run each, busy machine)."""
WATCH_LIMIT = 50
"""Young celebrations the watcher reads (a stream picks those after its TV's last one)."""
HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
SHUTDOWN = threading.Event()
"""Set when this process stops (gunicorn's SIGTERM, `stop_all`): every stream ends at once."""
_WATCHERS: weakref.WeakSet[Watcher] = weakref.WeakSet()
PHASE = ("w", "e")
"""The query's view on screen and seconds into the rotation: a stream does not use them (it sends every
changed view), so TVs of a screen at different phases share answers."""
_PULSE_TIME = '{"p":{"t":'

Compute = Callable[[Mapping[str, str], Reader], dict[str, Any]]
"""The poll's answer to a query, reading through a `Reader` (the poll itself, bound to the screen)."""


@dataclass(frozen=True)
class StreamSettings:
    """How many streams a process holds, how long each lives, how often the watcher reads."""

    capacity: int = 256
    lifetime: float = 600.0
    watch: float = 0.25

    @classmethod
    def from_env(cls) -> StreamSettings:
        """``WALLBOARD_STREAMS`` (streams per worker, 0: none), ``WALLBOARD_STREAM_SECONDS`` (lifetime)."""
        return cls(
            capacity=int(os.environ.get("WALLBOARD_STREAMS") or cls.capacity),
            lifetime=float(os.environ.get("WALLBOARD_STREAM_SECONDS") or cls.lifetime),
        )


@dataclass
class _Screen:
    parts: tuple[str, ...]
    max_age: float
    period: float
    streams: int = 0
    generation: int = 0
    read: PollRead | StoreUnavailable | None = None
    mark: Any = field(default=None)  # noqa: ANN401 - what the last read looked like
    published: tuple[int, int] = (-1, 0)
    """(the period, the generation) published last: what the streams answer from."""
    shown: PollRead | StoreUnavailable | None = None
    """The read published with it."""

    def publish(self, now: float) -> None:
        """Publish the last read when a new period has begun."""
        tick = int(now // self.period)
        if tick != self.published[0]:
            self.published, self.shown = (tick, self.generation), self.read


def period_of(refresh: float) -> float:
    """How often the watcher publishes a screen's changes: `SHARE` of its refresh interval, at least 0.5 s."""
    return max(0.5, refresh * SHARE)


class Watcher:
    """This process's streams and the thread that reads their screens' poll state."""

    def __init__(self, store: Store, settings: StreamSettings) -> None:
        self.store, self.settings = store, settings
        self.active = 0
        self.epoch = 0
        """Bumped by `end_streams`: a stream opened in an earlier epoch ends."""
        self._screens: dict[str, _Screen] = {}
        self._answers: OrderedDict[tuple[Any, ...], tuple[dict[str, Any], str]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing = threading.Lock()
        self._ended = threading.Condition()
        self._thread: threading.Thread | None = None
        _WATCHERS.add(self)

    def join(self, name: str, parts: Sequence[str], max_age: float, refresh: float) -> bool:
        """Count one more stream of screen `name`; False when this process holds as many as it may."""
        with self._lock:
            if self.active >= self.settings.capacity or SHUTDOWN.is_set():
                return False
            self.active += 1
            watched = self._screens.get(name)
            if watched is None or watched.parts != tuple(parts):
                count = watched.streams if watched else 0
                watched = self._screens[name] = _Screen(
                    tuple(parts), max_age, period_of(refresh), streams=count
                )
            watched.streams += 1
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="kiosk-watcher", daemon=True)
                self._thread.start()
        return True

    def leave(self, name: str) -> None:
        """Count one stream of `name` less."""
        with self._lock:
            self.active -= 1
            watched = self._screens.get(name)
            if watched is not None:
                watched.streams -= 1
                if watched.streams <= 0:
                    del self._screens[name]

    def published(self, name: str) -> tuple[int, int]:
        """(the period, how many changes of `name` the watcher had seen then) published last."""
        with self._lock:
            watched = self._screens.get(name)
            return watched.published if watched else (-1, 0)

    def sleep(self, timeout: float) -> None:
        """Wait up to `timeout` s, less when the streams are ended (`end_streams`, shutdown)."""
        deadline = time.monotonic() + timeout
        with self._ended:
            epoch = self.epoch
            while not SHUTDOWN.is_set() and self.epoch == epoch and time.monotonic() < deadline:
                self._ended.wait(deadline - time.monotonic())

    def answer(self, name: str, query: Mapping[str, str], compute: Compute) -> tuple[dict[str, Any], str]:
        """The poll's answer to `query` and its JSON, computed once per published period of `name` and
        query for every TV that asks (`stamped` sets each message's pulse time); one at a time, so the
        TVs that ask at once wait for the first instead of computing it too."""
        key = (name, *self.published(name), tuple(sorted(query.items())))
        found = self._kept(key)
        if found is None:
            with self._computing:
                found = self._kept(key)
                if found is None:
                    with request_deadline(REQUEST_DEADLINE):  # the request's own deadline passed long ago
                        answer = compute(query, self.reader(name))
                    found = (answer, answers().text(answer))
                    self._keep(key, found)
        return found

    def _kept(self, key: tuple[Any, ...]) -> tuple[dict[str, Any], str] | None:
        with self._lock:
            return self._answers.get(key)

    def _keep(self, key: tuple[Any, ...], found: tuple[dict[str, Any], str]) -> None:
        with self._lock:
            self._answers[key] = found
            while len(self._answers) > ANSWERS:
                self._answers.popitem(last=False)

    def reader(self, name: str) -> Reader:
        """What the watcher read last for `name`, as `changes_since` takes it."""

        def read(parts: Sequence[str], last_id: str) -> PollRead | None:
            with self._lock:
                watched = self._screens.get(name)
                found = watched.shown if watched is not None and watched.parts == tuple(parts) else None
            if isinstance(found, StoreUnavailable):
                raise found
            return _after(found, last_id) if found is not None else None

        return read

    def end_streams(self) -> None:
        """End every stream open now (new ones may open)."""
        with self._ended:
            self.epoch += 1
            self._ended.notify_all()

    def _run(self) -> None:
        while not SHUTDOWN.is_set():
            with self._lock:
                screens = list(self._screens.items())
            if not screens:
                with self._lock:
                    if not self._screens:
                        self._thread = None
                        return
            for name, watched in screens:
                self._read(name, watched)
            SHUTDOWN.wait(self.settings.watch)

    def _read(self, name: str, watched: _Screen) -> None:
        try:
            read: PollRead | StoreUnavailable = poll_read(
                self.store, watched.parts, START, max_age_seconds=watched.max_age, limit=WATCH_LIMIT
            )
            mark: Any = (read.version, read.versions, [i for i, _ in read.fresh], read.health)
        except StoreUnavailable as error:
            read, mark = error, "down"
        with self._lock:
            watched.read = read
            if mark != watched.mark:
                watched.mark = mark
                watched.generation += 1
            watched.publish(time.monotonic())


def _after(read: PollRead, last_id: str) -> PollRead | None:
    """`read` with only the celebrations after `last_id` (None when the watcher's read may miss some)."""
    floor = parse_id(last_id)
    fresh = [(entry, item) for entry, item in read.fresh if parse_id(entry) > floor]
    if not fresh and len(read.fresh) >= WATCH_LIMIT:
        return None
    return PollRead(read.version, read.versions, fresh[:5], read.health)


def streams_on() -> bool:
    """Whether TVs are offered the stream (``WALLBOARD_STREAMS`` is not 0)."""
    return StreamSettings.from_env().capacity > 0


def stop_all() -> None:
    """End every stream of this process now (the TVs reconnect elsewhere, with what they have seen)."""
    SHUTDOWN.set()
    for watcher in list(_WATCHERS):
        watcher.end_streams()


def watcher(store: Store) -> Watcher:
    """The current app's watcher (one per app and process)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get(EXTENSION)
    if found is None:
        found = app.extensions.setdefault(EXTENSION, Watcher(store, StreamSettings.from_env()))
    return found


def stamped(text: str, now: float) -> str:
    """An answer's JSON with its pulse's time (``p.t``, the first key of every answer) set to `now`: an
    answer is shared by the TVs that ask within a refresh interval, each message says when it was sent."""
    if not text.startswith(_PULSE_TIME):
        return text
    end = len(_PULSE_TIME)
    while end < len(text) and text[end].isdigit():
        end += 1
    return f"{_PULSE_TIME}{int(now)}{text[end:]}"


@dataclass
class Tv:
    """One TV's stream: what the server knows of it."""

    name: str
    args: dict[str, str]
    refresh: float
    started: float = field(default_factory=time.monotonic)

    def query(self) -> dict[str, str]:
        """The poll query the TV would send, without the view it shows (``w``, ``e``): a stream is sent
        every changed view, so every TV of a screen in the same state asks the same."""
        return {name: value for name, value in self.args.items() if name not in PHASE}

    def saw(self, changes: Mapping[str, Any]) -> None:
        """Merge an answer's ``s`` into the seen state (as the TV does)."""
        seen = seen_of_query(self.args)
        rest = {name: value for name, value in self.args.items() if name not in SEEN_PARAMS}
        self.args = {**rest, **seen_query(seen_after(seen, changes))}


def messages(tv: Tv, watch: Watcher, compute: Compute, encoder: Encoder, lifetime: float) -> Iterator[bytes]:
    """The stream's bytes: a message at once, then one when the watcher published a change that concerns
    the TV (looked at once a period, at the TV's own offset in it) and a pulse every refresh interval."""
    end = tv.started + lifetime * random.uniform(0.9, 1.1)
    period, epoch = period_of(tv.refresh), watch.epoch
    offset = LAG + random.uniform(0, SPREAD) * period
    last_sent, generation, first = 0.0, 0, True
    while not SHUTDOWN.is_set() and watch.epoch == epoch:
        now = time.monotonic()
        if not first:
            if now >= end:
                return
            look = ((now - offset) // period + 1) * period + offset
            watch.sleep(min(look, end) - now)
            now = time.monotonic()
            beat = now >= last_sent + tv.refresh - period / 2
            if now < look or (watch.published(tv.name)[1] == generation and not beat):
                continue
        generation = watch.published(tv.name)[1]
        answer, text = watch.answer(tv.name, tv.query(), compute)
        if first or now >= last_sent + tv.refresh - period / 2 or any(key != "p" for key in answer):
            yield encoder.message(stamped(text, time.time()))
            last_sent = now
        if "s" in answer:
            tv.saw(answer["s"])
        if "r" in answer:
            return
        first = False


def _ended(body: Iterator[bytes], encoder: Encoder) -> Iterator[bytes]:
    """`body`, then what ends the encoding when the stream ends by itself (not when the TV went away)."""
    yield from body
    tail = encoder.end()
    if tail:
        yield tail


def stream_response(
    tv: Tv, store: Store, parts: Sequence[str], max_age: float, compute: Compute, gzip: bool
) -> Response:
    """The TV's stream, or 503 at once when this process holds as many streams as it may (the TV polls)."""
    watch = watcher(store)
    if not watch.join(tv.name, parts, max_age, tv.refresh):
        return Response("streams full\n", status=503, mimetype="text/plain", headers={"Retry-After": "30"})

    encoder = Encoder(gzip)
    body = _ended(messages(tv, watch, compute, encoder, watch.settings.lifetime), encoder)
    response = Response(stream_with_context(body), mimetype="text/event-stream", headers=HEADERS)
    response.call_on_close(lambda: watch.leave(tv.name))
    if gzip:
        response.headers["Content-Encoding"] = "gzip"
    return response


def once(text: str) -> Response:
    """A stream of one message that ends (an unknown screen or a wrong key: ``r: locked``)."""
    return Response(f"data: {text}\n\n", mimetype="text/event-stream", headers=HEADERS)
