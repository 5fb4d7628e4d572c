"""Does a kiosk page's memory stay flat? Runs one TV in headless Chromium for N minutes with events streaming.

Usage: ``python -m bench.kiosk_heap [--minutes 10] [--every 30] [--screen floor] [--rate 2] [--days 7]``.

Starts its own redis-server, fills ``--days`` of the demo's simulated floor, serves the app in a thread,
writes ``--rate`` live events a second, opens ``/kiosk/<screen>`` in headless Chromium (/usr/bin/chromium
with /usr/bin/chromedriver) and prints, every ``--every`` seconds after a forced garbage collection, the JS
heap in use, the DOM nodes (all, and those in the page) and event listeners (DevTools' Performance
metrics), and the polls and bytes (as sent, compressed) the server sent that TV. A flat heap and node
count over the run is the goal; the figures of a busy shared machine are indicative.
"""

from __future__ import annotations

import argparse
import threading
import time
from datetime import datetime, timezone
from wsgiref.simple_server import WSGIRequestHandler, make_server

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from bench._redis import free_port, own_redis
from bench.kiosk_wire import backfill
from connectors.simulator import SimulatedFloor
from dashboard import create_app
from kpi.config import load_config
from kpi.config.settings import Settings
from kpi.ingest.pipeline import ingest_events
from kpi.store import RedisStore, make_redis
from tests.kiosk.kiosk_support import _ThreadedServer


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's signature
        return None


def stream(store: RedisStore, config, floor: SimulatedFloor, rate: float, stop: threading.Event) -> None:  # noqa: ANN001
    """Write the simulated floor's live events at about `rate` a second until `stop`."""
    pending: list = []
    while not stop.wait(1.0):
        while len(pending) < rate:
            pending.extend(floor.live(datetime.now(timezone.utc), 10))
        count = int(rate) if rate >= 1 else 1
        ingest_events(store, config, pending[:count])
        pending = pending[count:]


def browser() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1920,1080"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def metrics(driver: webdriver.Chrome) -> dict[str, float]:
    driver.execute_cdp_cmd("HeapProfiler.collectGarbage", {})
    found = driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
    in_page = driver.execute_script("return document.getElementsByTagName('*').length;")
    return {**{m["name"]: m["value"] for m in found}, "InPage": in_page}


def run(args: argparse.Namespace, url: str) -> None:
    config = load_config(None)
    store = RedisStore(make_redis(url), "heap")
    floor = SimulatedFloor(config.zone)
    backfill(store, config, floor, args.days, datetime.now(timezone.utc))
    app = create_app(Settings(), config=config, store=store)
    sent = {"polls": 0, "bytes": 0}
    inner = app.server.wsgi_app

    def counted(environ, start_response):  # noqa: ANN001, ANN202 - WSGI
        """Count the poll's bytes as they leave, after compression."""
        chunks = inner(environ, start_response)
        if not environ.get("PATH_INFO", "").startswith("/_kiosk/poll/"):
            return chunks
        body = b"".join(chunks)
        sent["polls"] += 1
        sent["bytes"] += len(body)
        return [body]

    app.server.wsgi_app = counted
    server = make_server(
        "127.0.0.1", free_port(), app.server, server_class=_ThreadedServer, handler_class=_Quiet
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = threading.Event()
    threading.Thread(target=stream, args=(store, config, floor, args.rate, stop), daemon=True).start()
    driver = browser()
    try:
        driver.execute_cdp_cmd("Performance.enable", {})
        driver.get(f"http://127.0.0.1:{server.server_port}/kiosk/{args.screen}")
        time.sleep(5)
        started = time.monotonic()
        print("minute  JS heap used (MB)  DOM nodes  in the page  listeners  polls  bytes sent")
        while True:
            m = metrics(driver)
            minute = (time.monotonic() - started) / 60
            print(
                f"{minute:6.1f}  {m['JSHeapUsedSize'] / 1e6:17.2f}  {m['Nodes']:9.0f}  {m['InPage']:11d}"
                f"  {m['JSEventListeners']:9.0f}  {sent['polls']:5d}  {sent['bytes']:10,d}",
                flush=True,
            )
            if minute >= args.minutes:
                break
            time.sleep(args.every)
    finally:
        stop.set()
        driver.quit()
        server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--every", type=float, default=30, help="seconds between samples")
    parser.add_argument("--screen", default="floor")
    parser.add_argument("--rate", type=float, default=2.0, help="events a second")
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--redis-url", default=None)
    args = parser.parse_args()
    with own_redis(args.redis_url) as url:
        run(args, url)


if __name__ == "__main__":
    main()
