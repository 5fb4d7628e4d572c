"""Settings from the environment: where the store and the config are, and the secrets."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping


@dataclass(frozen=True)
class Settings:
    """Everything Wallboard reads from environment variables (secrets never come from the YAML file)."""

    redis_url: str | None = None
    config_path: str | None = None
    namespace: str = "main"
    ingest_token: str | None = None
    api_token: str | None = None
    secret_key: str | None = None
    """Signs manager sessions; every worker must share it (WALLBOARD_SECRET_KEY)."""
    secure_cookies: bool = False
    """Send the session cookie over HTTPS only (WALLBOARD_SECURE_COOKIES=1 behind TLS)."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            redis_url=env.get("REDIS_URL") or cluster_url(env.get("REDIS_CLUSTER_NODES", "")),
            config_path=env.get("WALLBOARD_CONFIG") or None,
            namespace=env.get("WALLBOARD_NAMESPACE") or "main",
            ingest_token=env.get("WALLBOARD_INGEST_TOKEN") or None,
            api_token=env.get("WALLBOARD_API_TOKEN") or None,
            secret_key=env.get("WALLBOARD_SECRET_KEY") or None,
            secure_cookies=env.get("WALLBOARD_SECURE_COOKIES", "").lower() in ("1", "true", "yes"),
        )

    def __repr__(self) -> str:
        hidden = {"ingest_token", "api_token", "secret_key"}
        shown = ", ".join(f"{k}={'***' if k in hidden and v else v!r}" for k, v in vars(self).items())
        return f"Settings({shown})"


def cluster_url(nodes: str) -> str | None:
    """The ``redis+cluster://`` URL of a ``REDIS_CLUSTER_NODES`` list (``host:port,host:port``); None
    for an empty list."""
    found = [node.strip() for node in nodes.split(",") if node.strip()]
    return f"redis+cluster://{','.join(found)}/" if found else None
