"""Points of rules in test mode (``test: true``): for /manage only, never for TVs, the API or /me.

They are stored on the ``points_test`` board, which is not a configured metric, so no other reader can
ask for it by name.
"""

from __future__ import annotations

from collections.abc import Sequence

from kpi.model.contributions import Scope
from kpi.model.scoring import POINTS_TEST_METRIC
from kpi.store.base import Store


def points_on_trial(
    store: Store, buckets: Sequence[str], scope: Scope = "agent", members: Sequence[str] | None = None
) -> dict[str, float]:
    """Each member's test-mode points summed over `buckets` (which must not overlap), best first."""
    found: dict[str, float] = {}
    by_bucket = store.figures_by_bucket(POINTS_TEST_METRIC, buckets, scope, members, aggregation="sum")
    for figures in by_bucket.values():
        for member, figs in figures.items():
            found[member] = found.get(member, 0.0) + (figs.value("sum") or 0.0)
    return dict(sorted(found.items(), key=lambda pair: (-pair[1], pair[0])))
