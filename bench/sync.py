"""Benchmark: records/s of a 100k-ticket Zendesk export replayed through the connector into a real Redis.

Starts its own redis-server on a free port and a local HTTP server that serves the export in pages of
1,000 tickets (the vendor's shape, with users, groups and metric_sets sideloads), then times:
1. fetching and mapping alone (no store),
2. a first sync into an empty Redis,
3. a second sync over the same data (every upsert unchanged).

    python bench/sync.py [--records 100000] [--page-size 1000]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from bench._redis import start_redis
from connectors.core.runner import Runner
from connectors.vendors.zendesk import ZendeskOptions, ZendeskTickets
from kpi.config import load_config
from kpi.store import RedisStore, make_redis

START = datetime(2026, 11, 2, 8, tzinfo=UTC)


def build_pages(records: int, page_size: int) -> list[bytes]:
    """The export as encoded pages; the last one ends the stream."""
    rng = random.Random(7)
    users = [
        {
            "id": 1000 + i,
            "name": f"Agent {i}",
            "email": f"agent{i}@acme.test",
            "role": "agent",
            "default_group_id": 10 + i % 5,
        }
        for i in range(50)
    ]
    groups = [{"id": 10 + i, "name": f"Team {i}"} for i in range(5)]
    pages = []
    count = (records + page_size - 1) // page_size
    for number in range(count):
        tickets, metrics = [], []
        for ticket_id in range(number * page_size + 1, min(records, (number + 1) * page_size) + 1):
            updated = START + timedelta(seconds=ticket_id * 20)
            solved = rng.random() < 0.7
            score = rng.choice(["good", "good", "good", "bad", "unoffered"]) if solved else "unoffered"
            tickets.append(
                {
                    "id": ticket_id,
                    "status": "solved" if solved else "open",
                    "assignee_id": 1000 + rng.randrange(50),
                    "group_id": 10,
                    "requester_id": 5,
                    "subject": "Printer on fire",
                    "priority": "normal",
                    "type": "incident",
                    "tags": [],
                    "satisfaction_rating": {"id": ticket_id, "score": score, "comment": ""},
                    "created_at": (updated - timedelta(hours=3)).isoformat().replace("+00:00", "Z"),
                    "updated_at": updated.isoformat().replace("+00:00", "Z"),
                }
            )
            if solved:
                metrics.append(
                    {
                        "ticket_id": ticket_id,
                        "solved_at": updated.isoformat().replace("+00:00", "Z"),
                        "reply_time_in_minutes": {"calendar": rng.randrange(5, 300)},
                        "full_resolution_time_in_minutes": {"calendar": rng.randrange(30, 3000)},
                    }
                )
        last = number == count - 1
        pages.append(
            json.dumps(
                {
                    "tickets": tickets,
                    "users": users,
                    "groups": groups,
                    "metric_sets": metrics,
                    "after_cursor": f"p{number + 1}",
                    "end_of_stream": last,
                }
            ).encode()
        )
    return pages


def serve(pages: list[bytes]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            query = parse_qs(urlparse(self.path).query)
            index = int(query["cursor"][0][1:]) if "cursor" in query else 0
            body = pages[min(index, len(pages) - 1)]
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def connector(base_url: str) -> ZendeskTickets:
    options = ZendeskOptions(
        base_url=base_url,
        token_env="BENCH_TOKEN",
        email="bench@acme.test",
        start=START.date(),
        rate_per_second=1e6,
    )
    return ZendeskTickets("zendesk", options, {"token": "bench-token"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--page-size", type=int, default=1000)
    args = parser.parse_args()
    pages = build_pages(args.records, args.page_size)
    server = serve(pages)
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory() as workdir:
        process, url = start_redis(workdir)
        try:
            store = RedisStore(make_redis(url))
            config = load_config()
            print(
                f"replay: {args.records:,} tickets in {len(pages)} pages of {args.page_size}, "
                f"{sum(map(len, pages)) / 1e6:.1f} MB of JSON"
            )

            fetcher = connector(base_url)
            began = time.perf_counter()
            mapped = sum(len(page.events) for page in fetcher.fetch(None))
            elapsed = time.perf_counter() - began
            print(
                f"fetch+map only:       {elapsed:7.2f} s  {args.records / elapsed:9,.0f} records/s  "
                f"({mapped:,} events)"
            )

            for label in ("first sync (empty)", "second sync (same)"):
                runner = Runner(store, config)
                version = store.data_version()
                began = time.perf_counter()
                report = runner.run(connector(base_url), since=START)
                elapsed = time.perf_counter() - began
                stored = report.stored
                print(
                    f"{label + ':':21s} {elapsed:7.2f} s  {report.records / elapsed:9,.0f} records/s  "
                    f"{report.events / elapsed:9,.0f} events/s  status={report.status} pages={report.pages} "
                    f"new={stored.new} updated={stored.updated} unchanged={stored.unchanged} "
                    f"data_version +{store.data_version() - version}"
                )
            print(f"redis used_memory: {store.memory_bytes() / 1e6:.1f} MB")
        finally:
            process.terminate()
            process.wait()
            server.shutdown()


if __name__ == "__main__":
    main()
