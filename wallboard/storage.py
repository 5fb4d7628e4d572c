"""``wallboard migrate`` and ``wallboard sweep-retention``: the store's upkeep (issue #13)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone

from kpi.config import load_config
from kpi.config.settings import Settings
from kpi.store import RedisStore, open_store
from kpi.store.base import StoreUnavailable


def add_storage_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    migrate = sub.add_parser(
        "migrate",
        help="move records of older layouts (hash per record, nine-field values) into the short one",
    )
    migrate.set_defaults(func=run_migrate)
    sweep = sub.add_parser(
        "sweep-retention",
        help="release records older than retention.days and delete their day figures (run it daily)",
    )
    sweep.set_defaults(func=run_sweep)


def _redis_store(command: str) -> RedisStore | None:
    settings = Settings.from_env()
    store = open_store(settings.redis_url, settings.namespace) if settings.redis_url else None
    if not isinstance(store, RedisStore):
        print(f"wallboard: {command} needs REDIS_URL (the in-process store keeps nothing)", file=sys.stderr)
        return None
    return store


def run_migrate(args: argparse.Namespace) -> int:
    store = _redis_store("migrate")
    if store is None:
        return 2
    try:
        moved = store.migrate_records()
    except StoreUnavailable as exc:
        print(f"wallboard: {exc}; running migrate again is safe", file=sys.stderr)
        return 3
    print(f"moved {moved} records of older layouts into the short bucket layout")
    return 0


def run_sweep(args: argparse.Namespace) -> int:
    config = load_config(Settings.from_env().config_path)
    store = _redis_store("sweep-retention")
    if store is None:
        return 2
    try:
        swept = store.sweep_retention(config, datetime.now(timezone.utc))
    except StoreUnavailable as exc:
        print(f"wallboard: {exc}; running the sweep again is safe", file=sys.stderr)
        return 3
    print(
        f"retention {config.retention.days} days: released {swept.records} records, "
        f"deleted the day figures of {swept.days} days"
    )
    return 0
