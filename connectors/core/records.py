"""Reading values out of source records: dotted paths and vendor timestamps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def dig(document: Any, path: str) -> Any:
    """The value at a dotted `path` (list items by index); KeyError naming the path when it is absent."""
    value = document
    for part in filter(None, path.split(".")):
        if isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            raise KeyError(path)
    return value


def parse_time(value: Any) -> datetime:
    """A source timestamp as an aware UTC datetime.

    Accepts ISO 8601 with ``Z``, ``+00:00`` or ``+0000``, and epoch seconds or milliseconds.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not a timestamp: {value!r}")
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit()):
        number = float(value)
        if number > 1e11:
            number /= 1000
        return datetime.fromtimestamp(number, UTC)
    if not isinstance(value, str):
        raise TypeError(f"not a timestamp: {value!r}")
    text = value.strip().replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":
        text = text[:-2] + ":" + text[-2:]
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a timestamp: {value!r}") from None
    if parsed.tzinfo is None:
        raise ValueError(f"timestamp without a time zone: {value!r}")
    return parsed.astimezone(UTC)
