"""The ``retention:`` section: how long the store keeps each record and its day figures."""

from __future__ import annotations

from pydantic import Field

from kpi.config.base import Strict


class Retention(Strict):
    """Records whose day is older than `days` are released: a later correction to one is answered
    ``released`` and changes nothing, and day figures (boards and rule tallies) that old are deleted,
    while week, month, quarter and year figures stay (docs/production.md, "Retention")."""

    days: int = Field(default=400, ge=7, le=36_600)
