"""The YAML configuration: a usable default, and errors that say where and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpi.config import Config, ConfigError, load_config, parse_config

VALID = """\
timezone: Europe/Oslo
metrics:
  demos:
    type: demo_booked
    aggregation: count
    label: Demos booked
"""


def write(tmp_path: Path, text: str) -> Path:
    """A config file holding `text`."""
    path = tmp_path / "wallboard.yaml"
    path.write_text(text)
    return path


def error_of(path: Path) -> str:
    """The message with which loading `path` fails."""
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return str(caught.value)


# --- the built-in default --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "aggregation"),
    [
        ("tickets_solved", "ticket_solved", "count"),
        ("deals_won", "deal_won", "count"),
        ("revenue", "deal_won", "sum"),
        ("calls_handled", "call_handled", "count"),
        ("avg_handle_time", "call_handled", "mean"),
        ("csat", "csat_rating", "mean"),
        ("nps", "nps_response", "nps"),
    ],
)
def test_cf001_default_config_has_the_required_metrics(
    config: Config, name: str, kind: str, aggregation: str
) -> None:
    """The built-in config defines every metric the issue asks for, on the right event type."""
    metric = config.metric(name)
    assert (metric.name, metric.type, metric.aggregation) == (name, kind, aggregation)
    assert metric.label


def test_cf002_handle_time_is_lower_is_better(config: Config) -> None:
    """A shorter handle time (and fewer reopened tickets) ranks higher; nothing else is reversed."""
    reversed_metrics = {m.name for m in config.metrics.values() if m.lower_is_better}
    assert reversed_metrics == {"avg_handle_time", "tickets_reopened"}


def test_cf003_csat_needs_a_minimum_volume(config: Config) -> None:
    """One 5-star rating cannot top the CSAT board."""
    assert config.metric("csat").min_volume > 1


def test_cf004_default_time_zone_is_a_real_zone(config: Config) -> None:
    """The default office time zone is Europe/Oslo."""
    assert config.timezone == "Europe/Oslo"
    assert config.zone.key == "Europe/Oslo"


def test_cf005_metrics_by_type_groups_metrics_of_one_event_type(config: Config) -> None:
    """A deal feeds both the deal count and the revenue."""
    assert {m.name for m in config.metrics_by_type["deal_won"]} == {"deals_won", "revenue"}


def test_cf006_unknown_metric_lists_the_known_ones(config: Config) -> None:
    """Asking for a metric that does not exist names the ones that do."""
    with pytest.raises(KeyError, match="csat"):
        config.metric("happiness")


def test_cf007_metric_public_fields(config: Config) -> None:
    """The read API shows exactly the documented fields of a metric."""
    assert set(config.metric("csat").public()) == {
        "name",
        "type",
        "aggregation",
        "label",
        "unit",
        "lower_is_better",
        "min_volume",
    }


# --- a file of one's own ---------------------------------------------------------------------------------


def test_cf010_valid_file_loads_with_defaults(tmp_path: Path) -> None:
    """Omitted metric settings take their defaults; the metric is named by its key."""
    config = load_config(write(tmp_path, VALID))
    demos = config.metric("demos")
    assert (demos.name, demos.unit, demos.lower_is_better, demos.min_volume) == ("demos", "", False, 1)
    assert config.api.max_batch == 10_000


def test_cf011_timezone_defaults_to_utc(tmp_path: Path) -> None:
    """Without a timezone key the office runs on UTC."""
    config = load_config(write(tmp_path, VALID.replace("timezone: Europe/Oslo\n", "")))
    assert config.timezone == "UTC"


# --- errors name the file, the key path and the problem --------------------------------------------------


def test_cf020_bad_aggregation_names_file_key_and_choices(tmp_path: Path) -> None:
    """An aggregation that is not count, sum, mean or nps is refused at its key path."""
    path = write(tmp_path, VALID.replace("aggregation: count", "aggregation: median"))
    message = error_of(path)
    assert str(path) in message
    assert "metrics.demos.aggregation" in message
    assert "'count'" in message and "'nps'" in message


def test_cf021_unknown_timezone_is_named(tmp_path: Path) -> None:
    """A time zone that is not an IANA name is refused with an example."""
    path = write(tmp_path, VALID.replace("Europe/Oslo", "Europe/Atlantis"))
    message = error_of(path)
    assert str(path) in message
    assert "timezone" in message and "Europe/Atlantis" in message and "IANA" in message


def test_cf022_bad_yaml_gives_the_line(tmp_path: Path) -> None:
    """A YAML syntax error names the file, the 1-based line and column, and the parser's complaint."""
    path = write(
        tmp_path, "timezone: UTC\nmetrics:\n  demos:\n    type: demo_booked\n     aggregation: count\n"
    )
    message = error_of(path)
    assert message.startswith(f"{path}: line 5, column 17: not valid YAML")
    assert "mapping values are not allowed" in message


def test_cf023_unclosed_quote_points_past_the_end(tmp_path: Path) -> None:
    """An unterminated string is reported where the parser gave up: the end of the file."""
    path = write(tmp_path, 'metrics:\n  demos:\n    type: "demo_booked\n')
    message = error_of(path)
    assert message.startswith(f"{path}: line 4, column 1: not valid YAML")


def test_cf024_missing_file_is_named(tmp_path: Path) -> None:
    """A path that does not exist is reported with the path and the reason."""
    path = tmp_path / "nowhere.yaml"
    message = error_of(path)
    assert str(path) in message
    assert "No such file" in message


def test_cf025_min_volume_below_one_is_refused(tmp_path: Path) -> None:
    """min_volume is at least 1."""
    path = write(tmp_path, VALID + "    min_volume: 0\n")
    message = error_of(path)
    assert str(path) in message
    assert "metrics.demos.min_volume" in message
    assert "greater than or equal to 1" in message


def test_cf026_unknown_top_level_key_is_refused(tmp_path: Path) -> None:
    """A misspelt top-level key is an error rather than silently ignored."""
    path = write(tmp_path, VALID + "timezome: UTC\n")
    message = error_of(path)
    assert str(path) in message
    assert "timezome" in message
    assert "not permitted" in message


def test_cf027_unknown_metric_key_is_refused(tmp_path: Path) -> None:
    """A misspelt metric setting is named with its full key path."""
    path = write(tmp_path, VALID + "    lower_is_beter: true\n")
    assert "metrics.demos.lower_is_beter" in error_of(path)


def test_cf028_every_problem_is_listed(tmp_path: Path) -> None:
    """All problems of a file are reported at once, one per line."""
    text = VALID.replace("Europe/Oslo", "Mars/Olympus").replace("aggregation: count", "aggregation: avg")
    message = error_of(write(tmp_path, text))
    assert "timezone" in message and "metrics.demos.aggregation" in message
    assert len(message.splitlines()) >= 3


def test_cf029_no_metrics_is_refused(tmp_path: Path) -> None:
    """A configuration needs at least one metric."""
    message = error_of(write(tmp_path, "timezone: UTC\nmetrics: {}\n"))
    assert "metrics" in message


def test_cf030_missing_metric_type_is_refused(tmp_path: Path) -> None:
    """A metric must say which event type it counts."""
    message = error_of(write(tmp_path, "metrics:\n  demos:\n    aggregation: count\n"))
    assert "metrics.demos.type" in message and "required" in message.lower()


def test_cf031_bad_metric_name_is_refused(tmp_path: Path) -> None:
    """Metric names follow the event type pattern, because they become Redis key parts."""
    message = error_of(write(tmp_path, "metrics:\n  Demo Count:\n    type: demo\n    aggregation: count\n"))
    assert "Demo Count" in message


def test_cf032_empty_file_is_refused(tmp_path: Path) -> None:
    """An empty file is not a configuration."""
    message = error_of(write(tmp_path, ""))
    assert "top level must be a mapping" in message


def test_cf033_parse_config_names_its_origin() -> None:
    """Configs that do not come from a file are named by the origin the caller gives."""
    with pytest.raises(ConfigError, match="env WALLBOARD_CONFIG_INLINE: api.max_batch"):
        parse_config(
            {"metrics": {"d": {"type": "d", "aggregation": "count"}}, "api": {"max_batch": 0}},
            "env WALLBOARD_CONFIG_INLINE",
        )


def test_a_file_with_only_a_screen_gets_the_builtin_metrics_goals_and_celebrations(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, "screens:\n  lobby:\n    views: [{type: leaderboard, metric: csat}]\n")
    )
    builtin = load_config()
    assert config.metrics == builtin.metrics
    assert config.goals == builtin.goals and config.celebrations == builtin.celebrations
    assert list(config.screens) == ["lobby"]


def test_builtin_goals_and_screens_are_left_out_when_they_name_metrics_you_do_not_have(
    tmp_path: Path,
) -> None:
    config = load_config(write(tmp_path, "metrics:\n  calls: {type: call_handled, aggregation: count}\n"))
    assert "calls" in config.metrics and "tickets_solved" not in config.metrics
    assert config.goals == {} and config.screens == {}


def test_settings_left_out_keep_their_own_defaults_not_the_builtin_files(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "screens: {}\n"))
    assert (config.timezone, config.office_hours) == ("UTC", None)
