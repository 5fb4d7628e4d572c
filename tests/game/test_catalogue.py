"""The built-in catalogue: enough badges, few that reward volume, an icon each, and configs checked."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from kpi.config import Config, ConfigError, load_config, parse_config
from kpi.game.achievements import GROUPS, volume_share
from kpi.game.levels import LevelSettings, level_of

ICONS = Path(__file__).resolve().parents[2] / "dashboard" / "assets" / "badges"


def test_at_least_sixteen_badges_ship_each_described_in_one_line(config: Config) -> None:
    badges = list(config.achievements.values())
    assert len(badges) >= 16
    assert len({b.name for b in badges}) == len(badges)
    assert all(b.id and b.name and b.criterion and "\n" not in b.criterion for b in badges)
    assert {b.group for b in badges} == set(GROUPS)
    assert not [b.id for b in badges if b.test]


def test_at_most_a_quarter_of_the_builtin_badges_reward_raw_volume_or_speed(config: Config) -> None:
    badges = list(config.achievements.values())
    volume = [b.id for b in badges if b.rewards_volume]
    assert volume, "the flag is used"
    assert volume_share(badges) <= 0.25, volume


def test_every_badge_has_an_icon_that_is_a_self_contained_svg(config: Config) -> None:
    for badge in config.achievements.values():
        path = ICONS / badge.icon
        assert path.is_file(), badge.icon
        root = ET.parse(path).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox")
        text = path.read_text()
        assert "href" not in text and "http://" not in text.replace("http://www.w3.org/2000/svg", "")


def test_every_kind_ships_among_the_defaults(config: Config) -> None:
    kinds = {b.kind for b in config.achievements.values()}
    assert kinds == {
        "milestone", "period_target", "champion", "streak", "every_channel", "save", "personal_best",
        "team_goal",
    }  # fmt: skip
    assert any(b.scope == "team" for b in config.achievements.values())


def test_a_badge_on_an_unknown_metric_is_a_clear_config_error() -> None:
    data = {
        "metrics": {"calls": {"type": "call_handled", "aggregation": "count"}},
        "achievements": {
            "x": {"kind": "milestone", "name": "X", "criterion": "x", "icon": "x.svg", "group": "mastery",
                  "metric": "tickets", "target": 5},
        },
    }  # fmt: skip
    with pytest.raises(ConfigError, match="achievements: x: unknown metric 'tickets'"):
        parse_config(data, "f.yaml")


def test_builtin_badges_are_left_out_when_their_metrics_are_not_yours(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("metrics:\n  calls: {type: call_handled, aggregation: count}\n")
    assert load_config(path).achievements == {}
    path.write_text("timezone: UTC\nscreens:\n  lobby:\n    views: [{type: nps_trend}]\n")
    assert load_config(path).achievements == load_config().achievements


def test_holidays_and_office_days_make_the_work_calendar(config: Config) -> None:
    calendar = config.work_calendar
    assert calendar.working(date.fromisoformat("2026-12-23")) and not calendar.working(
        date.fromisoformat("2026-12-25")
    )
    assert not calendar.working(date.fromisoformat("2026-12-27"))  # a Sunday


def test_levels_go_from_rookie_to_legend_on_lifetime_points() -> None:
    assert level_of(0).public() == {"name": "Rookie", "index": 0, "points": 0, "next_at": 500}
    assert level_of(499.5).name == "Rookie" and level_of(500).name == "Pro"
    assert level_of(2500).index == 2 and level_of(-40).name == "Rookie"
    top = level_of(12_000)
    assert (top.name, top.next_at) == ("Legend", None)


def test_level_steps_must_rise_from_zero() -> None:
    with pytest.raises(ValueError, match="first level starts at 0"):
        LevelSettings(steps=[{"name": "A", "at": 5}])
    with pytest.raises(ValueError, match="more points than the one before"):
        LevelSettings(steps=[{"name": "A", "at": 0}, {"name": "B", "at": 0}])
