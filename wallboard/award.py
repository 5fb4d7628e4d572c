"""``wallboard award``: the game's round now — awards (the agents changed since the last round, or
everyone) and the challenge results that are due."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone

from kpi.config import load_config
from kpi.config.settings import Settings
from kpi.ingest.game_round import game_round
from kpi.store import open_store
from kpi.store.base import StoreUnavailable


def add_award_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    award = sub.add_parser(
        "award", help="evaluate achievements of the agents changed since the last round (or everyone)"
    )
    award.add_argument("--full", action="store_true", help="sweep every agent and team, not only the changed")
    award.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    config = load_config(settings.config_path)
    if not settings.redis_url:
        print("wallboard: award needs REDIS_URL (the in-process store holds no history)", file=sys.stderr)
        return 2
    store = open_store(settings.redis_url, settings.namespace)
    try:
        played = game_round(store, config, datetime.now(timezone.utc), full=args.full)
    except StoreUnavailable as exc:
        print(f"wallboard: {exc}; running award again is safe (awards are stored once)", file=sys.stderr)
        return 3
    done = played.awarding
    for result in played.fixed:
        names = ", ".join(entry.name for entry in result.winners) or "none"
        print(f"challenge {result.instance_id}: result fixed, winners {names}")
    if done.skipped:
        print("another process is awarding right now; nothing done")
        return 0
    who = "every agent and team" if done.full else f"{done.agents} changed agent(s)"
    print(f"evaluated {who} in {done.seconds * 1000:.0f} ms: {len(done.awards)} new award(s)")
    for award in done.awards:
        when = "live" if not award.retroactive else "over history"
        print(f"  {award.member}: {award.name} ({award.earned_on.isoformat()}, {when})")
    return 0
