"""``wallboard rescore``: re-derive stored records' figures (their points) with the current rules."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from kpi.config import Config, load_config
from kpi.config.settings import Settings
from kpi.store import open_store
from kpi.store.base import Progress, StoreUnavailable


def add_rescore_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    rescore = sub.add_parser("rescore", help="recompute points over stored history with the current rules")
    rescore.add_argument(
        "--since",
        type=date.fromisoformat,
        metavar="DATE",
        help="only records that occurred on or after this office-local day (YYYY-MM-DD); default: all",
    )
    rescore.set_defaults(func=run)


def since_moment(day: date | None, config: Config) -> datetime | None:
    """The start of `day` in the office's time zone."""
    return None if day is None else datetime.combine(day, datetime.min.time(), config.zone)


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    config = load_config(settings.config_path)
    if not settings.redis_url:
        print("wallboard: rescore needs REDIS_URL (the in-process store holds no history)", file=sys.stderr)
        return 2
    store = open_store(settings.redis_url, settings.namespace)
    started = time.perf_counter()
    try:
        with _bar() as progress:
            result = store.rescore(config, since=since_moment(args.since, config), progress=progress)
    except StoreUnavailable as exc:
        print(f"wallboard: {exc}; running rescore again is safe (it is idempotent)", file=sys.stderr)
        return 3
    seconds = time.perf_counter() - started
    scope = f"since {args.since.isoformat()}" if args.since else "over all history"
    print(
        f"rescored {result.records} records {scope} in {seconds:.1f} s "
        f"({result.records / max(seconds, 1e-9):,.0f} records/s); {result.changed} changed their figures"
    )
    return 0


@contextmanager
def _bar() -> Iterator[Progress | None]:
    """A progress bar on a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress as Bar

    with Bar(transient=True) as bar:
        task = bar.add_task("rescoring", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)
