"""`wallboard doctor`: what an operator should fix before (or while) running Wallboard in production.

Checks the configuration, Redis (reachable, version, AOF persistence, eviction policy, memory headroom,
clock skew against Redis ``TIME``) and every configured connector's credentials, and prints each
finding with what to do. Exit status 1 when something fails (0 with warnings only; ``--strict``
counts warnings too).
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping
from urllib.parse import urlsplit, urlunsplit

from kpi.config import Config, ConfigError, load_config
from kpi.config.settings import Settings
from kpi.store import RedisStore, open_store
from kpi.store.redis_store import REDIS_DOWN

MIN_REDIS = (7, 0)
"""The oldest Redis Wallboard runs on (RESP3; the upsert is a function library, FUNCTION LOAD and FCALL)."""
MEMORY_WARN, MEMORY_FAIL = 0.7, 0.85
"""Shares of maxmemory in use above which a warning, then a failure, is reported."""
SKEW_WARN, SKEW_FAIL = 0.5, 2.0
"""Seconds between this machine's clock and Redis's above which a warning, then a failure."""


@dataclass(frozen=True)
class Finding:
    """One check's outcome: ``ok``, ``warn`` or ``fail``, what was found, and what to do about it."""

    check: str
    status: str
    detail: str
    fix: str = ""


def add_doctor_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    doctor = sub.add_parser("doctor", help="check config, Redis and connector credentials; print what to fix")
    doctor.add_argument("--strict", action="store_true", help="exit non-zero on warnings too")
    doctor.set_defaults(func=run)


def run(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> int:
    """Print every finding; 1 when any failed (or, with --strict, warned), else 0."""
    findings = list(diagnose(Settings.from_env(env), os.environ if env is None else env))
    for finding in findings:
        print(f"  {finding.status.upper():<5} {finding.check:<12} {finding.detail}")
        if finding.fix:
            print(f"  {'':<5} {'':<12} fix: {finding.fix}")
    bad = {"fail", "warn"} if args.strict else {"fail"}
    problems = [f for f in findings if f.status in bad]
    print(f"{len(problems)} problem(s) found." if problems else "No problems found.")
    return 1 if problems else 0


def diagnose(settings: Settings, env: Mapping[str, str]) -> Iterator[Finding]:
    """Every finding, config first; Redis checks only when Redis answers."""
    config = None
    try:
        config = load_config(settings.config_path)
        where = settings.config_path or "built-in default config"
        yield Finding(
            "config", "ok", f"{where}: {len(config.metrics)} metrics, {len(config.connectors)} connectors"
        )
    except ConfigError as exc:
        yield Finding(
            "config", "fail", str(exc), "correct the file (wallboard check-config FILE shows each error)"
        )
    yield from _secrets(settings)
    if config is not None:
        yield from _credentials(config, env)
    yield from _redis(settings)


def _secrets(settings: Settings) -> Iterator[Finding]:
    if not settings.secret_key:
        yield Finding(
            "secret key",
            "fail",
            "WALLBOARD_SECRET_KEY is not set: sign-ins differ between workers and end on restart",
            "set it to one long random string shared by every web instance",
        )
    for name, value in (
        ("WALLBOARD_INGEST_TOKEN", settings.ingest_token),
        ("WALLBOARD_API_TOKEN", settings.api_token),
    ):
        if value and len(value) < 16:
            yield Finding(
                "tokens", "warn", f"{name} is shorter than 16 characters", "use a long random token"
            )


def _credentials(config: Config, env: Mapping[str, str]) -> Iterator[Finding]:
    from connectors.core.config import validate_connector
    from connectors.core.registry import Registry

    registry = Registry()
    for name, raw in config.connectors.items():
        try:
            validate_connector(name, raw, registry, env)
        except ConfigError as exc:
            yield Finding(
                "credentials", "fail", str(exc), "set the variable in the sync worker's environment"
            )
        else:
            yield Finding("credentials", "ok", f"connector {name}: every credential is set")


def _redis(settings: Settings) -> Iterator[Finding]:
    if not settings.redis_url:
        yield Finding(
            "redis",
            "fail",
            "REDIS_URL is not set: the app runs on an in-process store, lost on exit, one worker",
            "point REDIS_URL at a Redis with AOF persistence (see README: Running in production)",
        )
        return
    shown = _without_password(settings.redis_url)
    store = open_store(settings.redis_url, settings.namespace)
    if not isinstance(store, RedisStore):
        return
    try:
        info = {section: store.client.info(section) for section in ("server", "persistence", "memory")}
    except REDIS_DOWN as exc:
        yield Finding("redis", "fail", f"{shown} does not answer: {exc}", "start Redis, or correct REDIS_URL")
        return
    yield Finding("redis", "ok", f"{shown} answers")
    version = redis_version(info)
    yield version
    yield _aof(info)
    yield _memory(info)
    if version.status == "ok":
        yield upsert_libraries(store)
    yield clock_skew(store.client.time)


def redis_version(info: Mapping[str, Mapping[str, Any]]) -> Finding:
    """The version check: Redis must be `MIN_REDIS` or later."""
    version = str(info["server"].get("redis_version", "0"))
    numbers = tuple(int(part) for part in version.split(".")[:2] if part.isdigit())
    if numbers < MIN_REDIS:
        wanted = ".".join(map(str, MIN_REDIS))
        return Finding(
            "version", "fail", f"Redis {version} is older than {wanted}", f"upgrade to {wanted} or later"
        )
    return Finding("version", "ok", f"Redis {version}")


def upsert_libraries(store: RedisStore) -> Finding:
    """Upsert function libraries of other releases still loaded (each release loads its own)."""
    loaded = store.functions.loaded_libraries()
    others = [name for name in loaded if name != store.functions.name]
    state = (
        "this release's is loaded"
        if store.functions.name in loaded
        else "the first write loads this release's"
    )
    if not others:
        return Finding("functions", "ok", f"upsert library: {state}")
    return Finding(
        "functions",
        "warn",
        f"{len(others)} upsert librar{'y' if len(others) == 1 else 'ies'} of other releases loaded: "
        f"{', '.join(others)} ({state})",
        f"once no process of those releases runs: redis-cli FUNCTION DELETE {others[0]}",
    )


def _aof(info: Mapping[str, Mapping[str, Any]]) -> Finding:
    if str(info["persistence"].get("aof_enabled")) != "1":
        return Finding(
            "aof",
            "fail",
            "append-only file is off: a Redis restart loses the live figures until a backfill",
            "run redis-server with --appendonly yes --appendfsync everysec",
        )
    return Finding("aof", "ok", "append-only file is on")


def _memory(info: Mapping[str, Mapping[str, Any]]) -> Finding:
    memory = info["memory"]
    used, limit = int(memory.get("used_memory", 0)), int(memory.get("maxmemory", 0))
    policy = str(memory.get("maxmemory_policy", ""))
    if policy != "noeviction":
        return Finding(
            "memory",
            "fail",
            f"maxmemory-policy is {policy}: Redis may silently drop figures when full",
            "set maxmemory-policy noeviction (writes then fail loudly and are retried)",
        )
    if limit == 0:
        return Finding(
            "memory",
            "warn",
            f"no maxmemory set ({_mb(used)} used): Redis can grow until the host runs out",
            "set maxmemory to what the host can spare, with room to grow (README: sizing)",
        )
    share = used / limit
    status = "fail" if share >= MEMORY_FAIL else "warn" if share >= MEMORY_WARN else "ok"
    fix = "" if status == "ok" else "raise maxmemory (or give Redis a larger host) before it fills up"
    return Finding("memory", status, f"{_mb(used)} of {_mb(limit)} maxmemory used ({share:.0%})", fix)


def clock_skew(redis_time: Callable[[], Any]) -> Finding:
    before = time.time()
    seconds, micros = redis_time()
    after = time.time()
    skew = (int(seconds) + int(micros) / 1e6) - (before + after) / 2
    status = "fail" if abs(skew) >= SKEW_FAIL else "warn" if abs(skew) >= SKEW_WARN else "ok"
    fix = "" if status == "ok" else "run NTP (chrony, systemd-timesyncd) on this host and Redis's host"
    return Finding("clock", status, f"this clock is {-skew:+.3f} s from Redis's TIME", fix)


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB"


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))
