"""The `wallboard` command line: check-config and ingest, run in-process against a real Redis."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from kpi.store import RedisStore
from wallboard.cli import main

GOOD = {
    "source": "crm",
    "type": "deal_won",
    "agent_id": "a1",
    "team": "North",
    "value": 100,
    "occurred_at": "2026-11-24T09:00:00Z",
}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, redis_store: RedisStore, redis_server) -> RedisStore:  # noqa: ANN001
    """REDIS_URL points at the test server; no config file (the built-in default)."""
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    monkeypatch.delenv("WALLBOARD_CONFIG", raising=False)
    return redis_store


def test_cli001_check_config_accepts_the_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WALLBOARD_CONFIG", raising=False)
    assert main(["check-config"]) == 0
    assert "OK" in capsys.readouterr().out


def test_cli002_check_config_names_file_key_and_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "wallboard.yaml"
    path.write_text("metrics:\n  csat:\n    type: csat_rating\n    aggregation: average\n")
    assert main(["check-config", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}: metrics.csat.aggregation:" in err


def test_cli003_check_config_reports_yaml_syntax_with_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("metrics:\n  csat: [unclosed\n")
    assert main(["check-config", str(path)]) == 2
    assert "line 3" in capsys.readouterr().err


def test_cli004_ingest_ndjson_writes_every_event(
    tmp_path: Path, env: RedisStore, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deals.ndjson"
    path.write_text("\n".join(json.dumps({**GOOD, "id": f"d{n}"}) for n in range(25)))
    assert main(["ingest", str(path), "--batch-size", "10"]) == 0
    assert "ingested 25 events: 25 new" in capsys.readouterr().out
    assert env.record("crm", "d24") is not None


def test_cli005_ingest_csv_and_json_files(tmp_path: Path, env: RedisStore) -> None:
    csv_path = tmp_path / "deals.csv"
    csv_path.write_text(
        "source,id,type,agent_id,value,occurred_at\ncrm,c1,deal_won,a1,5,2026-11-24T09:00:00Z\n"
    )
    json_path = tmp_path / "deals.json"
    json_path.write_text(json.dumps([{**GOOD, "id": "j1"}]))
    assert main(["ingest", str(csv_path)]) == 0
    assert main(["ingest", str(json_path)]) == 0
    assert env.record("crm", "c1") is not None and env.record("crm", "j1") is not None


def test_cli006_a_bad_batch_is_not_written_and_earlier_batches_stay(
    tmp_path: Path, env: RedisStore, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [json.dumps({**GOOD, "id": f"d{n}"}) for n in range(6)]
    lines[4] = "{this is not json"
    path = tmp_path / "deals.ndjson"
    path.write_text("\n".join(lines))
    assert main(["ingest", str(path), "--batch-size", "3"]) == 1
    err = capsys.readouterr().err
    assert "items 3–5 rejected" in err and "item 4:" in err
    assert env.record("crm", "d2") is not None
    assert env.record("crm", "d3") is None


def test_cli007_dry_run_validates_without_redis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    path = tmp_path / "deals.json"
    path.write_text(json.dumps([{**GOOD, "id": "x"}]))
    assert main(["ingest", str(path)]) == 2
    assert "REDIS_URL" in capsys.readouterr().err
    assert main(["ingest", str(path), "--dry-run"]) == 0
    assert "validated 1 events" in capsys.readouterr().out


def test_cli008_check_config_validates_connectors_and_their_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ZENDESK_TOKEN", raising=False)
    path = tmp_path / "wallboard.yaml"
    path.write_text(
        "metrics:\n  tickets: {type: ticket_solved, aggregation: count}\n"
        "connectors:\n  zendesk:\n    type: zendesk\n    options:\n"
        "      subdomain: acme\n      email: ops@acme.test\n      token_env: ZENDESK_TOKEN\n"
    )
    assert main(["check-config", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "ZENDESK_TOKEN" in err
    monkeypatch.setenv("ZENDESK_TOKEN", "s3cret")
    assert main(["check-config", str(path)]) == 0
    assert "s3cret" not in capsys.readouterr().out


def test_check_config_effective_prints_every_section_in_force_with_the_builtin_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "wallboard.yaml"
    path.write_text("timezone: Europe/Berlin\nscreens:\n  lobby:\n    views: [{type: nps_trend}]\n")
    assert main(["check-config", "--effective", str(path)]) == 0
    shown = yaml.safe_load(capsys.readouterr().out)
    assert shown["timezone"] == "Europe/Berlin"
    assert list(shown["screens"]) == ["lobby"]
    assert {"tickets_solved", "csat", "nps"} <= set(shown["metrics"])
    assert shown["goals"]["Support"]["tickets_solved"]["day"] > 0


def test_check_config_effective_hides_password_hashes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret_hash = "scrypt:32768:8:1$abc$def"
    path = tmp_path / "wallboard.yaml"
    path.write_text(f"users:\n  ana:\n    role: admin\n    password_hash: '{secret_hash}'\n")
    assert main(["check-config", "--effective", str(path)]) == 0
    out = capsys.readouterr().out
    assert secret_hash not in out and yaml.safe_load(out)["users"]["ana"]["password_hash"] == "(set)"


def test_cli_award_sweeps_then_evaluates_changed_agents(
    env: RedisStore, capsys: pytest.CaptureFixture[str]
) -> None:
    from kpi.ingest.awarding import LOCK_SECONDS
    from kpi.store.award_queue import award_queue_for

    assert main(["award"]) == 0
    assert "every agent and team" in capsys.readouterr().out
    award_queue_for(env).mark({"a1"})
    assert main(["award"]) == 0
    assert "1 changed agent(s)" in capsys.readouterr().out
    token = award_queue_for(env).lock(LOCK_SECONDS)
    assert main(["award", "--full"]) == 0
    assert "another process" in capsys.readouterr().out
    award_queue_for(env).unlock(token or "")
