"""A virtual TV on the stream transport: one long GET read as kiosk.js's EventSource reads it (issue #13).

The TV opens ``/_kiosk/stream/<screen>?<the poll's query>`` (built by
`dashboard.services.kiosk.wire.poll_url`, as kiosk.js's ``streamUrl``) and applies each message as the
poll's answer (`VirtualTV.take`). Each message is recorded as an `Exchange`: it was due a refresh interval
after the TV's previous message (the server sends a pulse then at the latest), ``sent`` is that due time
(or the arrival, when earlier: a change), so its ``seconds`` is its lateness; its bytes are the chunk as
sent (and uncompressed), plus the request and the answer's headers on a connection's first message.
When the stream fails (a 503 from a full worker, a reset) the TV polls, as kiosk.js does, and opens the
stream again after a growing wait.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from typing import TYPE_CHECKING, Callable

import httpx

from bench._load_tv import POLL_HEADERS, Exchange, VirtualTV, _head_bytes
from dashboard.services.kiosk.stream import STREAM_PATH
from dashboard.services.kiosk.wire import poll_url

if TYPE_CHECKING:
    from bench._load_run import Record

STREAM_HEADERS = {**POLL_HEADERS, "Accept": "text/event-stream", "Cache-Control": "no-cache"}
"""What Chromium's EventSource sends (and a Referer, added per TV)."""
RETRY_MAX_S = 60.0


def stream_url(tv: VirtualTV, now: float) -> str:
    """The stream's URL as kiosk.js's ``streamUrl`` builds it (the poll's query)."""
    page = {**tv.meta, "poll": tv.meta.get("stream") or STREAM_PATH + tv.path.rsplit("/", 1)[-1]}
    return poll_url(page, tv.seen, tv.showing(now))


Heard = Callable[[Exchange, float], None]
"""What the run does with each message: (its exchange, when it was due)."""


async def hold(tv: VirtualTV, heard: Heard, until: Callable[[], bool], last: float) -> tuple[float, str]:
    """Read one stream until it ends, `until()` says stop, or it fails; (the last message's time, why it
    ended: "" when it ended after working, else the error)."""
    url = stream_url(tv, time.monotonic())
    headers = {**STREAM_HEADERS, "Referer": f"{tv.client.base_url}{tv.path}"}
    request = tv.client.build_request("GET", url, headers=headers)
    out = _head_bytes(f"GET {request.url.raw_path.decode()} HTTP/1.1", request.headers.raw)
    try:
        async with tv.client.stream("GET", url, headers=headers) as response:
            if response.status_code != 200:
                await response.aread()
                return last, str(response.status_code)
            head = out + _head_bytes(f"HTTP/1.1 {response.status_code} OK", response.headers.raw)
            gzip = response.headers.get("Content-Encoding") == "gzip"
            unzip = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzip else None
            text = b""
            async for chunk in response.aiter_raw():
                now = time.monotonic()
                plain = unzip.decompress(chunk) if unzip is not None else chunk
                text += plain
                due = last + tv.interval if last else now
                exchange = Exchange(min(due, now), now, 200, len(chunk) + head, len(plain) + head, "", out)
                out = head = 0
                while b"\n\n" in text:
                    message, text = text.split(b"\n\n", 1)
                    if message.startswith(b"data: "):
                        tv.take(message[len(b"data: ") :].decode())
                heard(exchange, due)
                last = now
                if until() or tv.must_load:
                    return last, ""
    except (httpx.HTTPError, OSError, zlib.error) as exc:
        return last, type(exc).__name__
    return last, ""


async def stream_tv(number: int, tv: VirtualTV, record: Record, note: Callable[[Exchange], None]) -> None:
    """A TV on the stream transport through the window (and the grace after it, until `record` says it has
    seen the newest push); polling while its stream is refused or broken."""
    failures, last = 0, 0.0

    def heard(exchange: Exchange, due: float) -> None:
        if record.start <= due < record.end:
            record.polls.append((due, exchange))
        note(exchange)

    while not record.done(number):
        if tv.must_load:
            record.loads.append(await tv.load())
            continue
        last, error = await hold(tv, heard, lambda: record.done(number), last)
        if not error:
            failures = 0
            continue
        failures += 1
        if record.start <= time.monotonic() < record.end:
            record.stream_failures[error] += 1
        retry = time.monotonic() + min(RETRY_MAX_S, 2.0**failures)
        while time.monotonic() < retry and not record.done(number):
            due = time.monotonic()
            exchange = await tv.poll()
            if record.start <= due < record.end:
                record.polls.append((due, exchange))
            note(exchange)
            last = exchange.answered if exchange.ok else last
            await asyncio.sleep(max(0.0, due + tv.interval - time.monotonic()))
