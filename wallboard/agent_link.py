"""`wallboard agent-link AGENT_ID`: print an agent's personal sign-in URL for `/me`, or revoke their links."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone

from dashboard.agent_auth import agent_link
from kpi.config.settings import Settings
from kpi.store import open_store
from kpi.store.agent_access import access_for

DEFAULT_DAYS = 30


def add_agent_link_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``agent-link`` subcommand."""
    parser = sub.add_parser(
        "agent-link", help="print an agent's personal sign-in link to /me (or revoke them)"
    )
    parser.add_argument("agent_id", help="the agent's id in the events")
    parser.add_argument(
        "--base-url",
        default=os.environ.get("WALLBOARD_BASE_URL", "http://localhost:8050"),
        help="the address agents open Wallboard at (default: $WALLBOARD_BASE_URL or http://localhost:8050)",
    )
    parser.add_argument(
        "--days", type=float, default=DEFAULT_DAYS, help=f"days the link works (default {DEFAULT_DAYS})"
    )
    parser.add_argument("--revoke", action="store_true", help="make every link issued before stop working")
    parser.set_defaults(func=agent_link_command)


def agent_link_command(args: argparse.Namespace) -> int:
    """Print the link, or bump the agent's link generation with --revoke."""
    settings = Settings.from_env()
    if not settings.redis_url:
        print("wallboard: agent-link needs REDIS_URL (the store the app serves)", file=sys.stderr)
        return 2
    store = open_store(settings.redis_url, settings.namespace)
    if args.revoke:
        access_for(store).revoke(args.agent_id)
        print(f"Every earlier link of {args.agent_id} stopped working (and the sessions opened with one).")
        return 0
    if not settings.secret_key:
        print(
            "wallboard: set WALLBOARD_SECRET_KEY to the key the app uses (links are signed with it)",
            file=sys.stderr,
        )
        return 2
    if not 0 < args.days <= 366:
        print("wallboard: --days must be from 1 to 366", file=sys.stderr)
        return 2
    print(
        agent_link(
            store, settings.secret_key, args.agent_id, args.base_url, args.days, datetime.now(timezone.utc)
        )
    )
    return 0
