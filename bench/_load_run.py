"""The load bench's asyncio part: K TVs polling, M managers clicking, one pusher, for a measured window."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

import httpx

from bench._load_events import live, reflected
from bench._load_manager import VirtualManager, clicks
from bench._load_stream import stream_tv
from bench._load_tv import Exchange, VirtualTV, send
from bench._serve import PUSH_TOKEN

TVS_PER_CLIENT = 50
"""TVs sharing one HTTP client (its pool of keep-alive connections)."""
LOADS_AT_ONCE = 8
POLL_TIMEOUT = 10.0
VISIBLE_GRACE_S = 15.0
"""How long TVs poll on after the window, at most, to see the last pushes."""


@dataclass
class Plan:
    """What to run: how many of each, for how long, against which server and screen."""

    base_url: str
    screen: str
    tvs: int
    managers: int
    rate: float
    seconds: float
    think: float
    today: date
    """The office's date (the managers' filters)."""
    transport: str = "stream"
    """"stream": each TV holds one stream (polling only while it is refused); "poll": each TV polls."""


@dataclass
class Record:
    """Everything the generator saw in the measured window."""

    start: float = 0.0
    interval: float = 3.0
    """The TVs' poll interval (seconds), as their page set it."""
    grace: float = 3.0
    """How late an answer may be and still be on time: a poll answered within its interval; a stream
    message within a second of its due time (a refresh interval after the TV's previous message)."""
    stream_failures: Counter[str] = field(default_factory=Counter)
    """Streams refused or broken in the window, by status or error (the TV then polls a while)."""
    last_seen: dict[int, int] = field(default_factory=dict)
    """TV number -> the newest marked push it has shown (stream mode)."""
    end: float = 0.0
    loads: list[Exchange] = field(default_factory=list)
    """Page loads of the TVs, at the start and when a poll answer orders a reload."""
    polls: list[tuple[float, Exchange]] = field(default_factory=list)
    """(when the poll was due, its exchange), for the polls due in the window."""
    skipped: int = 0
    """Poll ticks due in the window while the TV's previous poll was still unanswered."""
    pushes: list[tuple[int | None, float, Exchange]] = field(default_factory=list)
    """(marked index or None, when it was due, its exchange)."""
    newest_marked: int = -1
    visible: dict[int, dict[int, float]] = field(default_factory=lambda: defaultdict(dict))
    """Marked push index -> TV number -> when that TV first got an answer carrying it."""
    tvs: list[VirtualTV] = field(default_factory=list)
    """The TVs, by number (what each shows when: `VirtualTV.shows_marker`)."""
    clicks: list[Exchange] = field(default_factory=list)
    signed_in: int = 0

    def done(self, number: int) -> bool:
        """Whether TV `number` may stop: after the window, once it has seen the newest marked push (or
        after the grace)."""
        now = time.monotonic()
        if now >= self.end + VISIBLE_GRACE_S:
            return True
        return now >= self.end and self.last_seen.get(number, -1) >= self.newest_marked


def run(plan: Plan, on_window: Callable[[str], None]) -> Record:
    """Run the plan; `on_window(start)` and `on_window(end)` are called at the window's edges."""
    return asyncio.run(_run(plan, on_window))


async def _run(plan: Plan, on_window: Callable[[str], None]) -> Record:
    record = Record()
    connections = TVS_PER_CLIENT * (2 if plan.transport == "stream" else 1) + 5
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    clients = [
        httpx.AsyncClient(base_url=plan.base_url, limits=limits, timeout=POLL_TIMEOUT)
        for _ in range(max(1, -(-plan.tvs // TVS_PER_CLIENT)))
    ]
    pusher = httpx.AsyncClient(base_url=plan.base_url, timeout=POLL_TIMEOUT)
    clients.append(pusher)
    tvs = [VirtualTV(clients[n // TVS_PER_CLIENT], plan.screen) for n in range(plan.tvs)]
    record.tvs = tvs
    try:
        loading = time.monotonic()
        await _load_all(tvs, record)
        print(f"{len(tvs)} TVs loaded the page in {time.monotonic() - loading:.1f} s")
        record.interval = tvs[0].interval if tvs else record.interval
        managers = await _sign_in(plan, clients[0], record)
        streams = plan.transport == "stream"
        record.grace = 1.0 if streams else record.interval
        record.start = time.monotonic() + 0.5 + (2 * record.interval if streams else 0)
        record.end = record.start + plan.seconds
        tv_task = _tv_stream if streams else _tv
        tasks = [tv_task(n, tv, record, random.Random(n)) for n, tv in enumerate(tvs)]
        tasks.append(_at_start(record, on_window))
        tasks += [_manager(m, plan, record, random.Random(-n)) for n, m in enumerate(managers)]
        tasks.append(_pusher(pusher, plan.rate, record))
        tasks.append(_at_end(record, on_window))
        await asyncio.gather(*tasks)
        for manager in managers:
            await manager.close()
    finally:
        for client in clients:
            await client.aclose()
    return record


async def _load_all(tvs: list[VirtualTV], record: Record) -> None:
    gate = asyncio.Semaphore(LOADS_AT_ONCE)

    async def one(tv: VirtualTV) -> None:
        async with gate:
            record.loads.append(await tv.load())

    await asyncio.gather(*(one(tv) for tv in tvs))


async def _sign_in(plan: Plan, client: httpx.AsyncClient, record: Record) -> list[VirtualManager]:
    if not plan.managers:
        return []
    dependencies = (await client.get("/_dash-dependencies")).json()
    managers = [VirtualManager(plan.base_url, dependencies, "") for _ in range(plan.managers)]
    for manager in managers:
        record.signed_in += await manager.sign_in()
    return managers


async def _sleep_until(moment: float) -> None:
    await asyncio.sleep(max(0.0, moment - time.monotonic()))


async def _at_start(record: Record, on_window: Callable[[str], None]) -> None:
    await _sleep_until(record.start)
    on_window("start")


async def _at_end(record: Record, on_window: Callable[[str], None]) -> None:
    await _sleep_until(record.end)
    on_window("end")


async def _tv(number: int, tv: VirtualTV, record: Record, rng: random.Random) -> None:
    """Poll at the TV's interval from a random phase; a tick while the last poll is out is skipped.

    After the window the TV polls on (unrecorded) until it has seen the newest marked push, for at most
    `VISIBLE_GRACE_S`, so that pushes near the window's end are measured too.
    """
    due, last_seen = record.start + rng.uniform(0, tv.interval), -1
    while due < record.end + VISIBLE_GRACE_S:
        await _sleep_until(due)
        if due >= record.end and last_seen >= record.newest_marked:
            break
        reloading = tv.must_load
        exchange = await tv.poll()
        if reloading:
            record.loads.append(exchange)
        elif due < record.end:
            record.polls.append((due, exchange))
        last_seen = _note_visible(number, tv, record, exchange, last_seen)
        due += tv.interval
        while due < exchange.answered:
            record.skipped += due < record.end
            due += tv.interval


async def _tv_stream(number: int, tv: VirtualTV, record: Record, rng: random.Random) -> None:
    """Open the TV's stream before the window (from a random phase), and hold it (bench/_load_stream.py)."""
    await _sleep_until(record.start - 2 * tv.interval + rng.uniform(0, tv.interval))

    def note(exchange: Exchange) -> None:
        last_seen = record.last_seen.get(number, -1)
        record.last_seen[number] = _note_visible(number, tv, record, exchange, last_seen)

    await stream_tv(number, tv, record, note)


def _note_visible(number: int, tv: VirtualTV, record: Record, exchange: Exchange, last_seen: int) -> int:
    newest = reflected(tv.marker, record.newest_marked) if tv.marker is not None else None
    if newest is None or newest <= last_seen or not exchange.ok:
        return last_seen
    for index in range(last_seen + 1, newest + 1):
        record.visible[index][number] = exchange.answered
    return newest


async def _pusher(client: httpx.AsyncClient, rate: float, record: Record) -> None:
    """Push one body every 1/rate seconds through the ingest API, without waiting for earlier answers."""
    headers = {"Authorization": f"Bearer {PUSH_TOKEN}", "Content-Type": "application/json"}
    bodies = live()
    pending = []
    count = 0
    while rate > 0 and (due := record.start + count / rate) < record.end:
        await _sleep_until(due)
        marked, body = next(bodies)
        if marked is not None:
            record.newest_marked = marked
        pending.append(asyncio.create_task(_push(client, body, headers, marked, due, record)))
        count += 1
    await asyncio.gather(*pending)


async def _push(
    client: httpx.AsyncClient,
    body: bytes,
    headers: dict[str, str],
    marked: int | None,
    due: float,
    record: Record,
) -> None:
    exchange, _ = await send(client, "POST", "/api/v1/events", body, headers)
    record.pushes.append((marked, due, exchange))


async def _manager(manager: VirtualManager, plan: Plan, record: Record, rng: random.Random) -> None:
    """Click through the drill-down, one click every `think` seconds (from a random phase)."""
    steps = clicks(plan.today)
    await _sleep_until(record.start + rng.uniform(0, plan.think))
    step = 0
    while time.monotonic() < record.end:
        outputs, values = steps[step % len(steps)]
        record.clicks.extend(await manager.click(outputs, values))
        step += 1
        await asyncio.sleep(plan.think)
