"""The base of every configuration section: unknown keys are errors and parsed values are immutable."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo


class Strict(BaseModel):
    """A configuration mapping that rejects unknown keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def earlier(info: ValidationInfo, field: str) -> Any:
    """A `Config` field validated before the current one, or None when it was missing or invalid."""
    return (info.data or {}).get(field)
