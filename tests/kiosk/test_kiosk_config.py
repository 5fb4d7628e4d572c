"""The screens, goals, celebrations and agents sections of the config (issue #3)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from kiosk_support import default_data, make_config

from kpi.config import ConfigError, load_config, parse_config
from kpi.config.screens import DEFAULT_TOP_N, MAX_TOP_N

OSLO = ZoneInfo("Europe/Oslo")


def _screens(*views: dict, **screen: object) -> dict:
    return {"tv": {"title": "TV", "views": list(views), **screen}}


def test_kcfg001_default_config_has_screens_showing_every_view_type() -> None:
    config = load_config()
    types = {view.type for screen in config.screens.values() for view in screen.views}
    assert types == {
        "leaderboard",
        "team_goals",
        "nps_trend",
        "kpi_tiles",
        "badges",
        "challenge",
        "challenges",
    }
    assert config.goals and config.celebrations.rules


def test_kcfg002_top_n_comes_from_view_then_screen_then_global_default() -> None:
    config = make_config(
        screens={
            "a": {
                "views": [
                    {"type": "leaderboard", "metric": "deals_won", "top_n": 7},
                    {"type": "leaderboard", "metric": "deals_won"},
                ],
                "top_n": 5,
            },
            "b": {"views": [{"type": "leaderboard", "metric": "deals_won"}]},
        }
    )
    a, b = config.screens["a"], config.screens["b"]
    assert [a.top_n_of(v) for v in a.views] == [7, 5]
    assert b.top_n_of(b.views[0]) == DEFAULT_TOP_N


@pytest.mark.parametrize(
    "view, where, words",
    [
        ({"type": "leaderboard", "metric": "nope"}, "tv.views.0", "unknown metric 'nope'"),
        (
            {"type": "leaderboard", "metric": "deals_won", "top_n": MAX_TOP_N + 1},
            "screens.tv.views.0.leaderboard.top_n",
            "less than or equal to 10",
        ),
        ({"type": "podium", "metric": "deals_won"}, "screens.tv.views.0", "podium"),
        ({"type": "leaderboard"}, "screens.tv.views.0.leaderboard.metric", "Field required"),
        ({"type": "nps_trend", "metric": "csat"}, "tv.views.0", "not an NPS metric"),
        (
            {"type": "kpi_tiles", "metrics": ["csat"], "period": "week", "compare": "yesterday"},
            "screens.tv.views.0.kpi_tiles",
            "compare: yesterday needs period: day",
        ),
        (
            {"type": "leaderboard", "metric": "deals_won", "colour": "red"},
            "screens.tv.views.0.leaderboard.colour",
            "Extra inputs",
        ),
    ],
)
def test_kcfg003_a_bad_view_is_a_config_error_naming_the_key_path(view: dict, where: str, words: str) -> None:
    data = default_data() | {"screens": _screens(view)}
    with pytest.raises(ConfigError) as caught:
        parse_config(data, "wallboard.yaml")
    message = str(caught.value)
    assert "wallboard.yaml" in message and where in message and words in message


def test_kcfg004_team_goals_view_needs_goals() -> None:
    data = default_data() | {"goals": {}, "screens": _screens({"type": "team_goals"})}
    with pytest.raises(ConfigError, match=r"tv\.views\.0: no goals"):
        parse_config(data, "x.yaml")


def test_kcfg005_goals_name_known_metrics_and_positive_targets() -> None:
    with pytest.raises(ConfigError, match=r"goals: Support\.nope: unknown metric"):
        parse_config(default_data() | {"goals": {"Support": {"nope": {"day": 3}}}}, "x.yaml")
    with pytest.raises(ConfigError, match=r"goals\.Support\.deals_won\.day"):
        parse_config(default_data() | {"goals": {"Support": {"deals_won": {"day": 0}}}}, "x.yaml")
    with pytest.raises(ConfigError, match=r"goals\.Support\.deals_won\.fortnight"):
        parse_config(default_data() | {"goals": {"Support": {"deals_won": {"fortnight": 3}}}}, "x.yaml")


def test_kcfg006_celebration_rules_name_known_event_types() -> None:
    with pytest.raises(ConfigError, match=r"celebrations: rules\.0\.type: unknown event type 'deal_lost'"):
        parse_config(default_data() | {"celebrations": {"rules": [{"type": "deal_lost"}]}}, "x.yaml")


def test_kcfg007_screen_names_are_url_safe() -> None:
    with pytest.raises(ConfigError, match="screen name is lower-case"):
        parse_config(default_data() | {"screens": {"Floor 2": {"views": [{"type": "nps_trend"}]}}}, "x.yaml")


def test_kcfg008_schedule_switches_views_by_weekday_and_time_with_midnight_wrap() -> None:
    config = make_config(
        screens=_screens(
            {"type": "leaderboard", "metric": "deals_won"},
            schedule=[
                {"days": ["sat", "sun"], "views": [{"type": "nps_trend"}]},
                {"start": "18:00", "end": "07:00", "views": [{"type": "team_goals"}]},
            ],
        )
    )
    screen = config.screens["tv"]
    wednesday_noon = datetime(2026, 11, 25, 12, 0, tzinfo=OSLO)
    wednesday_night = datetime(2026, 11, 25, 23, 30, tzinfo=OSLO)
    thursday_dawn = datetime(2026, 11, 26, 6, 59, tzinfo=OSLO)
    saturday = datetime(2026, 11, 28, 12, 0, tzinfo=OSLO)
    assert [v.type for v in screen.views_at(wednesday_noon)] == ["leaderboard"]
    assert [v.type for v in screen.views_at(wednesday_night)] == ["team_goals"]
    assert [v.type for v in screen.views_at(thursday_dawn)] == ["team_goals"]
    assert [v.type for v in screen.views_at(saturday)] == ["nps_trend"]
    assert screen.window_at(wednesday_noon) == -1 and screen.window_at(saturday) == 0


def test_kcfg009_bad_schedule_time_is_a_config_error() -> None:
    data = default_data() | {
        "screens": _screens(
            {"type": "nps_trend"}, schedule=[{"start": "25:00", "views": [{"type": "nps_trend"}]}]
        )
    }
    with pytest.raises(ConfigError, match=r"screens\.tv\.schedule\.0\.start: .*not a time of day"):
        parse_config(data, "x.yaml")


def test_kcfg010_display_key_compares_and_a_missing_env_key_opens_nothing() -> None:
    config = make_config(
        screens={
            "open": {"views": [{"type": "nps_trend"}]},
            "inline": {"views": [{"type": "nps_trend"}], "display_key": "s3cret"},
            "env": {"views": [{"type": "nps_trend"}], "display_key_env": "TV_KEY"},
        }
    )
    assert config.screens["open"].key_matches(None)
    inline = config.screens["inline"]
    assert inline.key_matches("s3cret") and not inline.key_matches("s3cre") and not inline.key_matches(None)
    assert "s3cret" not in repr(inline) and "s3cret" not in config.model_dump_json()
    env = config.screens["env"]
    assert env.key_matches("k", {"TV_KEY": "k"}) and not env.key_matches("k", {})
    assert not env.key_matches("", {"TV_KEY": ""})


def test_kcfg011_agents_section_holds_aliases_and_hidden_agents() -> None:
    config = make_config(agents={"a1": {"alias": "Ace"}, "a2": {"hide_from_screens": True}})
    assert config.agents["a1"].alias == "Ace" and config.agents["a2"].hide_from_screens
    with pytest.raises(ConfigError, match=r"agents\.a1\.nickname"):
        parse_config(default_data() | {"agents": {"a1": {"nickname": "x"}}}, "x.yaml")
