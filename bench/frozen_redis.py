"""How long each route class takes to answer while Redis is frozen (SIGSTOP), and after it thaws.

    python -m bench.frozen_redis            # the web app's client (deadlines, breaker)
    python -m bench.frozen_redis --patient  # also the sync workers' patient client, for comparison (slow)

Prints seconds per request for a push, a leaderboard, the health check and a kiosk poll, three rounds
while frozen, then the first round after SIGCONT.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import tempfile
import time
from datetime import datetime, timezone

from bench._redis import start_redis
from dashboard import create_app
from kpi.config import load_config
from kpi.config.settings import Settings
from kpi.store import RedisStore, make_redis
from tests.kiosk.dash_client import DashClient, find_store

PUSH = {"Authorization": "Bearer push", "Content-Type": "application/json"}
READ = {"Authorization": "Bearer read"}


def _event(serial: int) -> str:
    return json.dumps(
        {
            "source": "bench",
            "id": str(serial),
            "type": "ticket_solved",
            "agent_id": "a1",
            "occurred_at": datetime.now(timezone.utc).isoformat(),
        }
    )


def _round(client, tv: DashClient, meta: dict, seen: dict, serial: int) -> dict[str, tuple[int, float]]:  # noqa: ANN001
    timings: dict[str, tuple[int, float]] = {}
    calls = {
        "push": lambda: client.post("/api/v1/events", data=_event(serial), headers=PUSH).status_code,
        "leaderboard": lambda: (
            client.get("/api/v1/leaderboard?metric=tickets_solved", headers=READ).status_code
        ),
        "health": lambda: client.get("/api/v1/health").status_code,
        "kiosk poll": lambda: tv.poll(meta, {**seen, "v": -1}, views=len(seen.get("d", [])) or 1)[0],
    }
    for name, call in calls.items():
        started = time.perf_counter()
        status = call()
        timings[name] = (status, time.perf_counter() - started)
    return timings


def _measure(url: str, patient: bool) -> None:
    config = load_config()
    settings = Settings(redis_url=url, ingest_token="push", api_token="read")
    store = RedisStore(make_redis(url)) if patient else None
    app = create_app(settings, config=config, store=store)
    client = app.server.test_client()
    tv = DashClient(client)
    _, body = tv.page("/kiosk/floor")
    layout = json.loads(body)["response"]["_pages_content"]["children"]
    meta, seen = find_store(layout, "kiosk-meta"), find_store(layout, "kiosk-seen")
    process_pid = int(make_redis(url).info("server")["process_id"])
    label = "patient client (sync workers)" if patient else "web client (deadline + breaker)"
    print(f"\n{label}: seconds per request")
    os.kill(process_pid, signal.SIGSTOP)
    try:
        for number in range(3):
            _print(f"frozen #{number + 1}", _round(client, tv, meta, seen, number))
    finally:
        os.kill(process_pid, signal.SIGCONT)
    time.sleep(2.1)
    _print("thawed", _round(client, tv, meta, seen, 99))


def _print(label: str, timings: dict[str, tuple[int, float]]) -> None:
    cells = "  ".join(f"{name} {status} {seconds:6.2f}" for name, (status, seconds) in timings.items())
    print(f"  {label:10} {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patient", action="store_true", help="also measure the patient client (minutes)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        process, url = start_redis(workdir)
        try:
            _measure(url, patient=False)
            if args.patient:
                _measure(url, patient=True)
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
