"""bench/load.py: a short run against a real `wallboard serve` prints its figures and sees no errors.

The run takes a few seconds of load, plus the server's start (most of the test's time on a busy machine).
"""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench._load_events import MARKER_CYCLE, MARKER_HEAD_START, reflected
from bench._load_tv import patched
from dashboard.services.kiosk.wire import PATCH, smallest

ROOT = Path(__file__).resolve().parent.parent
FIGURES = (
    "messages and polls:",
    "errors:",
    "lateness beyond due: p50",
    "bytes per TV-hour:",
    "server CPU:",
    "generator CPU:",
    "push -> visible on a TV: p50",
    "streams refused or broken in the window: 0",
    "manager callbacks:",
    "latency p95 < 100 ms:",
    "<= 1 MB per TV-hour:",
    "push -> visible p95 < 3 s:",
    "<= 1 ms server CPU per TV per refresh:",
)


@pytest.fixture(scope="module")
def short_run() -> str:
    """The output of a 4-second load run: 5 TVs, 1 manager, 2 events/s, no history."""
    command = [sys.executable, "-m", "bench.load", "--tvs", "5", "--managers", "1", "--seconds", "4"]
    result = subprocess.run(
        [*command, "--days", "0", "--think", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_bload001_a_short_run_prints_every_figure_and_goal(short_run: str) -> None:
    missing = [figure for figure in FIGURES if figure not in short_run]
    assert not missing, short_run


def test_bload002_a_short_run_sees_no_errors(short_run: str) -> None:
    polls = re.search(r"polls: (\d+) due, (\d+) served", short_run)
    assert polls and int(polls.group(2)) > 0, short_run
    assert re.search(r"^errors: 0 of the TVs, 0 of pushes and managers$", short_run, re.MULTILINE), short_run
    assert re.search(r"manager callbacks: \d+ sent by 1/1 signed in, 0 failed", short_run), short_run


def test_bload003_tvs_recognise_the_marked_pushes(short_run: str) -> None:
    seen = re.search(r"\((\d+) TV x push pairs, (\d+) not seen\)", short_run)
    assert seen and int(seen.group(1)) > 0 and seen.group(2) == "0", short_run


def test_bload004_a_marker_figure_names_the_newest_push_that_made_it_across_a_wrap() -> None:
    first = MARKER_HEAD_START + 1
    assert reflected(first + 5, newest_sent=7) == 5
    assert reflected(first + 5, newest_sent=MARKER_CYCLE + 9) == MARKER_CYCLE + 5
    assert reflected(first, newest_sent=MARKER_CYCLE + 2) == MARKER_CYCLE
    assert reflected(MARKER_HEAD_START, newest_sent=3) is None


def test_bload005_a_virtual_tv_turns_the_servers_patch_into_the_new_body() -> None:
    row = {"type": "Span", "namespace": "dash_html_components", "props": {"className": "wb-name"}}
    old = {"props": {"children": [dict(row, props={"children": f"Agent {i}"}) for i in range(20)]}}
    new = copy.deepcopy(old)
    new["props"]["children"][7]["props"]["children"] = "Beacon 12"
    patch = smallest(old, new)
    assert patch.get(PATCH) == PATCH
    assert patched(copy.deepcopy(old), patch) == new


def test_bload006_the_poll_transport_still_runs_for_comparison() -> None:
    command = [sys.executable, "-m", "bench.load", "--tvs", "3", "--managers", "0", "--seconds", "4"]
    command += ["--days", "0", "--transport", "poll"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240)
    polls = re.search(r"^polls: (\d+) due, (\d+) served", result.stdout, re.MULTILINE)
    assert "(poll)" in result.stdout and polls and int(polls.group(2)) > 0, result.stdout + result.stderr
