"""Dashboard benchmark: the overview page, which reads the rollups, against a direct
GROUP BY over the raw consent_records table (the floor), in the same run, on SQLite and
on PostgreSQL, after seeding N decisions with `seed-demo --records` (default 1,000,000).

    .venv/bin/python bench/dashboard.py [--records 1000000] [--requests 40]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/SCRATCH_DB]

The PostgreSQL database given is emptied first. Each overview request is a full request
through the app (routing, sign-in session, queries, SVG and table rendering) for the
default view: 90 days, broken down by day; country is measured too. The floor counts the
same decisions per day and action straight from consent_records. Prints p50 and p95 of
each, and the ratio overview p95 / GROUP BY p95 (below 1: the page answers faster than
one raw aggregate would). Goal (issue 6): overview p95 < 300 ms at 1M decisions.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402

from consent_app import create_app  # noqa: E402
from consent_app.demo.history import seed_history  # noqa: E402
from consent_app.demo.seed import seed_demo  # noqa: E402
from consent_app.extensions import db  # noqa: E402
from consent_app.models import ConsentRecord  # noqa: E402
from consent_app.services.accounts.users import create_user  # noqa: E402
from consent_app.services.stats.rollups import day_of  # noqa: E402

ORIGIN = "http://127.0.0.1:8000"
PASSWORD = "bench-password-0123456789"
DAYS = 90


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def make_app(url: str) -> Flask:
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-secret-key-0123456789abcdef0123",
            "RECEIPT_SIGNING_KEY": "bench-receipt-key-0123456789abcdef012",
            "WTF_CSRF_ENABLED": False,  # the bench signs in by posting the form directly
            "RATELIMIT_ENABLED": False,
        }
    )


def seed(app: Flask, records: int) -> float:
    with app.app_context():
        upgrade()
        site = seed_demo([ORIGIN])
        create_user("marketer@bench.example", PASSWORD, "marketer")
        started = time.perf_counter()
        seed_history(
            site,
            records=records,
            days=DAYS,
            origin=ORIGIN,
            signing_key=app.config["RECEIPT_SIGNING_KEY"],
        )
        seconds = time.perf_counter() - started
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as conn:  # what a long-running server's reads see
                conn.exec_driver_sql("ANALYZE")
        else:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        db.session.remove()
    return seconds


def timed(run, times: int) -> list[float]:
    run()  # warm: caches, pools, compiled templates
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def measure(app: Flask, requests: int) -> dict[str, list[float]]:
    end = datetime.now(UTC).date()
    start = end - timedelta(days=DAYS - 1)
    client = app.test_client()
    client.post("/auth/login", data={"email": "marketer@bench.example", "password": PASSWORD})
    query = {"site": "demo", "start": start.isoformat(), "end": end.isoformat()}

    def overview(by: str):
        def run() -> None:
            response = client.get("/dashboard/", query_string={**query, "by": by})
            assert response.status_code == 200, response.status_code

        return run

    def group_by() -> None:
        with app.app_context():
            day = day_of(ConsentRecord.created_at)
            opened = datetime.combine(start, datetime.min.time(), UTC)
            closed = datetime.combine(end + timedelta(days=1), datetime.min.time(), UTC)
            rows = db.session.execute(
                select(day, ConsentRecord.action, func.count())
                .where(ConsentRecord.site_id == 1)
                .where(ConsentRecord.created_at >= opened, ConsentRecord.created_at < closed)
                .group_by(day, ConsentRecord.action)
            ).all()
            assert rows
            db.session.remove()

    return {
        "overview by day": timed(overview("day"), requests),
        "overview by country": timed(overview("country"), requests),
        "direct GROUP BY": timed(group_by, max(5, requests // 4)),
    }


def bench(name: str, url: str, records: int, requests: int) -> None:
    app = make_app(url)
    seconds = seed(app, records)
    print(f"{name}: seeded {records:,} decisions in {seconds:.1f} s")
    results = measure(app, requests)
    for label, samples in results.items():
        print(
            f"  {label:<20} p50 {statistics.median(samples):8.1f} ms   "
            f"p95 {p95(samples):8.1f} ms   ({len(samples)} runs)"
        )
    ours, floor = p95(results["overview by day"]), p95(results["direct GROUP BY"])
    verdict = "meets" if ours < 300 else "MISSES"
    print(
        f"  ratio overview p95 / GROUP BY p95: {ours / floor:.3f}   "
        f"(overview {verdict} the 300 ms goal)"
    )
    with app.app_context():
        db.engine.dispose()


def empty_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--postgres", help="URL of a scratch PostgreSQL database (emptied)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench("SQLite", f"sqlite:///{Path(tmp) / 'dashboard.db'}", args.records, args.requests)
    if args.postgres:
        empty_postgres(args.postgres)
        bench("PostgreSQL", args.postgres, args.records, args.requests)
    else:
        print("PostgreSQL: skipped (pass --postgres URL of a scratch database)")


if __name__ == "__main__":
    main()
