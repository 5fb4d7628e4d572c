"""pydantic's validation errors as short ``key.path: what is wrong`` pairs, the way every error is shown."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import ValidationError


def problems(exc: ValidationError, top: str = "") -> Iterator[tuple[str, str]]:
    """Each error of `exc` as (dotted key path, message); the key path is `top` for the whole object."""
    for err in exc.errors(include_url=False):
        where = ".".join(str(part) for part in err["loc"]) or top
        yield where, str(err["msg"]).removeprefix("Value error, ")
