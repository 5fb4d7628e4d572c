"""The image's build and start steps, repeated in a fresh venv (Docker cannot run on the dev machines).

Like the Dockerfile: a wheel is built from exactly the files its first stage copies, installed (not
editable) in a new venv with no source tree around, and started with the Dockerfile's own CMD and
ENV; it must answer ``/readyz`` over a real Redis, pass the Dockerfile's own HEALTHCHECK command, serve
its packaged assets, and stop cleanly on SIGTERM. Building and installing take about a minute.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from tests.conftest import RedisServer
from tests.dockerfile import ROOT, Stage, stages

pytestmark = [pytest.mark.image, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with only the wheel built from the Dockerfile's first-stage files installed."""
    work = tmp_path_factory.mktemp("image")
    build_stage = stages()[0]
    context = work / "context"
    for source in build_stage.copied_sources():
        target = context / source
        if (ROOT / source).is_dir():
            shutil.copytree(ROOT / source, target, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / source, target)
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(work / "dist"), str(context)], work)
    _run([sys.executable, "-m", "venv", str(work / "venv")], work)
    wheels = [str(p) for p in (work / "dist").glob("*.whl")]
    assert len(wheels) == 1, wheels
    _run([str(work / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", *wheels], work)
    return work / "venv"


def _run(command: list[str], cwd: Path) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=_clean_env(), timeout=600)
    assert result.returncode == 0, f"{command[:4]} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything that would point Python or Wallboard at this source tree."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("WALLBOARD_", "PYTHON", "REDIS_", "PROMETHEUS_")) and k != "VIRTUAL_ENV"
    }
    return {**env, **extra}


@pytest.fixture
def final_stage() -> Stage:
    return stages()[-1]


@pytest.fixture
def started(
    venv: Path, final_stage: Stage, redis_server: RedisServer, free_port, tmp_path: Path
) -> Iterator[tuple[str, dict[str, str], subprocess.Popen]]:  # noqa: ANN001
    """The installed app started as the image starts it; yields its base URL, environment and process."""
    port = free_port()
    env = _clean_env(
        **{
            **final_stage.env(),
            "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
            "REDIS_URL": redis_server.url,
            "WALLBOARD_BIND": f"127.0.0.1:{port}",  # the image's 0.0.0.0:8050, on a free loopback port
            "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        }
    )
    command = final_stage.exec_form("CMD")
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [shutil.which(command[0], path=env["PATH"]) or command[0], *command[1:]],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.log_path = tmp_path / "serve.log"  # type: ignore[attr-defined]
    try:
        yield f"http://127.0.0.1:{port}", env, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        log.close()


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_ready(base: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline, status = time.monotonic() + seconds, None
    while time.monotonic() < deadline and process.poll() is None:
        status = _status(f"{base}/readyz")
        if status == 200:
            return
        time.sleep(0.3)
    log = process.log_path.read_text()[-3000:]  # type: ignore[attr-defined]
    pytest.fail(f"/readyz answered {status}, server exit code {process.poll()}; its log:\n{log}")


def test_img001_the_wheel_runs_without_the_source_tree(venv: Path, tmp_path: Path) -> None:
    code = "import dashboard, kpi, wallboard.server as s; print(dashboard.__file__); print(s.CONFIG_FILE)"
    where = _run([str(venv / "bin" / "python"), "-c", code], tmp_path).split()
    assert all(Path(p).is_relative_to(venv) for p in where), where
    assert Path(where[1]).is_file() and (Path(where[0]).parent / "assets" / "kiosk.css").is_file()


def test_img002_the_dockerfile_cmd_answers_readyz_over_redis(started) -> None:  # noqa: ANN001
    base, _env, process = started
    _wait_ready(base, process)


def test_img003_the_dockerfile_healthcheck_passes(started, final_stage: Stage) -> None:  # noqa: ANN001
    base, env, process = started
    _wait_ready(base, process)
    check = final_stage.exec_form("HEALTHCHECK")
    python = shutil.which(check[0], path=env["PATH"])
    assert python is not None and Path(python).parent == Path(env["PATH"].split(os.pathsep)[0])
    assert subprocess.run([python, *check[1:]], env=env, timeout=30).returncode == 0


def test_img004_the_installed_app_serves_its_packaged_assets(started) -> None:  # noqa: ANN001
    base, _env, process = started
    _wait_ready(base, process)
    assert _status(f"{base}/assets/kiosk.css") == 200


def test_img005_sigterm_stops_the_server_cleanly(started) -> None:  # noqa: ANN001
    base, _env, process = started
    _wait_ready(base, process)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=40) == 0
