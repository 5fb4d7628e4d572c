"""Capturing what a test app sends, for the privacy checks of the page tests."""

from __future__ import annotations

import zlib
from typing import Iterable, Iterator

import brotli
import dash
from backports import zstd
from flask import Response, request


def record_bodies(app: dash.Dash) -> list[tuple[str, bytes]]:
    """Every response body the app sends from now on (static files and scripts aside), with its path."""
    bodies: list[tuple[str, bytes]] = []

    def record(response: Response) -> Response:
        if response.is_streamed and not response.direct_passthrough:
            response.response = _recorded_stream(
                bodies, request.path, response.response, response.headers.get("Content-Encoding")
            )
        elif not response.direct_passthrough and not request.path.startswith(
            ("/assets/", "/_dash-component-suites/")
        ):
            bodies.append(
                (request.path, plain(response.get_data(), response.headers.get("Content-Encoding")))
            )
        return response

    app.server.after_request(record)
    return bodies


def _recorded_stream(
    bodies: list[tuple[str, bytes]], path: str, chunks: Iterable[bytes], coding: str | None
) -> Iterator[bytes]:
    """A streamed answer (the kiosk stream) passed on chunk by chunk, each recorded uncompressed."""
    unzip = zlib.decompressobj(16 + zlib.MAX_WBITS) if coding == "gzip" else None
    try:
        for chunk in chunks:
            bodies.append((path, unzip.decompress(chunk) if unzip is not None else chunk))
            yield chunk
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()


def plain(data: bytes, coding: str | None) -> bytes:
    """`data` uncompressed: answers the app compressed itself (the kiosk poll's) are read as the browser
    reads them, so that a privacy check never searches compressed bytes."""
    if coding == "gzip":
        return zlib.decompress(data, 16 + zlib.MAX_WBITS)
    if coding == "deflate":
        return zlib.decompress(data)
    if coding == "br":
        return brotli.decompress(data)
    if coding == "zstd":
        return zstd.decompress(data)
    return data


def texts(bodies: list[tuple[str, bytes]]) -> list[str]:
    """The captured bodies as text."""
    return [body.decode("utf-8", "replace") for _, body in bodies]


def kiosk_answers(bodies: list[tuple[str, bytes]], screen: str) -> list[bytes]:
    """The JSON answers screen `screen`'s TVs got, whichever way: each poll's body, each stream message."""
    found = []
    for path, body in bodies:
        if path == f"/_kiosk/poll/{screen}":
            found.append(body)
        elif path == f"/_kiosk/stream/{screen}":
            found += [m[len(b"data: ") :] for m in body.split(b"\n\n") if m.startswith(b"data: ")]
    return found
