"""Rate limits are global: two gunicorn worker processes sharing one Redis accept, together,
exactly the limit from one client. Production refuses the per-process memory:// store when
more than one worker serves (tests/test_config.py); this shows the Redis store it asks for
does what it is there for."""

from __future__ import annotations

import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from consent_app.config import PROJECT_ROOT
from consent_app.services.ledger.keys import generate_key

REDIS = ("127.0.0.1", 6379)
LIMIT = 5
POSTS = 24
DEADLINE_SECONDS = 20  # gunicorn boots two workers in a few seconds; never hang CI


def redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def free_port() -> int:
    """A free port below 32768 on loopback (gunicorn cannot bind port 0 and tell us which
    port it got); found by binding it first."""
    for port in random.sample(range(20000, 32768), 50):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below 32768 on 127.0.0.1")


def status_of(url: str, method: str = "GET") -> int:
    data = b"{}" if method == "POST" else None
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json"}, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as answer:
        return int(answer.code)
    except OSError:  # not listening yet
        return 0


def workers_that_answered(access_log: Path, method: str) -> set[str]:
    text = access_log.read_text() if access_log.exists() else ""
    return set(re.findall(rf"<(\d+)> {method} ", text))


def wait_for_both_workers(url: str, access_log: Path, server: subprocess.Popen[bytes]) -> None:
    """Until each worker has answered a request of its own (each loads the app itself)."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    with ThreadPoolExecutor(max_workers=4) as pool:
        while len(workers_that_answered(access_log, "GET")) < 2:
            assert server.poll() is None, f"gunicorn exited with {server.returncode}"
            assert time.monotonic() < deadline, "gunicorn's two workers did not answer in time"
            list(pool.map(status_of, [url] * 8))
            time.sleep(0.05)


@pytest.mark.skipif(not redis_answers(), reason="no Redis answers on 127.0.0.1:6379 (CI has one)")
def test_two_gunicorn_workers_sharing_redis_accept_the_limit_once(tmp_path: Path) -> None:
    port = free_port()
    prefix = f"samtykke-test-{secrets.token_hex(8)}"  # parallel runs count separately
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"FLASK_ENV", "RATELIMIT_ENABLED"}},
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "RECEIPT_SIGNING_KEY": secrets.token_urlsafe(48),
        "RECEIPT_ED25519_KEYS": generate_key()[1],
        "DATABASE_URL": f"sqlite:///{tmp_path / 'consent.db'}",
        "RATELIMIT_STORAGE_URI": f"redis://{REDIS[0]}:{REDIS[1]}",
        "RATELIMIT_KEY_PREFIX": prefix,
        "CONSENT_RATE_LIMIT": f"{LIMIT} per hour",
        "SERVICE_ORIGIN": f"http://127.0.0.1:{port}",
        # gunicorn takes its worker count from here, and the app reads the same variable.
        "WEB_CONCURRENCY": "2",
    }
    access_log = tmp_path / "access.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        "%(p)s %(m)s %(s)s",
        "consent_app:create_app()",
    ]
    with (tmp_path / "gunicorn.log").open("wb") as errors:
        server = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=errors
        )
    try:
        wait_for_both_workers(f"http://127.0.0.1:{port}/healthz", access_log, server)
        url = f"http://127.0.0.1:{port}/api/v1/consents"
        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses = list(pool.map(lambda u: status_of(u, "POST"), [url] * POSTS))
    finally:
        os.kill(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
            server.wait()
    counts = Counter(statuses)
    assert counts[429] == POSTS - LIMIT, counts
    assert not [status for status in statuses if status >= 500 or status == 0], counts
    served_by = workers_that_answered(access_log, "POST")
    assert len(served_by) == 2, f"both workers must have taken posts: {served_by}"
