"""``wallboard sync`` end to end: config file, real Redis, replayed Zendesk export, real processes."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_httpserver import HTTPServer
from replays.zendesk import MONTH, PAGE_3, ZendeskReplay

from connectors.core.sync_cli import add_sync_command
from connectors.testing import Answer, Replay
from kpi.config import load_config
from kpi.store import RedisStore
from kpi.store.sync_state import sync_state_for

pytestmark = pytest.mark.cluster
"""Also on a three-master Redis Cluster (tests/conftest.py)."""

EXPECTED = {"zendesk:501": 1, "zendesk:503": 1}


def write_config(path: Path, base_url: str, **extra: Any) -> Path:
    data = yaml.safe_load(resources.files("kpi.config").joinpath("default_config.yaml").read_text())
    data["connectors"] = {
        "zendesk": {
            "type": "zendesk",
            "interval_seconds": 3600,
            "lock_ttl_seconds": 5,
            "options": {
                "base_url": base_url,
                "email": "bot@acme.test",
                "token_env": "ZD_TOKEN",
                "start": "2026-11-01",
                "rate_per_second": 1000,
                "retry_attempts": 2,
                **extra,
            },
        }
    }
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.fixture
def feed(httpserver: HTTPServer) -> Replay:
    """The Zendesk export of the Zendesk scenario: three pages (one empty), then nothing new."""
    return ZendeskReplay(httpserver).feed


@pytest.fixture
def env(
    tmp_path: Path, httpserver: HTTPServer, redis_url, redis_client, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """The command's environment, on an emptied Redis database (or cluster)."""
    values = {
        "REDIS_URL": redis_url,
        "WALLBOARD_CONFIG": str(write_config(tmp_path / "wallboard.yaml", httpserver.url_for(""))),
        "WALLBOARD_NAMESPACE": "main",
        "ZD_TOKEN": "zd-secret-token",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="wallboard")
    add_sync_command(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(["sync", *argv])


def counts(store: RedisStore) -> dict[str, int]:
    return {m: f.count for m, f in store.figures("tickets_solved", MONTH, "agent").items()}


def test_sync_once_stores_the_figures(feed, env, redis_store):
    args = parse("--once")
    assert args.func(args) == 0
    assert counts(redis_store) == EXPECTED


def test_sync_once_prints_one_summary_line_per_connector(feed, env, redis_store):
    lines: list[str] = []
    args = parse("--once")
    args.func(args, out=lines.append)
    assert lines == [
        (
            "zendesk: ok: 3 page(s), 7 record(s), 12 event(s) (new 6, updated 2, retracted 2, "
            "unchanged 2), 1 skipped"
        )
    ]


def test_failed_run_gives_exit_status_1(feed, env, redis_store):
    feed.set("start", Answer({"error": "Couldn't authenticate you"}, 401))
    args = parse("--once")
    assert args.func(args, out=lambda line: None) == 1


def test_unknown_connector_name_is_a_usage_error(feed, env):
    lines: list[str] = []
    args = parse("--once", "--connector", "salesforce")
    assert args.func(args, out=lines.append) == 2
    assert "not in the config: salesforce; configured: zendesk" in lines[0]


def test_missing_redis_url_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    lines: list[str] = []
    args = parse("--once")
    assert args.func(args, out=lines.append) == 2
    assert "REDIS_URL is not set" in lines[0]


def test_missing_secret_is_a_configuration_error(feed, env, monkeypatch):
    monkeypatch.delenv("ZD_TOKEN")
    lines: list[str] = []
    args = parse("--once")
    assert args.func(args, out=lines.append) == 2
    assert "environment variable ZD_TOKEN is not set" in lines[0]


def test_since_date_backfills_from_midnight_in_the_office_time_zone(feed, env):
    args = parse("--once", "--since", "2026-11-02")
    args.func(args, out=lambda line: None)
    assert feed.seen[0].args["start_time"] == "1793574000"


def test_scheduled_sync_stops_when_asked(feed, env, redis_store):
    stop = threading.Event()
    args = parse()
    worker = threading.Thread(target=args.func, args=(args,), kwargs={"stop": stop, "out": lambda line: None})
    worker.start()
    wait_for(lambda: sync_state_for(redis_store).health().get("zendesk", {}).get("status") == "ok")
    stop.set()
    worker.join(timeout=10)
    assert not worker.is_alive()


def wait_for(condition: Any, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


def sync_process(env: dict[str, str], *argv: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "connectors.core.sync_cli", "sync", *argv],
        env={**os.environ, **env},
        cwd=Path(__file__).parents[2],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_sigterm_stops_a_scheduled_sync_cleanly(feed, env, redis_store, processes):
    process = sync_process(env)
    processes.append(process)
    wait_for(lambda: sync_state_for(redis_store).health().get("zendesk", {}).get("status") == "ok")
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0


def test_sync_killed_half_way_is_finished_exactly_by_the_next_run(feed, env, redis_store, processes):
    reached, release = threading.Event(), threading.Event()

    def hold_the_third_page() -> Answer:
        reached.set()
        release.wait(timeout=30)
        return PAGE_3

    feed.set("cursor=c2", hold_the_third_page)
    process = sync_process(env, "--once")
    processes.append(process)
    assert reached.wait(timeout=20)
    process.kill()
    process.wait()
    release.set()
    assert counts(redis_store) == {"zendesk:501": 1, "zendesk:502": 1}
    args = parse("--once")
    wait_for(
        lambda: (
            args.func(args, out=lambda line: None) == 0
            and sync_state_for(redis_store).health()["zendesk"]["status"] == "ok"
        )
    )
    assert counts(redis_store) == EXPECTED


def test_scheduled_connector_refused_by_the_source_stops_and_the_command_fails(feed, env):
    feed.set("start", Answer({"error": "Couldn't authenticate you"}, 401))
    lines: list[str] = []
    args = parse()
    assert args.func(args, out=lines.append) == 1
    assert lines[-1] == "zendesk: stopped until its credentials are fixed and wallboard sync is restarted"


def test_sigterm_during_a_long_rate_limit_wait_stops_at_once(feed, env, processes):
    feed.set("cursor=c1", Answer("Too many requests", 429, {"Retry-After": "100"}))
    process = sync_process(env)
    processes.append(process)
    wait_for(lambda: any(seen.args.get("cursor") == "c1" for seen in feed.seen))
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0


def test_sync_runs_the_days_retention_sweep_so_no_cron_job_is_needed(feed, env, redis_store):
    args = parse("--once")
    args.func(args)
    config = load_config(Path(env["WALLBOARD_CONFIG"]))
    assert redis_store.sweep_retention_if_due(config, datetime.now(timezone.utc)) is None
    assert redis_store.sweep_retention_if_due(config, datetime.now(timezone.utc) + timedelta(days=1))
