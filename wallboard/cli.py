"""The `wallboard` command: demo, serve, ingest, check-config, rescore, award, doctor, agent-link, migrate,
sweep-retention and sync."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Callable, Sequence

from kpi.config import ConfigError
from wallboard import logs

log = logging.getLogger("wallboard")

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    from wallboard import award, commands, doctor, rescore, storage
    from wallboard.agent_link import add_agent_link_command

    parser = argparse.ArgumentParser(prog="wallboard", description="Live KPIs on the office TV.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="run a live demo with a simulated floor (no Redis needed)")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8050)
    demo.add_argument("--days", type=int, default=90, help="days of history to backfill")
    demo.add_argument("--tick", type=float, default=3.0, help="seconds between live events")
    demo.set_defaults(func=commands.demo)

    serve = sub.add_parser("serve", help="serve the web app under gunicorn (see wallboard/gunicorn.conf.py)")
    serve.add_argument("--host", help="default: WALLBOARD_BIND's, else 0.0.0.0")
    serve.add_argument("--port", type=int, help="default: WALLBOARD_BIND's, else 8050")
    serve.add_argument("--workers", type=int, help="default: WALLBOARD_WORKERS, else 2")
    serve.set_defaults(func=commands.serve)

    ingest = sub.add_parser("ingest", help="load events from a JSON, NDJSON or CSV file")
    ingest.add_argument("file", help="a .json, .ndjson/.jsonl or .csv file; - for NDJSON on stdin")
    ingest.add_argument("--format", choices=["json", "ndjson", "csv"], help="override the file extension")
    ingest.add_argument("--batch-size", type=int, default=2000, help="events per all-or-nothing batch")
    ingest.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
    ingest.set_defaults(func=commands.ingest_file)

    check = sub.add_parser("check-config", help="validate the configuration and print a summary")
    check.add_argument("path", nargs="?", help="the YAML file (default: $WALLBOARD_CONFIG or built-in)")
    check.add_argument(
        "--effective", action="store_true", help="print the whole configuration in force, defaults included"
    )
    check.set_defaults(func=commands.check_config)

    rescore.add_rescore_command(sub)
    doctor.add_doctor_command(sub)
    award.add_award_command(sub)
    add_agent_link_command(sub)
    storage.add_storage_commands(sub)

    _add_sync(sub)
    return parser


def _add_sync(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    try:
        from connectors.core.sync_cli import add_sync_command
    except ImportError:
        return
    add_sync_command(sub)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    logs.configure(logging.DEBUG if args.verbose else None)
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"wallboard: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
