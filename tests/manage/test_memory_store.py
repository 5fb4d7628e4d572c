"""The manager pages' data is the same over the in-process store (the demo's) as over Redis."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.services.manage import overview as data
from dashboard.services.manage.agent import agent_detail
from kpi.config import Config
from kpi.model.viewer import Viewer
from kpi.read.windows import Window, window_of
from kpi.store import MemoryStore, RedisStore
from tests.manage.conftest import floor_events

ADMIN = Viewer("ada", "admin", frozenset())
YEAR = Window(date(2025, 11, 25), date(2026, 11, 24))
MONTH = window_of("month", date(2026, 11, 24))


def test_mgm001_rankings_trends_and_agents_agree_across_stores(
    seeded_store: RedisStore, manage_config: Config
) -> None:
    memory = MemoryStore()
    memory.upsert(floor_events(), manage_config)
    for metric in ("tickets_solved", "revenue", "csat", "nps", "avg_handle_time"):
        for window, previous in ((MONTH, YEAR), (YEAR, MONTH)):
            frames = [
                data.full_ranking(
                    store, manage_config, data.view_scope(store, ADMIN), metric, window, previous
                )
                for store in (memory, seeded_store)
            ]
            pd.testing.assert_frame_equal(*frames)
        trends = [
            data.team_trend(store, manage_config, data.view_scope(store, ADMIN), metric, "custom", YEAR)
            for store in (memory, seeded_store)
        ]
        pd.testing.assert_frame_equal(*trends)
    details = [
        agent_detail(store, manage_config, ADMIN, "p2", "month", MONTH, YEAR)
        for store in (memory, seeded_store)
    ]
    pd.testing.assert_frame_equal(details[0].summary, details[1].summary)
    pd.testing.assert_frame_equal(details[0].series, details[1].series)
