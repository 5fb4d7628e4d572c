"""`Store.figure_columns`: every member's counters summed over buckets, as `figures_summed` gives them."""

from __future__ import annotations

import pytest

from kpi.config import Config
from kpi.model.columns import Columns
from kpi.model.events import Event
from kpi.store import Store

pytestmark = pytest.mark.cluster
"""Also on a three-master Redis Cluster (tests/conftest.py)."""

DAYS = ["2026-11-23", "2026-11-24", "2026-11-25"]


def _event(n: int, kind: str, agent: str, day: str, value: float) -> Event:
    return Event.model_validate(
        {
            "source": "crm",
            "id": f"r{n}",
            "type": kind,
            "agent_id": agent,
            "team": "north",
            "value": value,
            "occurred_at": f"{day}T10:00:00+01:00",
        }
    )


@pytest.mark.parametrize("by_redis", [False, True])
@pytest.mark.parametrize(("kind", "metric"), [("deal_won", "revenue"), ("nps_response", "nps")])
def test_columns_equal_the_summed_figures(
    store: Store, config: Config, kind: str, metric: str, by_redis: bool
) -> None:
    values = [0, 6, 9, 10, 1234.567]
    events = [
        _event(n, kind, f"a{n % 4}", DAYS[n % 3], values[n % len(values)] if kind == "deal_won" else n % 11)
        for n in range(30)
    ]
    events.append(_event(99, kind, "a9", DAYS[0], 5).model_copy(update={"deleted": True}))
    store.upsert(events, config)
    aggregation = config.metric(metric).aggregation
    columns = store.figure_columns(metric, DAYS, "agent", aggregation=aggregation, by_redis=by_redis)
    summed = store.figures_summed(metric, DAYS, "agent", aggregation=aggregation)
    assert {m: columns.figures(m) for m in columns.count} == summed
    assert columns.values(aggregation) == {m: f.value(aggregation) for m, f in summed.items()}
    assert columns.combined() == Columns.of(summed).combined()
