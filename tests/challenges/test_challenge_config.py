"""Challenge views in the config: refused when they name an unknown or test challenge; the built-in screens
and challenges fit whatever challenges a file defines (issue #10)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kpi.config import ConfigError, load_config, parse_config
from kpi.config.root import builtin_data

WEEK = {"start": "2026-11-23", "end": "2026-11-29"}
OWN = [{"id": "week", "title": "Points week", "kind": "race", "metric": "points", **WEEK}]


def _views(config: Any) -> dict[str, list[str]]:
    return {
        name: [getattr(view, "challenge", view.type) for view in screen.views]
        for name, screen in config.screens.items()
    }


def _with_screen(*views: dict[str, Any]) -> dict[str, Any]:
    return {**builtin_data(), "screens": {"tv": {"views": list(views)}}}


def test_a_challenge_view_of_an_unknown_challenge_is_refused_naming_the_key_path() -> None:
    data = _with_screen(
        {"type": "leaderboard", "metric": "points"}, {"type": "challenge", "challenge": "nope"}
    )
    with pytest.raises(ConfigError) as caught:
        parse_config(data, "wallboard.yaml")
    message = str(caught.value)
    assert "wallboard.yaml: screens: tv.views.1: challenge: unknown challenge 'nope'" in message
    assert "known: daily_sprint, team_battle" in message


def test_a_challenge_view_of_a_test_challenge_is_refused() -> None:
    data = _with_screen({"type": "challenge", "challenge": "trial"})
    data["challenges"]["definitions"].append({**OWN[0], "id": "trial", "test": True})
    with pytest.raises(ConfigError, match=r"screens: tv\.views\.0: challenge: 'trial' is a test challenge"):
        parse_config(data, "wallboard.yaml")


def test_a_scheduled_challenge_view_is_checked_too() -> None:
    data = _with_screen({"type": "challenges"})
    data["screens"]["tv"]["schedule"] = [{"views": [{"type": "challenge", "challenge": "gone"}]}]
    with pytest.raises(ConfigError, match=r"tv\.schedule\.0\.views\.0: challenge: unknown challenge 'gone'"):
        parse_config(data, "wallboard.yaml")


def test_the_builtin_config_has_one_challenge_of_every_kind_on_its_screens() -> None:
    config = load_config()
    kinds = {c.kind for c in config.challenges.definitions}
    assert kinds == {"race", "team_vs_team", "collaborative", "personal_best", "fair_race"}
    views = _views(config)
    assert "challenges" in views["challenges"]
    assert {"daily_sprint", "call_mountain"} <= set(views["floor"]) and "deal_dash" in views["sales"]


def test_builtin_screens_with_your_own_challenges_keep_only_the_views_they_can_fill() -> None:
    data = builtin_data()
    data["challenges"] = {"definitions": OWN}
    views = _views(parse_config(data, "own challenges"))
    assert not {"daily_sprint", "call_mountain", "deal_dash"} & {v for vs in views.values() for v in vs}
    assert views["challenges"] == ["challenges"]


def test_builtin_screens_without_challenges_have_no_challenge_views(tmp_path: Path) -> None:
    path = tmp_path / "wallboard.yaml"
    path.write_text("timezone: Europe/Oslo\n")
    config = load_config(path)
    views = [v for vs in _views(config).values() for v in vs]
    assert config.challenges.definitions == () and set(config.screens) == {"floor", "sales"}
    assert "challenges" not in views and "leaderboard" in views


def test_builtin_screens_skip_a_challenge_your_file_makes_a_test() -> None:
    data = builtin_data()
    data["challenges"]["definitions"][0]["test"] = True
    views = _views(parse_config(data, "trial sprint"))
    assert "daily_sprint" not in views["floor"] and "call_mountain" in views["floor"]


def test_a_file_without_screens_loads_with_its_own_challenges(tmp_path: Path) -> None:
    path = tmp_path / "wallboard.yaml"
    path.write_text(
        "challenges:\n  definitions:\n"
        "    - {id: week, title: W, kind: race, metric: points, start: 2026-11-23, end: 2026-11-29}\n"
    )
    config = load_config(path)
    assert [c.id for c in config.challenges.definitions] == ["week"]
    assert _views(config)["challenges"] == ["challenges"]
