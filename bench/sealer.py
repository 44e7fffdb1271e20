"""Ingest while the sealer runs: POST /api/v1/consents throughput with `flask consent
sealer` working on the same database, against the floor measured in the same run: the
same ingest with no sealer. Rounds alternate, so drift hits both alike; before each
sealed round the backlog is sealed, so the sealer keeps up with live ingest as it would
in production (gunicorn, 2 sync workers, SQLite WAL).

    .venv/bin/python bench/sealer.py [--seconds 10] [--rounds 2] [--batch-size 200]

Goal (issue 5): ingest with the sealer running keeps >= 90 % of ingest without it.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from ingest import free_port, prepare_database, report, request_factory, start_gunicorn  # noqa: E402
from loadgen import LoadResult, run_load  # noqa: E402


def flask(env: dict[str, str], *args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "consent_app", "consent", *args]


def seal_backlog(env: dict[str, str]) -> str:
    return subprocess.run(
        flask(env, "seal"), env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--interval", type=float, default=1.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "ours.db"
        prepare_database(database)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "RECEIPT_SIGNING_KEY": secrets.token_hex(32),
            "SECRET_KEY": secrets.token_hex(32),
            "CONSENT_RATE_LIMIT": "100000000 per minute",
        }
        port = free_port()
        server = start_gunicorn("consent_app:create_app()", port, env)
        results: dict[str, list[LoadResult]] = {"without": [], "with": []}
        try:
            run_load(port, request_factory, concurrency=args.concurrency, seconds=1)
            for _ in range(args.rounds):
                results["without"].append(
                    run_load(
                        port, request_factory, concurrency=args.concurrency, seconds=args.seconds
                    )
                )
                seal_backlog(env)
                sealer = subprocess.Popen(
                    flask(
                        env,
                        "sealer",
                        "--batch-size",
                        str(args.batch_size),
                        "--interval",
                        str(args.interval),
                    ),
                    env=env,
                    cwd=ROOT,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                # Measure the sealer at work, not its start-up (imports cost a CPU-second).
                sealer.stderr.readline()  # type: ignore[union-attr]
                try:
                    results["with"].append(
                        run_load(
                            port,
                            request_factory,
                            concurrency=args.concurrency,
                            seconds=args.seconds,
                        )
                    )
                finally:
                    sealer.send_signal(signal.SIGTERM)
                    sealer.communicate(timeout=30)
            last = seal_backlog(env)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)

    print(
        f"ingest with and without `flask consent sealer --batch-size {args.batch_size} "
        f"--interval {args.interval:g}`, gunicorn 2 sync workers, SQLite WAL, "
        f"concurrency {args.concurrency}, {args.rounds} x {args.seconds:g} s each"
    )
    without = report("alone", results["without"])
    sealed = report("sealer", results["with"])
    print(f"  after the run: {last}")
    print(f"  ratio with/without sealer: {sealed[0] / without[0]:.2f}   (goal >= 0.90)")


if __name__ == "__main__":
    main()
