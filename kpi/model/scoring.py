"""What the game's points rules tell the figures about one event (the rules themselves live in kpi.game)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from kpi.model.events import Event

POINTS_METRIC = "points"
"""The metric every scored event feeds (aggregation ``sum``); its name is reserved in the config."""
POINTS_TEST_METRIC = "points_test"
"""The board of rules in test mode (``test: true``): written like `points`, read by /manage only; not a
configured metric, so TVs, the API and /me cannot ask for it. Its name is reserved too."""


@dataclass(frozen=True)
class PointsScore:
    """The points one version of a record earns.

    Attributes:
        points: the points, to `VALUE_DECIMALS` places; may be negative (penalties) or zero.
        link: for a rule that references another record of the same source (a rating naming its ticket):
            that record's id. The points then go to that record's agent, team and day, and only while it is
            live and `linkable`; None when the points are the event's own.
        linkable: whether records that link to this one earn their points (False for a record whose own
            points were taken back, such as a reopened ticket).
        test_points: the points of rules, bonuses and penalties in test mode (for `POINTS_TEST_METRIC`),
            going where `points` go.
        parts: each rule part's points (``base``, ``bonus:<name>``, ``penalty:<name>``) for the rules
            page's tallies; test parts included. The parts that are not in test mode add up to `points`.
    """

    points: float
    link: str | None = None
    linkable: bool = True
    test_points: float = 0.0
    parts: tuple[tuple[str, float], ...] = ()


class PointsScorer(Protocol):
    """Turns an event into its points; `kpi.game.points.RuleBook` is the implementation."""

    def score(self, event: Event) -> PointsScore | None:
        """The event's points, or None when no rule covers its type (or its date)."""
