"""Manager reads memoized in the shared cache, per (viewer scope, filters, data version).

`memoized` wraps a service function ``f(store, config, *args)``: inside a request of an app with a shared
cache (`dashboard.cache`), its result is kept for `MANAGE_SECONDS` under a key made of the function, the
store's data version and a canonical form of `args` (the viewer's scope and the filters), so the same
drill-down asked again by any manager, tab or worker is read, not recomputed, until a figure changes.
Outside a request (tests, scripts) it simply calls the function.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from typing import Any, Callable, TypeVar

from flask import has_app_context
from pydantic import BaseModel

from dashboard.context import get_context
from kpi.config import Config
from kpi.store.base import Store

MANAGE_SECONDS = 300
"""How long a memoized manager read lives (a new data version makes new keys long before)."""
T = TypeVar("T")


def memoized(function: Callable[..., T]) -> Callable[..., T]:
    """`function(store, config, *args)`, read from the shared cache when the same call was made at the
    same data version."""
    name = f"{function.__module__}.{function.__qualname__}"

    @functools.wraps(function)
    def wrapper(store: Store, config: Config, *args: Any, **kwargs: Any) -> T:
        shared = get_context().cache if has_app_context() else None
        if shared is None:
            return function(store, config, *args, **kwargs)
        asked = hashlib.blake2b(canonical([args, kwargs]).encode(), digest_size=12).hexdigest()
        key = f"manage:{name}:{store.data_version()}:{asked}"
        return shared.one("manage", key, lambda: function(store, config, *args, **kwargs), MANAGE_SECONDS)

    return wrapper


def canonical(value: object) -> str:
    """A text that is the same for equal arguments in every process (sets sorted, models as JSON)."""
    if isinstance(value, BaseModel):
        return value.model_dump_json()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = (f"{f.name}={canonical(getattr(value, f.name))}" for f in dataclasses.fields(value))
        return f"{type(value).__name__}({','.join(fields)})"
    if isinstance(value, dict):
        return "{" + ",".join(sorted(f"{canonical(k)}:{canonical(v)}" for k, v in value.items())) + "}"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(canonical(item) for item in value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(canonical(item) for item in value) + "]"
    return repr(value)
