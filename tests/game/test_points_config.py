"""The points: section: defaults that reward quality, the points metric, and bad keys named by path."""

from __future__ import annotations

from typing import Any

import pytest

from kpi.config import Config, ConfigError, parse_config
from kpi.config.points import default_points
from kpi.model.events import Event
from tests.game.points_helpers import make_config


def scored(config: Config, kind: str = "ticket_solved", value: float = 1, **attributes: Any) -> float:
    event = Event(
        source="s",
        id="1",
        type=kind,
        agent_id="a",
        value=value,
        occurred_at="2026-11-24T10:00:00+01:00",
        attributes=attributes,
    )
    score = config.points_scorer.score(event) if config.points_scorer else None
    return score.points if score else 0.0


def error_of(points: Any) -> str:
    with pytest.raises(ConfigError) as caught:
        make_config(points)
    return str(caught.value)


def test_a_config_without_a_points_section_gets_the_default_rules() -> None:
    bare = parse_config({"metrics": {"x": {"type": "ticket_solved", "aggregation": "count"}}}, "bare")
    assert bare.points == default_points()


def test_the_default_rules_are_those_of_the_default_config_file(config: Config) -> None:
    assert config.points == default_points() and config.points.rules


def test_the_default_rules_weigh_priority_urgent_above_high_above_normal_above_low(config: Config) -> None:
    weights = [scored(config, priority=p) for p in ("urgent", "high", "normal", "low")]
    assert weights == sorted(weights, reverse=True) and len(set(weights)) == 4


def test_the_default_csat_5_bonus_outweighs_a_plain_ticket_and_calls(config: Config) -> None:
    bonus = scored(config, "csat_rating", 5, ticket_id="1")
    assert bonus > scored(config) > scored(config, "call_handled", 300)


def test_the_default_rules_pay_complex_work_more_than_simple_work(config: Config) -> None:
    assert scored(config, complexity="high") > scored(config, complexity="low")


def test_the_default_rules_take_a_reopened_tickets_points_back(config: Config) -> None:
    assert scored(config, priority="urgent", reopened=True) <= 0


def test_points_is_a_sum_metric_of_every_config(config: Config) -> None:
    assert config.metric("points").aggregation == "sum"


def test_points_events_are_not_an_event_type() -> None:
    assert "points" not in make_config().metrics_by_type


def test_a_metric_named_points_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"metrics: points: this metric name is reserved"):
        parse_config({"metrics": {"points": {"type": "ticket_solved", "aggregation": "sum"}}}, "f.yaml")


def test_an_empty_rule_set_turns_points_off() -> None:
    assert make_config({"rules": {}}).points_scorer is None


@pytest.mark.parametrize(
    ("points", "path"),
    [
        ({"rules": {"ticket_solved": {"bsae": 1}}}, "points.rules.ticket_solved.bsae: Extra inputs"),
        ({"rules": {"ticket_solved": {"base": -1}}}, "points.rules.ticket_solved.base: Input should be"),
        (
            {"rules": {"ticket_solved": {"multipliers": {"priority": {"urgent": "x"}}}}},
            "points.rules.ticket_solved.multipliers.priority.urgent: Input should be a valid number",
        ),
        (
            {
                "rules": {
                    "ticket_solved": {"bonuses": [{"name": "b", "when": {"attribute": "x"}, "points": 1}]}
                }
            },
            "points.rules.ticket_solved.bonuses.0.when: give exactly one of",
        ),
        (
            {"rules": {"ticket_solved": {"penalties": [{"name": "p", "when": {"equals": 1}}]}}},
            "points.rules.ticket_solved.penalties.0: a penalty needs points > 0 or take_back: true",
        ),
        (
            {"rules": {"deal_won": {"bands": [{"from": 10, "factor": 1}, {"from": 5, "factor": 2}]}}},
            "points.rules.deal_won: bands: each band's 'from' must be greater",
        ),
        (
            {"rules": {"csat_rating": {"link": {"attr": "x"}}}},
            "points.rules.csat_rating.link.attribute: Field",
        ),
        ({"rules": {"ticket_solve": {"base": 1}}}, "points: rules.ticket_solve: unknown event type"),
        ({"effective_from": "someday"}, "points.effective_from: Input should be a valid date"),
        (
            {"effective_from": "2026-01-01", "previous": [{"effective_from": "2026-02-01", "rules": {}}]},
            "points: previous.0.effective_from: must be before 2026-01-01",
        ),
        (
            {"previous": [{"effective_from": "2026-02-01", "rules": {}}]},
            "points: previous: earlier rule sets",
        ),
    ],
)
def test_a_bad_points_key_is_refused_naming_its_path(points: dict[str, Any], path: str) -> None:
    assert f"test config: {path}" in error_of(points)
