"""`wallboard doctor` against real redis-servers: what it finds, what it says to fix, its exit status."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest
import redis

from kpi.store import RedisStore, make_redis
from kpi.store.upsert_library import UpsertFunctions, UpsertLibrary, release_body
from tests.conftest import RedisServer
from wallboard.cli import main
from wallboard.doctor import clock_skew, redis_version

ZENDESK = """
connectors:
  zendesk:
    type: zendesk
    interval_seconds: 60
    options: {subdomain: acme, email: ops@acme.example, token_env: DOCTOR_TEST_ZENDESK_TOKEN}
"""


@pytest.fixture
def production_redis(tmp_path: Path, free_port: Callable[[], int]) -> Iterator[str]:
    """A redis-server as production runs it: AOF on, a maxmemory with room, no eviction."""
    port = free_port()
    args = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)]
    args += ["--appendonly", "yes", "--maxmemory", "200mb", "--maxmemory-policy", "noeviction"]
    process = subprocess.Popen(
        [shutil.which("redis-server") or "redis-server", *args], stdout=subprocess.DEVNULL
    )
    client = redis.Redis(port=port, socket_connect_timeout=0.2)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in (
        "WALLBOARD_CONFIG",
        "WALLBOARD_INGEST_TOKEN",
        "WALLBOARD_API_TOKEN",
        "DOCTOR_TEST_ZENDESK_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WALLBOARD_SECRET_KEY", "k" * 64)
    return monkeypatch


def doctor(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["doctor", *args])
    return status, capsys.readouterr().out


def line(out: str, check: str) -> str:
    return next(row for row in out.splitlines() if row.split()[1:2] == [check])


def test_doc001_a_production_ready_setup_has_no_problems(production_redis, environment, capsys) -> None:  # noqa: ANN001
    environment.setenv("REDIS_URL", production_redis)
    status, out = doctor(capsys)
    assert (status, out.splitlines()[-1]) == (0, "No problems found."), out
    assert line(out, "version").split()[0] == "OK" and "Redis " in line(out, "version")
    assert line(out, "clock").split()[0] == "OK"


def test_doc002_aof_off_fails_and_says_how_to_turn_it_on(
    redis_server: RedisServer, environment, capsys
) -> None:  # noqa: ANN001
    environment.setenv("REDIS_URL", redis_server.url)
    status, out = doctor(capsys)
    assert status == 1 and line(out, "aof").startswith("  FAIL")
    assert "fix: run redis-server with --appendonly yes" in out


def test_doc003_memory_near_maxmemory_fails(production_redis, environment, capsys) -> None:  # noqa: ANN001
    client = redis.Redis.from_url(production_redis)
    client.config_set("maxmemory", int(int(client.info("memory")["used_memory"]) * 1.05))
    environment.setenv("REDIS_URL", production_redis)
    status, out = doctor(capsys)
    assert status == 1 and line(out, "memory").startswith("  FAIL") and "maxmemory used" in out


def test_doc004_an_evicting_redis_fails(production_redis, environment, capsys) -> None:  # noqa: ANN001
    redis.Redis.from_url(production_redis).config_set("maxmemory-policy", "allkeys-lru")
    environment.setenv("REDIS_URL", production_redis)
    status, out = doctor(capsys)
    assert status == 1 and "maxmemory-policy is allkeys-lru" in line(out, "memory")


def test_doc005_an_unreachable_redis_fails_without_a_traceback(environment, capsys, free_port) -> None:  # noqa: ANN001
    environment.setenv("REDIS_URL", f"redis://:hunter2@127.0.0.1:{free_port()}/0")
    status, out = doctor(capsys)
    assert status == 1 and "does not answer" in line(out, "redis") and "hunter2" not in out


def test_doc006_a_missing_connector_credential_names_the_variable(
    production_redis,
    environment,
    capsys,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    (tmp_path / "wallboard.yaml").write_text(ZENDESK)
    environment.setenv("WALLBOARD_CONFIG", str(tmp_path / "wallboard.yaml"))
    environment.setenv("REDIS_URL", production_redis)
    status, out = doctor(capsys)
    assert status == 1 and "DOCTOR_TEST_ZENDESK_TOKEN is not set" in line(out, "credentials")
    environment.setenv("DOCTOR_TEST_ZENDESK_TOKEN", "t" * 20)
    assert doctor(capsys)[0] == 0


def test_doc007_no_redis_url_fails(environment, capsys) -> None:  # noqa: ANN001
    environment.delenv("REDIS_URL", raising=False)
    status, out = doctor(capsys)
    assert status == 1 and "REDIS_URL is not set" in line(out, "redis")


def test_doc008_a_warning_fails_only_with_strict(production_redis, environment, capsys) -> None:  # noqa: ANN001
    redis.Redis.from_url(production_redis).config_set("maxmemory", 0)
    environment.setenv("REDIS_URL", production_redis)
    assert doctor(capsys)[0] == 0
    status, out = doctor(capsys, "--strict")
    assert status == 1 and line(out, "memory").startswith("  WARN")


def test_doc009_a_clock_seconds_away_from_redis_time_fails() -> None:
    finding = clock_skew(lambda: divmod(int((time.time() - 5) * 1e6), 1_000_000))
    assert finding.status == "fail" and "+5.0" in finding.detail and "NTP" in finding.fix


def test_doc010_a_redis_without_functions_fails() -> None:
    """Redis 6.2 has no FUNCTION LOAD, and the upsert is a function library."""
    assert redis_version({"server": {"redis_version": "6.2.14"}}).status == "fail"
    assert redis_version({"server": {"redis_version": "7.0.15"}}).status == "ok"


def test_doc011_an_older_release_s_upsert_library_is_named_with_how_to_drop_it(
    production_redis,
    environment,
    capsys,  # noqa: ANN001
) -> None:
    environment.setenv("REDIS_URL", production_redis)
    store = RedisStore(make_redis(production_redis))
    older = UpsertLibrary.of(release_body() + "\n-- an older release")
    UpsertFunctions(store.client, store.keys.data_version, older).load()
    store.functions.load()
    status, out = doctor(capsys, "--strict")
    assert status == 1
    assert line(out, "functions").split()[0] == "WARN"
    assert older.name in out and f"FUNCTION DELETE {older.name}" in out
    assert "this release's is loaded" in line(out, "functions")
