"""What `/me` shows: points, level, badges with progress, own ranks without names, rules, choices, toast."""

from __future__ import annotations

from datetime import timedelta

import dash
from flask.testing import FlaskClient

from dashboard import ids
from dashboard.services.me import hidden_by_choice, me_page, new_awards, save_choices
from kpi.config import Config
from kpi.model.awards import Award
from kpi.store import RedisStore
from kpi.store.agent_choices import choices_for
from kpi.store.awards import awards_for
from tests.manage.conftest import AGENTS, NOW, dash_call, sign_in
from tests.me.conftest import link_path


def test_points_show_today_week_month_and_all_time(me_store: RedisStore, me_config: Config) -> None:
    page = me_page(me_store, me_config, "s1", NOW)
    assert [f.label for f in page.points] == ["Today", "This week", "This month", "All time"]
    assert page.points[-1].text not in ("0", "–")


def test_the_level_says_how_far_to_the_next(me_store: RedisStore, me_config: Config) -> None:
    level = me_page(me_store, me_config, "s1", NOW).level
    assert level.name in {s.name for s in me_config.levels.steps}
    assert 0 <= level.ratio <= 1 and ("points to" in level.next_text or level.next_text == "The top level.")


def test_available_badges_read_as_x_of_y(me_store: RedisStore, me_config: Config) -> None:
    page = me_page(me_store, me_config, "s1", NOW)
    master = next(c for c in page.available if c.id == "support_master")
    assert master.progress_text.endswith("of 1,000") and 0 < master.ratio < 1


def test_an_earned_badge_shows_its_date_and_count(me_store: RedisStore, me_config: Config) -> None:
    day = NOW.date() - timedelta(days=3)
    awards_for(me_store).add(
        [Award("delight_week", "agent", "s1", occ, day, NOW) for occ in ("2026-W46", "2026-W47")]
    )
    card = next(c for c in me_page(me_store, me_config, "s1", NOW).earned if c.id == "delight_week")
    assert card.earned_text == "Earned 21 Nov 2026 · 2 times"


def test_own_ranks_carry_no_other_agents_name(me_store: RedisStore, me_config: Config) -> None:
    page = me_page(me_store, me_config, "s1", NOW)
    assert page.ranks and any(r.rank_text.startswith("#") for r in page.ranks)
    text = repr(page)
    others = {name for team in AGENTS.values() for agent_id, name in team if agent_id != "s1"}
    assert not {name for name in others if name in text}


def test_rules_cover_points_levels_and_badges(me_store: RedisStore, me_config: Config) -> None:
    page = me_page(me_store, me_config, "s1", NOW)
    assert any("points each" in line for rule in page.points_rules for line in rule.lines)
    assert len(page.level_rules) == len(me_config.levels.steps)
    assert [r.title for r in page.badge_rules] == [b.name for b in me_config.achievements.values()]


def test_test_mode_badges_are_not_on_me(me_store: RedisStore, me_config: Config) -> None:
    badges = dict(me_config.achievements)
    badges["rainmaker"] = badges["rainmaker"].model_copy(update={"test": True})
    page = me_page(me_store, me_config.model_copy(update={"achievements": badges}), "s1", NOW)
    shown = {c.id for c in page.earned + page.available} | {r.title for r in page.badge_rules}
    assert "rainmaker" not in shown and "Rainmaker" not in shown


def test_saving_a_choice_moves_the_data_version(me_store: RedisStore) -> None:
    before = me_store.data_version()
    assert save_choices(me_store, "s1", hide=True, quiet=False)
    assert choices_for(me_store).of("s1").hide_from_screens and me_store.data_version() > before


def test_saving_the_same_choice_again_changes_nothing(me_store: RedisStore) -> None:
    save_choices(me_store, "s1", hide=True, quiet=True)
    before = me_store.data_version()
    assert not save_choices(me_store, "s1", hide=True, quiet=True)
    assert me_store.data_version() == before


def test_new_awards_show_once_after_the_first_visit(me_store: RedisStore, me_config: Config) -> None:
    assert new_awards(me_store, me_config, "s1", NOW) == []
    awards_for(me_store).add(
        [Award("delight_week", "agent", "s1", "2026-W48", NOW.date(), NOW + timedelta(minutes=1))]
    )
    later = NOW + timedelta(minutes=2)
    assert new_awards(me_store, me_config, "s1", later) == ["Delight Week"]
    assert new_awards(me_store, me_config, "s1", later + timedelta(minutes=1)) == []


def test_managers_see_a_count_of_hidden_agents_not_names(
    me_store: RedisStore, me_client: FlaskClient, me_app: dash.Dash
) -> None:
    save_choices(me_store, "s1", hide=True, quiet=False)
    save_choices(me_store, "p1", hide=True, quiet=True)
    save_choices(me_store, "x1", hide=False, quiet=True)
    assert hidden_by_choice(me_store) == 2
    sign_in(me_client, "ada")
    response = dash_call(me_client, me_app, ids.MANAGE_CONNECTORS, {f"{ids.MANAGE_VIEW}.value": "connectors"})
    text = response.get_data(as_text=True)
    assert "2 agents have chosen not to appear on TVs" in text and "Siri" not in text


def test_the_switches_save_the_signed_in_agents_choices(
    me_store: RedisStore, me_client: FlaskClient, me_app: dash.Dash
) -> None:
    me_client.get(link_path(me_store, "s1"))
    response = dash_call(
        me_client, me_app, ids.ME_SAVED, {f"{ids.ME_HIDE}.value": ["on"], f"{ids.ME_QUIET}.value": []}
    )
    assert response.status_code == 200
    assert (
        choices_for(me_store).of("s1").hide_from_screens and choices_for(me_store).of("s1").celebrate_badges
    )
