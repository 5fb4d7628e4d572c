"""Validation of the ``connectors:`` section of the YAML config, with errors naming connector and key.

Each entry::

    connectors:
      zendesk:                 # the connector's name: also the ``source`` of its events
        type: zendesk          # an entry point of the wallboard.connectors group
        interval_seconds: 300  # how often ``wallboard sync`` runs it
        enabled: true
        options: {...}         # validated by the connector's own Options model; secrets as *_env names
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from connectors.core.base import Connector, ConnectorOptions
from connectors.core.registry import Registry, UnknownConnectorType
from kpi.config import Config, ConfigError
from kpi.model.validation import problems

NAME = r"^[a-z0-9_-]{1,64}$"


class ConnectorSettings(BaseModel):
    """One entry of ``connectors:``, before its options are checked by the connector class."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str = Field(min_length=1)
    interval_seconds: int = Field(default=300, ge=5, le=86_400)
    enabled: bool = True
    lock_ttl_seconds: int = Field(default=900, ge=5, le=86_400)
    """How long a dead runner's lock outlives it; must exceed the longest page fetch with its retries."""
    options: dict[str, Any] = Field(default_factory=dict)


@dataclass(frozen=True)
class ConfiguredConnector:
    """A validated connector entry, ready to build a connector."""

    name: str
    settings: ConnectorSettings
    cls: type[Connector]
    options: ConnectorOptions
    secrets: Mapping[str, str]

    def build(self, **kwargs: Any) -> Connector:
        """A connector instance (keyword arguments go to the constructor, e.g. ``sleep``)."""
        return self.cls(self.name, self.options, self.secrets, **kwargs)


def _messages(prefix: str, exc: ValidationError) -> list[str]:
    return [f"{prefix}{where + ': ' if where else ''}{message}" for where, message in problems(exc)]


def validate_connector(
    name: str, raw: Any, registry: Registry, env: Mapping[str, str]
) -> ConfiguredConnector:
    """One entry of ``connectors:``; raise `ConfigError` naming the connector and each bad key."""
    head = f"connectors.{name}"
    if not re.match(NAME, name):
        raise ConfigError(f"{head}: a connector name must match {NAME} (it becomes the events' source)")
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{head}: must be a mapping with type, interval_seconds and options")
    try:
        settings = ConnectorSettings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError("invalid connector\n  " + "\n  ".join(_messages(f"{head}.", exc))) from None
    try:
        cls = registry.get(settings.type)
    except UnknownConnectorType as exc:
        raise ConfigError(f"{head}.type: {exc}") from None
    try:
        options = cls.Options.model_validate(settings.options)
    except ValidationError as exc:
        raise ConfigError("invalid connector\n  " + "\n  ".join(_messages(f"{head}.options.", exc))) from None
    secrets: dict[str, str] = {}
    for key, variable in options.secret_names().items():
        value = env.get(variable)
        if not value:
            raise ConfigError(f"{head}.options.{key}_env: environment variable {variable} is not set")
        secrets[key] = value
    return ConfiguredConnector(name, settings, cls, options, secrets)


def configured_connectors(
    config: Config,
    registry: Registry | None = None,
    env: Mapping[str, str] | None = None,
    only: Callable[[str], bool] = lambda name: True,
) -> list[ConfiguredConnector]:
    """Every enabled connector of `config` for which `only(name)` holds, validated."""
    registry = registry or Registry()
    env = os.environ if env is None else env
    found = []
    for name, raw in config.connectors.items():
        if not only(name):
            continue
        item = validate_connector(name, raw, registry, env)
        if item.settings.enabled:
            found.append(item)
    return found
