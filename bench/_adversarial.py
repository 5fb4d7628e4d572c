"""Adversarial kiosk data: figures from 0 to 10⁹ in each unit, negative NPS, ties at every place, 60-character
names with diacritics, CJK, Cyrillic, Greek and Arabic names, one team and twenty teams, and views of one,
two and three items.

Shared by ``python -m bench.screenshots --adversarial`` and tests/kiosk/test_kiosk_layout_guard.py, so what
is looked at is what is tested.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from kpi.config import Config, parse_config
from kpi.ingest.pipeline import ingest_events
from kpi.model.events import Event
from kpi.store.base import Store

LONG = "Maximiliane Alexandra Hohenberg-Schönfeld von Übermühle-Åsgård"
"""60 characters with diacritics."""
NAMES = [
    LONG,
    "李娜",
    "Фёдор Михайлович Достоевский-Островский",
    "Αλέξανδρος Παπαδόπουλος",
    "فاطمة الزهراء بنت محمد",
    "Zoë Ðorđević-Łukasiewicz",
    "Ólafur Ragnar Grímsson",
    "Nguyễn Thị Minh Khai",
    "Siobhán Ní Dhomhnaill",
    "Jürgen Großmann",
]
TEAMS_MANY = [f"Team {chr(65 + i)} · {'Süd' if i % 2 else 'Nord'}-Østfold" for i in range(20)]
TEAMS_ONE = ["Support"]
ALL_METRICS = ["tickets_solved", "deals_won", "revenue", "avg_handle_time", "csat", "nps"]


def _views(teams: list[str]) -> list[dict[str, Any]]:
    return [
        {"type": "leaderboard", "metric": "tickets_solved", "period": "week", "top_n": 3},
        {"type": "leaderboard", "metric": "tickets_solved", "period": "week", "top_n": 5},
        {"type": "leaderboard", "metric": "revenue", "period": "week", "top_n": 10},
        {"type": "leaderboard", "metric": "avg_handle_time", "period": "week", "top_n": 10, "scope": "team"},
        {"type": "team_goals", "period": "week", "teams": teams[:8]},
        {"type": "nps_trend", "days": 90},
        {"type": "kpi_tiles", "metrics": ALL_METRICS[:3], "period": "week", "compare": "previous"},
        {"type": "kpi_tiles", "metrics": ALL_METRICS, "period": "week", "compare": "previous"},
    ]


def _few_views() -> list[dict[str, Any]]:
    """One, two and three items of each kind (board places, goals, tiles): how a half-empty view reads."""
    board = {"type": "leaderboard", "metric": "tickets_solved", "period": "week", "top_n": 5}
    return [
        {**board, "team": TEAMS_MANY[0]},
        {**board, "team": TEAMS_MANY[1]},
        {**board, "team": TEAMS_MANY[2]},
        {"type": "team_goals", "period": "week", "teams": TEAMS_MANY[1:2]},
        {"type": "team_goals", "period": "week", "teams": TEAMS_MANY[2:3]},
        {"type": "kpi_tiles", "metrics": ALL_METRICS[:1], "period": "week", "compare": "previous"},
        {"type": "kpi_tiles", "metrics": ALL_METRICS[1:3], "period": "week", "compare": "previous"},
    ]


def config(base: dict[str, Any]) -> Config:
    """`base` (the default config as decoded YAML) with the adversarial screens and goals per team: twenty
    teams (``many``), one team (``one``), and views of one to three items (``few``)."""
    data = dict(base)
    data["screens"] = {
        "many": {"title": "Twenty teams · " + LONG, "names": "full", "views": _views(TEAMS_MANY)},
        "one": {"title": "One team", "views": _views(TEAMS_ONE)},
        "few": {"title": "A few of each", "views": _few_views()},
    }
    data["goals"] = {
        team: {"tickets_solved": {"week": 10**9}, "revenue": {"week": 10**9}}
        for team in TEAMS_MANY + TEAMS_ONE
    }
    data["goals"][TEAMS_MANY[1]] = {"tickets_solved": {"week": 10**9}}
    data["goals"][TEAMS_MANY[2]] = {**data["goals"][TEAMS_MANY[2]], "csat": {"week": 4.3}}
    data["metrics"] = {
        name: {**spec, "min_volume": 1} if "min_volume" in spec else spec
        for name, spec in base["metrics"].items()
    }
    levels = {"csat": {"week": 4.3}, "avg_handle_time": {"week": 300}}
    data["goals"][TEAMS_MANY[0]] = {**data["goals"][TEAMS_MANY[0]], **levels}
    return parse_config(data, "adversarial config")


def _event(serial: int, kind: str, agent: str, name: str, team: str, value: float, at: datetime) -> Event:
    return Event(
        source="adversarial",
        id=f"adv-{serial}",
        type=kind,
        agent_id=agent,
        agent_name=name,
        team=team,
        value=value,
        occurred_at=at,
    )


def events(now: datetime) -> list[Event]:
    """Twenty agents in twenty teams (the second and third with one and two more) and five in one team, tied
    in pairs, with extreme figures."""
    out: list[Event] = []
    at = now - timedelta(minutes=10)
    people = [(f"m{i:02d}", NAMES[i % len(NAMES)], TEAMS_MANY[i]) for i in range(20)]
    people += [(f"o{i}", NAMES[i], TEAMS_ONE[0]) for i in range(5)]
    people += [("x1", NAMES[1], TEAMS_MANY[1])] + [(f"x{i}", NAMES[i], TEAMS_MANY[2]) for i in (2, 3)]
    for index, (agent, name, team) in enumerate(people):
        tickets = 12 - index // 2 if agent.startswith("m") else 4
        for _ in range(tickets):
            out.append(_event(len(out), "ticket_solved", agent, name, team, 1.0, at))
        deal = 0.0 if index == 0 else 10.0 ** min(9, index // 2)
        out.append(_event(len(out), "deal_won", agent, name, team, deal, at))
        out.append(_event(len(out), "call_handled", agent, name, team, 10.0 ** (index % 10), at))
        out.append(_event(len(out), "csat_rating", agent, name, team, 1.0 + index % 5, at))
    for day in range(90):
        score = 0.0 if day % 3 else 10.0
        out.append(
            _event(
                len(out), "nps_response", "m00", people[0][1], TEAMS_MANY[0], score, now - timedelta(days=day)
            )
        )
    return out


def load(store: Store, cfg: Config, now: datetime) -> None:
    """Write the adversarial events through the one ingest path."""
    ingest_events(store, cfg, events(now), now=now)
