"""Structured logs: one JSON object per line, level from WALLBOARD_LOG_LEVEL, secrets scrubbed.

Every line has ``time``, ``level``, ``logger`` and ``message``; inside a web request also ``request_id``
(`dashboard.request_ids`); gunicorn's access lines carry method, path, status, bytes, duration_ms and
the request id instead of a formatted message. Headers are never logged, and whatever a message holds
is scrubbed of bearer tokens, ``token=``/``password=``-style pairs, cookies and the values of every
secret environment variable (tokens, keys, passwords) before it is written. ``WALLBOARD_LOG_FORMAT=text``
gives plain lines for a terminal.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from datetime import datetime, timezone
from typing import Any, Mapping

LEVEL_ENV = "WALLBOARD_LOG_LEVEL"
FORMAT_ENV = "WALLBOARD_LOG_FORMAT"
HIDDEN = "***"
_HANDLER = "wallboard-structured"
_SECRET_NAME = re.compile(r"(TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|SECRET_KEY|PRIVATE_KEY|CREDENTIALS?)$")
_SECRET_TEXT = [
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), r"\1 " + HIDDEN),
    (
        re.compile(
            r"(?i)\b(authorization|cookie|set-cookie|session|token|password|secret|api_key)(\"?\s*[=:]\s*\"?)[^\s\"&;,]+"
        ),
        r"\1\2" + HIDDEN,
    ),
    (re.compile(r"/me/link/[^/?\s\"]+"), "/me/link/" + HIDDEN),
]
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def level_from_env(env: Mapping[str, str] | None = None) -> int:
    """The level WALLBOARD_LOG_LEVEL names (DEBUG, INFO, WARNING, ERROR), INFO when unset or unknown."""
    name = (os.environ if env is None else env).get(LEVEL_ENV, "INFO").upper()
    level = logging.getLevelName(name)
    return level if isinstance(level, int) else logging.INFO


def secret_values(env: Mapping[str, str] | None = None) -> list[str]:
    """The values of environment variables whose names say they hold a secret (longest first)."""
    env = os.environ if env is None else env
    found = {value for name, value in env.items() if _SECRET_NAME.search(name.upper()) and len(value) >= 4}
    return sorted(found, key=len, reverse=True)


def scrub(text: str, secrets: list[str]) -> str:
    """`text` with known secret values and secret-looking pairs replaced by ``***``."""
    for value in secrets:
        text = text.replace(value, HIDDEN)
    for pattern, replacement in _SECRET_TEXT:
        text = pattern.sub(replacement, text)
    return text


class JsonFormatter(logging.Formatter):
    """One JSON object per record, scrubbed of secrets."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.secrets = secret_values()

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            entry.update(_access_fields(record.args))
        else:
            entry["message"] = record.getMessage()
            request_id = _request_id()
            if request_id:
                entry["request_id"] = request_id
            entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return scrub(json.dumps(entry, default=str, ensure_ascii=False), self.secrets)


class TextFormatter(logging.Formatter):
    """Plain lines for a terminal, scrubbed like the JSON ones."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.secrets = secret_values()

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record), self.secrets)


def _access_fields(atoms: Mapping[str, Any]) -> dict[str, Any]:
    """What an access line says: never the query string, the user or any header but the request id."""
    request_id = atoms["{x-request-id}o"]
    return {
        "message": "request",
        "method": atoms["m"],
        "path": atoms["U"],
        "status": int(atoms["s"]) if str(atoms["s"]).isdigit() else atoms["s"],
        "bytes": atoms["B"],
        "duration_ms": atoms["M"],
        "remote": atoms["h"],
        **({"request_id": request_id} if request_id not in ("-", None) else {}),
    }


def _request_id() -> str | None:
    if "flask" not in sys.modules:
        return None
    from flask import has_request_context

    if not has_request_context():
        return None
    from dashboard.request_ids import current_request_id

    return current_request_id()


def formatter_class(env: Mapping[str, str] | None = None) -> type[logging.Formatter]:
    """JSON unless WALLBOARD_LOG_FORMAT=text."""
    fmt = (os.environ if env is None else env).get(FORMAT_ENV, "json").lower()
    return TextFormatter if fmt == "text" else JsonFormatter


def configure(level: int | None = None) -> None:
    """Send every log record to stderr, one line each, at `level` (default: from WALLBOARD_LOG_LEVEL)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter_class()())
    handler.set_name(_HANDLER)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER]:
        root.removeHandler(old)  # configured twice in one process (tests): one line per record still
    root.addHandler(handler)
    root.setLevel(level if level is not None else level_from_env())
    logging.getLogger("httpx").setLevel(logging.WARNING)  # request URLs may carry vendor query secrets


def gunicorn_logconfig(access_log: str | None) -> dict[str, Any]:
    """gunicorn's ``logconfig_dict``: its error and access loggers through the same formatter."""
    formatter = f"{__name__}.{formatter_class().__name__}"
    access_handler: dict[str, Any] = {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}
    if access_log not in (None, "-"):
        access_handler = {"class": "logging.FileHandler", "filename": access_log}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structured": {"()": formatter}},
        "handlers": {
            "error": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "structured",
            },
            "access": {**access_handler, "formatter": "structured"},
        },
        "root": {"level": logging.getLevelName(level_from_env()), "handlers": ["error"]},
        "loggers": {
            "gunicorn.error": {
                "level": logging.getLevelName(level_from_env()),
                "handlers": ["error"],
                "propagate": False,
            },
            "gunicorn.access": {
                "level": "INFO" if access_log else "CRITICAL",
                "handlers": ["access"],
                "propagate": False,
            },
        },
    }
