"""Ingest benchmark: our POST /api/v1/consents against a bare Flask handler doing the same
insert (the floor), both under gunicorn with 2 sync workers on SQLite (WAL), driven by
the same load generator in the same run. Prints req/s, p50, p99 and the ratio ours/bare.

    .venv/bin/python bench/ingest.py [--seconds 10] [--concurrency 4] [--rounds 2]

Goal (issue 3): ratio >= 0.8 and our p99 under 20 ms on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from loadgen import LoadResult, http_post, run_load  # noqa: E402

ORIGIN = "https://bench.example"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def add_bench_site() -> tuple[int, int]:
    """The `bench` site and its policy version "1" (in an app context); their ids."""
    from consent_app.extensions import db
    from consent_app.models import AllowedOrigin, Category, Site
    from consent_app.services.sites.policies import publish

    site = Site(key="bench", name="Bench AS")
    site.origins = [AllowedOrigin(origin=ORIGIN)]
    site.categories = [
        Category(slug=s, position=i)
        for i, s in enumerate(("necessary", "functionality", "advertising"))
    ]
    db.session.add(site)
    db.session.commit()
    policy = publish(site, "1", major=True)
    return site.id, policy.id


def prepare_database(path: Path) -> tuple[int, int]:
    from flask_migrate import upgrade

    from consent_app import create_app
    from consent_app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        upgrade()
        ids = add_bench_site()
        db.session.remove()
        db.engine.dispose()
    return ids


def start_gunicorn(target: str, port: int, env: dict[str, str]) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "2",
            "-k",
            "sync",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            target,
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"gunicorn {target} did not start")


def request_factory() -> bytes:
    body = json.dumps(
        {
            "site": "bench",
            "subject_id": secrets.token_urlsafe(16),
            "choices": {"functionality": True, "advertising": False},
            "action": "custom",
            "policy_version": "1",
            "language": "nb",
            "page": ORIGIN + "/products/a?utm=1",
            "gpc": False,
        }
    ).encode()
    return http_post("/api/v1/consents", body, {"Origin": ORIGIN, "User-Agent": "bench/1.0"})


def report(name: str, results: list[LoadResult]) -> tuple[float, float, float]:
    requests = sum(r.requests for r in results)
    seconds = sum(r.seconds for r in results)
    merged = LoadResult(
        requests,
        sum(r.errors for r in results),
        seconds,
        [x for r in results for x in r.latencies_ms],
    )
    print(
        f"  {name:<6} {merged.rps:8.1f} req/s   p50 {merged.p50:6.2f} ms   "
        f"p99 {merged.p99:6.2f} ms   ({requests} ok, {merged.errors} errors)"
    )
    return merged.rps, merged.p50, merged.p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        ours_db, bare_db = Path(tmp) / "ours.db", Path(tmp) / "bare.db"
        prepare_database(ours_db)
        site_id, policy_id = prepare_database(bare_db)
        base_env = {
            **os.environ,
            "RECEIPT_SIGNING_KEY": secrets.token_hex(32),
            "SECRET_KEY": secrets.token_hex(32),
            # One client address sends everything here; keep the limiter on but high.
            "CONSENT_RATE_LIMIT": "100000000 per minute",
        }
        servers = {
            "ours": (
                "consent_app:create_app()",
                {**base_env, "DATABASE_URL": f"sqlite:///{ours_db}"},
            ),
            "bare": (
                "bench.bare_app:create_bare_app()",
                {
                    **base_env,
                    "DATABASE_URL": f"sqlite:///{bare_db}",
                    "BENCH_SITE_ID": str(site_id),
                    "BENCH_POLICY_ID": str(policy_id),
                },
            ),
        }
        ports = {name: free_port() for name in servers}
        processes = {
            name: start_gunicorn(target, ports[name], env)
            for name, (target, env) in servers.items()
        }
        try:
            for name in servers:  # warm up: imports, first connections, page cache
                run_load(ports[name], request_factory, concurrency=args.concurrency, seconds=1)
            results: dict[str, list[LoadResult]] = {name: [] for name in servers}
            for _ in range(args.rounds):  # interleaved, so drift hits both alike
                for name in servers:
                    results[name].append(
                        run_load(
                            ports[name],
                            request_factory,
                            concurrency=args.concurrency,
                            seconds=args.seconds,
                        )
                    )
        finally:
            for process in processes.values():
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=10)

    print(
        f"ingest, gunicorn 2 sync workers, SQLite WAL, concurrency {args.concurrency}, "
        f"{args.rounds} x {args.seconds:g} s each"
    )
    ours = report("ours", results["ours"])
    bare = report("bare", results["bare"])
    print(f"  ratio ours/bare throughput: {ours[0] / bare[0]:.2f}   (goal >= 0.80)")
    print(
        f"  our p99: {ours[2]:.2f} ms (goal < 20 ms); p99 ratio ours/bare {ours[2] / bare[2]:.2f}"
    )


if __name__ == "__main__":
    main()
