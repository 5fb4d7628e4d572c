"""The badges view's data: newest awards, no tests, no hidden agents, at most top N holders a badge."""

from __future__ import annotations

from datetime import date, timedelta

from kiosk_support import NOW, event, make_config

from kpi.config.screens import BadgesView
from kpi.ingest.pipeline import ingest_events
from kpi.model.agents import AgentChoices
from kpi.model.awards import Award
from kpi.model.periods import local_day
from kpi.read.badge_wall import badge_wall, shown_awards, when_words
from kpi.store import RedisStore
from kpi.store.agent_choices import choices_for
from kpi.store.awards import awards_for

TODAY = local_day(NOW, make_config().zone)


def _award(member: str, badge: str = "support_master", days_ago: int = 0, **kwargs: object) -> Award:
    spec = dict(
        badge=badge, scope="agent", member=member, occurrence="", earned_on=TODAY - timedelta(days_ago)
    )
    return Award(**{**spec, "found_at": NOW, "name": badge, **kwargs})  # type: ignore[arg-type]


def test_when_words() -> None:
    today = date(2026, 11, 25)
    assert [when_words(today - timedelta(days=d), today) for d in (0, 1, 2, 9)] == [
        "today",
        "yesterday",
        "Monday",
        "16 Nov",
    ]


def test_shown_awards_keep_top_n_holders_a_badge_and_skip_tests_hidden_and_old() -> None:
    config = make_config()
    awards = [_award(f"a{i}", days_ago=i % 3) for i in range(6)]
    awards += [_award("hid"), _award("old", days_ago=30), _award("t", badge="rainmaker", test=True)]
    chosen = shown_awards(awards, config, frozenset({"hid"}), 3, TODAY - timedelta(days=13), 8)
    assert [a.member for a in chosen] == ["a0", "a3", "a1"]


def test_a_test_badge_from_the_config_is_never_shown() -> None:
    data = make_config().model_dump(mode="json")["achievements"]
    data["rainmaker"]["test"] = True
    data = {k: {kk: vv for kk, vv in v.items() if kk != "id"} for k, v in data.items()}
    config = make_config(achievements=data)
    chosen = shown_awards([_award("a", badge="rainmaker")], config, frozenset(), 3, TODAY, 8)
    assert chosen == []


def test_the_wall_names_holders_as_the_podium_does(redis_store: RedisStore) -> None:
    config = make_config(agents={"a1": {"alias": "Captain"}, "a9": {"hide_from_screens": True}})
    ingest_events(
        redis_store,
        config,
        [
            event(a, name=n)
            for a, n in (("a1", "Ann One"), ("a2", "Bo Two"), ("a3", "Shy Three"), ("a9", "X"))
        ],
        now=NOW,
    )
    choices_for(redis_store).save("a3", AgentChoices(hide_from_screens=True))
    book = awards_for(redis_store)
    book.add(
        [
            _award("a1"),
            _award("a2", badge="level-1", name="Pro", days_ago=1),
            _award("a3"),
            _award("a9"),
            _award("Support", badge="goal_getters", scope="team", days_ago=2),
        ]
    )
    screen = config.screens["floor"].model_copy(update={"anonymize": "initials"})
    wall = badge_wall(redis_store, config, screen, BadgesView(type="badges"), NOW)
    assert [(r.title, r.holder, r.team, r.when, r.icon) for r in wall.rows] == [
        ("Support Master", "Captain", "Support", "today", "support-master.svg"),
        ("Level up: Pro", "B. T.", "Support", "yesterday", "level-up.svg"),
        ("Goal Getters", "Support", "Support", "Monday", "goal-getters.svg"),
    ]


def test_the_default_screens_show_points_and_badges() -> None:
    views = make_config().screens["floor"].views
    assert any(getattr(v, "metric", "") == "points" for v in views)
    assert any(v.type == "badges" for v in views)
