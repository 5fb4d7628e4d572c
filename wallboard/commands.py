"""What each `wallboard` subcommand does."""

from __future__ import annotations

import argparse
import csv
import dataclasses
import itertools
import json
import logging
import os
import secrets
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

import dash
import yaml

from kpi.config import Config, ConfigError, in_force, load_config
from kpi.config.settings import Settings
from kpi.ingest.pipeline import IngestResult, decode_json, ingest, item_from_csv_row, validate
from kpi.model.events import BatchRejected
from kpi.store import open_store
from kpi.store.base import Store, StoreUnavailable

log = logging.getLogger("wallboard")

DEMO_AGENT = "agent-01"
"""The simulated agent whose own page (/me) the demo links to."""


def _settings_and_config() -> tuple[Settings, Config]:
    settings = Settings.from_env()
    return settings, load_config(settings.config_path)


def check_config(args: argparse.Namespace) -> int:
    """Validate the config file and print what it defines (with --effective: everything in force, as YAML)."""
    from connectors.core.config import configured_connectors

    path = args.path or os.environ.get("WALLBOARD_CONFIG") or None
    config = load_config(path)
    try:
        configured_connectors(config)
    except ConfigError as exc:
        raise ConfigError(f"{path or 'built-in default config'}: {exc}") from None
    if args.effective:
        print(yaml.safe_dump(in_force(config), sort_keys=False, allow_unicode=True), end="")
        return 0
    print(f"{path or 'built-in default config'}: OK")
    print(f"  time zone: {config.timezone}")
    print(f"  metrics:   {', '.join(config.metrics)}")
    for section in ("screens", "goals", "connectors"):
        value = getattr(config, section, None)
        if value:
            print(f"  {section + ':':<10} {', '.join(value) if isinstance(value, dict) else value}")
    return 0


def demo(args: argparse.Namespace) -> int:
    """Run the app on a simulated floor, in-process, with no Redis needed."""
    from dashboard import create_app
    from dashboard.auth import with_demo_user
    from wallboard.demo import DemoFeed

    settings, config = _settings_and_config()
    settings = dataclasses.replace(
        settings,
        namespace="demo" if settings.redis_url else settings.namespace,
        ingest_token=settings.ingest_token or secrets.token_urlsafe(16),
        api_token=settings.api_token or secrets.token_urlsafe(16),
        secret_key=settings.secret_key or secrets.token_hex(32),
    )
    config, password = with_demo_user(config, "demo", os.environ.get("WALLBOARD_DEMO_PASSWORD"))
    store = open_store(settings.redis_url, settings.namespace)
    app = create_app(settings, config=config, store=store)
    feed = DemoFeed(store, config, days=args.days, tick_seconds=args.tick)
    feed.start()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    _print_demo_urls(args, config, settings, password, store)
    app.run(host=args.host, port=args.port, debug=False)
    feed.stop()
    return 0


def _print_demo_urls(
    args: argparse.Namespace, config: Config, settings: Settings, password: str, store: Store
) -> None:
    from dashboard.agent_auth import agent_link

    base = f"http://{args.host}:{args.port}"
    me = agent_link(
        store, settings.secret_key or "", DEMO_AGENT, base, days=1, now=datetime.now(timezone.utc)
    )
    lines = [
        "",
        "Wallboard demo — a simulated floor of 30 agents in 3 teams, live every few seconds.",
        f"  Start page:   {base}/",
    ]
    for screen in getattr(config, "screens", {}) or {}:
        lines.append(f"  Kiosk:        {base}/kiosk/{screen}")
    if any(page.get("path") == "/manage" for page in dash.page_registry.values()):
        lines.append(f"  Manager view: {base}/manage  (user demo, password {password})")
    lines.append(f"  Agent page:   {me}  ({DEMO_AGENT}'s own /me, valid a day)")
    lines += [
        f"  Read API:     curl -H 'Authorization: Bearer {settings.api_token}' "
        f"'{base}/api/v1/leaderboard?metric=tickets_solved&period=week'",
        f"  Push API:     token {settings.ingest_token} (POST {base}/api/v1/events)",
        f"Loading {args.days} days of history in the background: every page says so until it is in.",
        "Press Ctrl-C to stop.",
        "",
    ]
    print("\n".join(lines), flush=True)


def serve(args: argparse.Namespace) -> int:
    """Serve the app under gunicorn (wallboard/gunicorn.conf.py; --host, --port, --workers override it)."""
    from wallboard.server import WallboardServer

    settings, _config = _settings_and_config()
    options: dict[str, Any] = {}
    if args.host is not None or args.port is not None:
        options["bind"] = [f"{args.host or '0.0.0.0'}:{args.port or 8050}"]
    if args.workers is not None:
        options["workers"] = args.workers
    WallboardServer(settings, options).run()
    return 0


def ingest_file(args: argparse.Namespace) -> int:
    """Load a file in all-or-nothing batches through the same validation as the push API."""
    settings, config = _settings_and_config()
    if not settings.redis_url and not args.dry_run:
        print(
            "wallboard: ingest needs REDIS_URL (an in-process store would vanish when this command "
            "ends); use --dry-run to only validate",
            file=sys.stderr,
        )
        return 2
    fmt = args.format or _format_of(args.file)
    store = None if args.dry_run else open_store(settings.redis_url, settings.namespace)
    total, done = IngestResult(received=0), 0
    with _progress(args.file) as advance:
        for batch in _batches(_items(args.file, fmt), args.batch_size):
            try:
                if store is None:
                    validate(batch, config)
                    result = IngestResult(received=len(batch))
                else:
                    result = ingest(store, config, batch)
            except BatchRejected as exc:
                _report_rejected(exc, done, len(batch), total)
                return 1
            except StoreUnavailable as exc:
                print(
                    f"wallboard: {exc}; {total.received} events were written before it; re-running "
                    "is safe (writes are idempotent)",
                    file=sys.stderr,
                )
                return 3
            total += result
            done += len(batch)
            advance(len(batch))
    verb = "validated" if args.dry_run else "ingested"
    print(
        f"{verb} {total.received} events: "
        + ", ".join(f"{v} {k}" for k, v in total.public().items() if k != "received")
    )
    return 0


def _format_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if name == "-" or suffix in (".ndjson", ".jsonl"):
        return "ndjson"
    if suffix == ".csv":
        return "csv"
    if suffix == ".json":
        return "json"
    raise SystemExit(f"wallboard: cannot tell the format of {name!r}; pass --format json|ndjson|csv")


def _items(name: str, fmt: str) -> Iterator[Any]:
    """The file's items; an NDJSON line that is not JSON is passed on as text for validation to reject."""
    handle = sys.stdin if name == "-" else open(name, encoding="utf-8", newline="")  # noqa: SIM115
    with handle:
        if fmt == "json":
            yield from decode_json(handle.read())
        elif fmt == "csv":
            yield from (item_from_csv_row(row) for row in csv.DictReader(handle))
        else:
            for line in handle:
                if line.strip():
                    yield _json_or_text(line)


def _json_or_text(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        return line


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, max(1, size))):
        yield batch


def _report_rejected(exc: BatchRejected, offset: int, size: int, total: IngestResult) -> None:
    print(
        f"wallboard: items {offset}–{offset + size - 1} rejected; nothing of that batch was written "
        f"({total.received} events in earlier batches were):",
        file=sys.stderr,
    )
    for error in exc.errors[:50]:
        print(f"  item {offset + error.index}: {error.field}: {error.reason}", file=sys.stderr)
    if len(exc.errors) > 50:
        print(f"  … and {len(exc.errors) - 50} more", file=sys.stderr)


class _progress:
    """A progress bar on a terminal for files over 1 MB; silent otherwise."""

    def __init__(self, name: str) -> None:
        size = Path(name).stat().st_size if name != "-" else 0
        self.enabled = size > 1_000_000 and sys.stderr.isatty()
        self._bar: Any = None

    def __enter__(self):  # noqa: ANN204 - returns the advance function
        if not self.enabled:
            return lambda n: None
        from rich.progress import Progress

        self._bar = Progress(transient=True)
        self._bar.start()
        task = self._bar.add_task("ingesting", total=None)
        return lambda n: self._bar.advance(task, n)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
