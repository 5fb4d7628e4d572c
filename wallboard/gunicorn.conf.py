"""gunicorn settings of `wallboard serve` (and of the image): every value can be set from the environment.

`wallboard serve` reads this file, then applies its own ``--host``, ``--port`` and ``--workers`` when
given. An external gunicorn can use it too:
``gunicorn -c wallboard/gunicorn.conf.py 'dashboard.wsgi:create_server()'``.

| variable | default | |
|---|---|---|
| WALLBOARD_BIND | 0.0.0.0:8050 | address:port to listen on |
| WALLBOARD_WORKERS | 2 | worker processes (each with its own Redis client and circuit breaker) |
| WALLBOARD_THREADS | 4 | threads per worker for requests (kiosk polls are short and wait on Redis) |
| WALLBOARD_STREAMS | 256 | kiosk streams per worker (each holds a thread of its own; 0: TVs poll) |
| WALLBOARD_STREAM_SECONDS | 600 | a kiosk stream's lifetime (±10 %); the TV then reconnects |
| WALLBOARD_TIMEOUT | 30 | seconds a silent worker may run before the master restarts it |
| WALLBOARD_GRACEFUL_TIMEOUT | 20 | seconds a worker has to finish its requests after SIGTERM |
| WALLBOARD_KEEPALIVE | 5 | seconds a keep-alive connection waits for its next request |
| WALLBOARD_ACCESS_LOG | - | where the access log goes: ``-`` (stdout), a file path, or ``off`` |
| WALLBOARD_MAX_REQUESTS | 0 | restart a worker after this many requests (0: never) |
| PROMETHEUS_MULTIPROC_DIR | a new temporary directory | where workers keep the /metrics they share |
| WALLBOARD_LOG_LEVEL | INFO | DEBUG, INFO, WARNING or ERROR, for the app's and gunicorn's logs |
| WALLBOARD_FORWARDED_ALLOW_IPS | 127.0.0.1 | proxies trusted for X-Forwarded-* (``*`` behind a private LB) |

A worker runs ``WALLBOARD_THREADS + WALLBOARD_STREAMS`` threads: a kiosk stream holds one for its life, and
a worker whose streams are all taken answers a new one 503 at once (the TV polls meanwhile), so the
``WALLBOARD_THREADS`` others always serve pages and polls. On SIGTERM every stream ends at once (the TVs
reconnect to another worker with what they have seen); the rest of the graceful timeout is for requests.
"""

import glob
import logging
import os
import shutil
import signal
import tempfile

from wallboard.logs import gunicorn_logconfig, level_from_env


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


bind = [_env("WALLBOARD_BIND", "0.0.0.0:8050")]
workers = int(_env("WALLBOARD_WORKERS", "2"))
streams = int(_env("WALLBOARD_STREAMS", "256"))
threads = int(_env("WALLBOARD_THREADS", "4")) + streams
worker_connections = max(1000, 2 * threads)
worker_class = "gthread"
timeout = int(_env("WALLBOARD_TIMEOUT", "30"))
graceful_timeout = int(_env("WALLBOARD_GRACEFUL_TIMEOUT", "20"))
keepalive = int(_env("WALLBOARD_KEEPALIVE", "5"))
max_requests = int(_env("WALLBOARD_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
forwarded_allow_ips = _env("WALLBOARD_FORWARDED_ALLOW_IPS", "127.0.0.1")
_access = _env("WALLBOARD_ACCESS_LOG", "-")
accesslog = None if _access.lower() in ("off", "none", "0") else _access
loglevel = logging.getLevelName(level_from_env()).lower()
logconfig_dict = gunicorn_logconfig(accesslog)  # one JSON line per event (wallboard/logs.py)
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
control_socket_disable = True  # gunicorn 27's control socket in $HOME: not used, and the image has no home


_made_metrics_dir: list[str] = []


def on_starting(server) -> None:  # noqa: ANN001 - gunicorn's Arbiter
    """Give the workers an empty metrics directory to share (set before any worker imports the metrics)."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not path:
        path = tempfile.mkdtemp(prefix="wallboard-metrics-")
        _made_metrics_dir.append(path)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = path
    os.makedirs(path, exist_ok=True)
    for stale in glob.glob(os.path.join(path, "*.db")):
        os.remove(stale)


def post_worker_init(worker) -> None:  # noqa: ANN001 - gunicorn's Worker
    """End the worker's kiosk streams at once on SIGTERM (gunicorn's graceful shutdown waits on them)."""
    from dashboard.services.kiosk.stream import stop_all

    previous = signal.getsignal(signal.SIGTERM)

    def on_term(number: int, frame) -> None:  # noqa: ANN001 - a stack frame
        stop_all()
        if callable(previous):
            previous(number, frame)

    signal.signal(signal.SIGTERM, on_term)


def child_exit(server, worker) -> None:  # noqa: ANN001 - gunicorn's Arbiter and Worker
    """Drop an exited worker's live gauges from /metrics (its counters stay counted)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:  # noqa: ANN001 - gunicorn's Arbiter
    """Remove the metrics directory `on_starting` made (one given in the environment is left)."""
    for path in _made_metrics_dir:
        shutil.rmtree(path, ignore_errors=True)
