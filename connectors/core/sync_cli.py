"""``wallboard sync``: run the configured connectors once, or each on its interval until stopped.

Wire it into a CLI with `add_sync_command(subparsers)`; the parsed arguments carry ``func``, which
returns the exit status: 0 when every run succeeded (or another process held a connector's lock),
1 when a run failed (with ``--once``) or a connector was stopped by an auth failure, 2 for a usage or
configuration error. ``python -m connectors.core.sync_cli sync ...``
runs it standalone.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, time
from typing import Any

from connectors.core.config import ConfiguredConnector, configured_connectors
from connectors.core.http import Interrupted
from connectors.core.registry import Registry
from connectors.core.runner import Runner, RunReport
from kpi.config import Config, ConfigError, load_config
from kpi.config.settings import Settings
from kpi.ingest.game_round import game_round
from kpi.store import open_store
from kpi.store.base import StoreUnavailable

log = logging.getLogger("wallboard.connectors")


def add_sync_command(subparsers: Any) -> None:
    """Register the ``sync`` subcommand on an argparse subparsers object."""
    parser = subparsers.add_parser(
        "sync",
        help="pull KPIs from the configured connectors",
        description="Run the connectors of the config file (WALLBOARD_CONFIG) against Redis (REDIS_URL): "
        "each on its interval until SIGTERM or Ctrl-C, or each once with --once.",
    )
    parser.add_argument("--once", action="store_true", help="run each connector once, then exit")
    parser.add_argument(
        "--connector",
        metavar="NAME",
        action="append",
        help="run only this connector (may be given more than once)",
    )
    parser.add_argument(
        "--since",
        metavar="DATE",
        help="backfill: re-read everything changed since DATE (YYYY-MM-DD in the office time "
        "zone, or an RFC 3339 time) before continuing incrementally",
    )
    parser.set_defaults(func=run_sync)


def parse_since(text: str, config: Config) -> datetime:
    """A ``--since`` value as an aware datetime (a bare date is midnight in the office time zone)."""
    try:
        if len(text) == 10:
            return datetime.combine(datetime.strptime(text, "%Y-%m-%d").date(), time(), config.zone)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--since {text!r}: expected YYYY-MM-DD or an RFC 3339 time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=config.zone)


def run_sync(
    args: argparse.Namespace,
    *,
    stop: threading.Event | None = None,
    registry: Registry | None = None,
    out: Callable[[str], None] = print,
) -> int:
    """Run the ``sync`` command; return its exit status."""
    settings = Settings.from_env()
    if not settings.redis_url:
        out("wallboard sync: REDIS_URL is not set; the sync writes to Redis, where the dashboard reads")
        return 2
    try:
        config = load_config(settings.config_path)
        wanted = set(args.connector or [])
        unknown = wanted - set(config.connectors)
        if unknown:
            raise ConfigError(
                f"--connector: not in the config: {', '.join(sorted(unknown))}; configured: "
                f"{', '.join(sorted(config.connectors)) or '(none)'}"
            )
        items = configured_connectors(config, registry, only=lambda name: not wanted or name in wanted)
        since = parse_since(args.since, config) if args.since else None
    except (ConfigError, ValueError) as exc:
        out(f"wallboard sync: {exc}")
        return 2
    if not items:
        out("wallboard sync: no enabled connector is configured")
        return 0
    stop = stop or threading.Event()
    runner = Runner(open_store(settings.redis_url, settings.namespace), config, should_stop=stop.is_set)
    if args.once:
        reports = [_run_one(runner, item, since, out, stop) for item in items]
        award_after_round(runner)
        return 0 if all(r.status in ("ok", "locked", "stopped") for r in reports) else 1
    return _run_forever(runner, items, since, stop, out)


def _interruptible(stop: threading.Event) -> Callable[[float], None]:
    """A sleep that ends the run as soon as the process is asked to stop."""

    def sleep(seconds: float) -> None:
        if stop.wait(seconds):
            raise Interrupted("stopping: the run ends without finishing its page")

    return sleep


def _run_one(
    runner: Runner,
    item: ConfiguredConnector,
    since: datetime | None,
    out: Callable[[str], None],
    stop: threading.Event,
) -> RunReport:
    connector = item.build(sleep=_interruptible(stop))
    try:
        report = runner.run(connector, since=since, lock_ttl_seconds=item.settings.lock_ttl_seconds)
    finally:
        connector.close()
    out(summary(report))
    return report


def award_after_round(runner: Runner) -> None:
    """The game's round after a sync round: awards, challenge results, the daily retention sweep (a store
    outage only delays them)."""
    try:
        played = game_round(runner.store, runner.config, runner.now())
    except StoreUnavailable as exc:
        log.warning("the game's round after the sync round is delayed: %s", exc)
        return
    if played.swept is not None:
        log.info(
            "retention %d days: released %d records, deleted the day figures of %d days",
            runner.config.retention_days,
            played.swept.records,
            played.swept.days,
        )


def summary(report: RunReport) -> str:
    """One line about a run, for people."""
    stored = report.stored
    line = (
        f"{report.connector}: {report.status}: {report.pages} page(s), {report.records} record(s), "
        f"{report.events} event(s) (new {stored.new}, updated {stored.updated}, "
        f"retracted {stored.retracted}, "
        f"unchanged {stored.unchanged + stored.stale}), {len(report.skipped)} skipped"
    )
    return f"{line}; {report.error}" if report.error else line


def _run_forever(
    runner: Runner,
    items: Sequence[ConfiguredConnector],
    since: datetime | None,
    stop: threading.Event,
    out: Callable[[str], None],
) -> int:
    restore = _stop_on_signals(stop)
    refused: list[str] = []
    threads = [
        threading.Thread(
            target=_schedule,
            args=(runner, item, since, stop, out, refused),
            daemon=True,
            name=f"sync-{item.name}",
        )
        for item in items
    ]
    try:
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            for thread in threads:
                thread.join(timeout=0.2)
    finally:
        stop.set()
        restore()
    return 1 if refused else 0


def _schedule(
    runner: Runner,
    item: ConfiguredConnector,
    since: datetime | None,
    stop: threading.Event,
    out: Callable[[str], None],
    refused: list[str],
) -> None:
    first = True
    while not stop.is_set():
        try:
            report = _run_one(runner, item, since if first else None, out, stop)
        except Exception as exc:  # noqa: BLE001 - keep the schedule alive through store outages
            log.error("%s: run failed: %s", item.name, exc)
        else:
            first = False
            award_after_round(runner)
            if report.status == "auth_failed":
                out(f"{item.name}: stopped until its credentials are fixed and wallboard sync is restarted")
                refused.append(item.name)
                return
        stop.wait(item.settings.interval_seconds)


def _stop_on_signals(stop: threading.Event) -> Callable[[], None]:
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def handler(signum: int, frame: Any) -> None:
        log.info("wallboard sync: stopping after the pages in hand (signal %d)", signum)
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)

    return restore


def main(argv: Sequence[str] | None = None) -> int:
    """Standalone entry point: ``python -m connectors.core.sync_cli sync [--once] ...``."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(prog="wallboard")
    add_sync_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
