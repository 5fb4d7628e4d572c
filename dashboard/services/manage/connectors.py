"""Connector health for the admins' tab of ``/manage``: each connector's last run, errors, lag and counts."""

from __future__ import annotations

from typing import Any

from kpi.config import Config
from kpi.store.base import Store
from kpi.store.sync_state import sync_state_for

HEALTH_FIELDS = (
    "status",
    "last_success_at",
    "last_error_at",
    "last_error",
    "lag_seconds",
    "records",
    "events",
    "last_run_finished_at",
)


def connector_health(store: Store, config: Config) -> list[dict[str, Any]]:
    """One row per configured or reporting connector with its health fields; empty when there are none."""
    health = sync_state_for(store).health()
    names = sorted(set(config.connectors) | set(health))
    return [
        {"connector": name, **{f: health.get(name, {}).get(f, "") for f in HEALTH_FIELDS}} for name in names
    ]
