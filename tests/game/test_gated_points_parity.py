"""With the quality gate on, every surface shows the same gated points in the same order (real Redis).

The TV's points board (a kiosk poll's view data), `/manage`'s ranking, an agent's `/me` page (points and
own rank), the read API's leaderboard and the agent API: one agent's raw points would put her first, her
CSAT takes half of them away, and no surface may still show the raw figure.
"""

from __future__ import annotations

from datetime import datetime, timezone
from itertools import count
from typing import Any

import pytest

from dashboard import create_app
from dashboard.services.kiosk.screen_data import views_data
from dashboard.services.manage.overview import full_ranking, view_scope
from dashboard.services.me import me_page
from kpi.config import Config, parse_config
from kpi.config.root import builtin_data
from kpi.config.screens import KpiTilesView, LeaderboardView
from kpi.config.settings import Settings
from kpi.game.challenge_calendar import find_instance
from kpi.ingest.achievements import evaluate_achievements
from kpi.model.events import Event
from kpi.model.viewer import Viewer
from kpi.read.achievements import progress
from kpi.read.agent_summary import own_ranks, summary
from kpi.read.challenge_tv import tv_standings
from kpi.read.challenges import standings
from kpi.read.formatting import value_text
from kpi.read.gated_points import gated_figures
from kpi.read.goal_progress import goals_progress
from kpi.read.kiosk_views import Podium, kpi_tiles
from kpi.read.rankings import ranking
from kpi.read.windows import previous_window, window_of
from kpi.store import RedisStore

NOW = datetime(2026, 11, 25, 13, 0, tzinfo=timezone.utc)
"""Wednesday of 2026-W48, Oslo afternoon."""
ADMIN = Viewer("ada", "admin", frozenset())
TOKEN = "read-secret"
_ids = count()


CHALLENGES = [
    {"id": "week", "title": "Points week", "kind": "race", "metric": "points"},
    {"id": "tuesdays", "title": "Tue to Mon", "kind": "race", "metric": "points", "start": "2026-11-24"},
]


def _config(gate: bool) -> Config:
    data = builtin_data()
    data["points"]["quality_gate"]["enabled"] = gate
    week = {"start": "2026-11-23", "end": "2026-11-29"}
    data["challenges"] = {"definitions": [{**week, **spec} for spec in CHALLENGES]}
    data["challenges"]["definitions"][1]["end"] = "2026-11-30"
    return parse_config(data, "parity config")


def _event(kind: str, agent: str, day: int, **fields: Any) -> Event:
    return Event.model_validate(
        {
            "source": "zd",
            "id": f"{kind}-{next(_ids)}",
            "type": kind,
            "agent_id": agent,
            "agent_name": agent.title(),
            "team": "Support",
            "occurred_at": f"2026-11-{day:02d}T10:00:00+01:00",
            **fields,
        }
    )


def _history() -> list[Event]:
    """Ann solves the most but her customers rate her 2 of 5; Bo and Cy solve fewer, rated well."""
    found = []
    for agent, tickets, score in (("ann", 12, 2), ("bo", 8, 4.6), ("cy", 7, 4.4)):
        found += [_event("ticket_solved", agent, 23 + n % 3) for n in range(tickets)]
        found += [_event("csat_rating", agent, 24, value=score) for _ in range(5)]
    # Alone, Friday's ticket would pass the gate (no ratings that day): a window is gated as a whole.
    return found + [_event("ticket_solved", "ann", 27)]


@pytest.fixture
def gated(redis_store: RedisStore) -> Config:
    config = _config(gate=True)
    redis_store.upsert(_history(), config)
    return config


def _tv(store: RedisStore, config: Config) -> list[tuple[str, float]]:
    screen = config.screens["floor"]
    views = [v for v in screen.views if isinstance(v, LeaderboardView) and v.metric == "points"]
    (podium,), _ = views_data(store, config, screen, views, NOW)
    assert isinstance(podium, Podium) and podium.period == "week"
    return [(row.name, row.value) for row in podium.rows]


def _manage(store: RedisStore, config: Config) -> list[tuple[str, float]]:
    window = window_of("week", NOW.date())
    frame = full_ranking(
        store, config, view_scope(store, ADMIN), "points", window, previous_window("week", window)
    )
    return [(str(row.name), float(row.value)) for row in frame.itertuples()]


def _api(store: RedisStore, config: Config) -> tuple[list[tuple[str, float]], dict[str, float]]:
    app = create_app(Settings(api_token=TOKEN), config=config, store=store, clock=lambda: NOW)
    client, auth = app.server.test_client(), {"Authorization": f"Bearer {TOKEN}"}
    board = client.get("/api/v1/leaderboard?metric=points&period=week&limit=10", headers=auth).json
    weeks = {
        agent: client.get(f"/api/v1/agents/{agent}/achievements", headers=auth).json["points"]["week"]
        for agent in ("ann", "bo", "cy")
    }
    return [(row["name"], row["value"]) for row in board["rows"]], weeks


def test_every_surface_shows_the_same_gated_points_in_the_same_order(
    redis_store: RedisStore, gated: Config
) -> None:
    raw = ranking(redis_store, _config(gate=False), "points", "week", "2026-W48")
    assert [row.id for row in raw][0] == "ann"
    board = [(row.name, row.value) for row in ranking(redis_store, gated, "points", "week", "2026-W48")]
    assert [name for name, _ in board] == ["Bo", "Cy", "Ann"]
    assert dict(board)["Ann"] == dict((r.name, r.value) for r in raw)["Ann"] * 0.5

    assert _tv(redis_store, gated) == board[:3]
    assert _manage(redis_store, gated) == board
    api_board, api_weeks = _api(redis_store, gated)
    assert api_board == board
    points = dict(board)
    for place, (agent, name) in enumerate((("bo", "Bo"), ("cy", "Cy"), ("ann", "Ann")), 1):
        mine = summary(redis_store, gated, agent, NOW).points
        assert mine.week == api_weeks[agent] == points[name]
        (rank,) = [r for r in own_ranks(redis_store, gated, agent, NOW) if r.metric == "points"]
        assert (rank.rank, rank.value, rank.leader_value) == (place, points[name], board[0][1])
        page = me_page(redis_store, gated, agent, NOW)
        week_text = {f.label: f.text for f in page.points}["This week"]
        assert week_text == value_text(points[name], gated.metric("points"), compact=True)


def test_the_floors_points_tile_is_the_sum_of_the_teams_gated_points(
    redis_store: RedisStore, gated: Config
) -> None:
    view = KpiTilesView(type="kpi_tiles", metrics=["points"], period="week", compare="none")
    (tile,) = kpi_tiles(redis_store, gated, view, NOW)
    (team,) = ranking(redis_store, gated, "points", "week", "2026-W48", "team")
    raw = ranking(redis_store, _config(gate=False), "points", "week", "2026-W48", "team")
    assert tile.value == team.value < raw[0].value


def test_a_points_challenge_is_scored_on_gated_points_on_the_tv_and_in_full(
    redis_store: RedisStore, gated: Config
) -> None:
    """A calendar week's race equals the week board; a window across weeks is gated as one period."""
    board = [(r.id, r.value) for r in ranking(redis_store, gated, "points", "week", "2026-W48")]
    later = NOW.replace(day=27)
    for challenge in ("week", "tuesdays"):
        instance = find_instance(gated.challenges, challenge, gated.zone)
        assert instance is not None
        full = standings(redis_store, gated, instance, later)
        lean = tv_standings(redis_store, gated, instance, later, top_n=3, hidden=())
        assert lean.entries == full.entries[:3], challenge
        places = [(e.id, e.value) for e in full.entries]
        if challenge == "week":
            assert places == board
        else:
            buckets = ["2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"]
            window = gated_figures(redis_store, gated, [*buckets, "2026-11-30"], "agent")
            assert dict(places) == {m: f.value("sum") for m, f in window.items()}
            raw = standings(redis_store, _config(gate=False), instance, later)
            assert dict(places)["ann"] == {e.id: e.value for e in raw.entries}["ann"] * 0.5


@pytest.mark.parametrize("gate", [True, False])
def test_a_team_goal_on_points_is_met_for_the_badge_as_the_tv_shows_it(
    redis_store: RedisStore, gate: bool
) -> None:
    """Support's week: 280 raw points, 140 gated (team CSAT 3.7); the goal is 200."""
    data = builtin_data()
    data["points"]["quality_gate"]["enabled"] = gate
    data["goals"] = {"Support": {"points": {"week": 200}}}
    config = parse_config(data, "team goal config")
    redis_store.upsert(_history(), config)
    after = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
    (goal,) = goals_progress(redis_store, config, after, day=NOW.date())
    awards = evaluate_achievements(redis_store, config, after)
    earned = {a.member for a in awards if a.badge == "goal_getters"}
    assert (goal.status == "done") == (not gate) == (earned == {"Support"})
    (card,) = [b for b in progress(redis_store, config, "ann", NOW) if b.id == "goal_getters"]
    assert card.progress == (0.0 if gate else 1.0)
