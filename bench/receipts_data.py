"""Fill a database with many real, sealed receipts fast, for the ledger benchmarks.

Every receipt is made by the same code as ingest (claims, canonical JSON, HMAC token,
leaf hash; Ed25519 for a sample when a key is given), but rows, log positions, stored
subtree hashes and one signed tree head are written with bulk Core inserts instead of
one request and one seal at a time.

    .venv/bin/python bench/receipts_data.py --count 1000000 --database-url sqlite:////tmp/r.db
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from ingest import ORIGIN, add_bench_site  # noqa: E402

BENCH_KEY = "bench-receipt-key-0123456789abcdef0123"
BATCH = 20_000


def create(database_url: str, count: int, *, ed25519_every: int = 0, keys: str = "") -> None:
    from flask_migrate import upgrade

    from consent_app import create_app
    from consent_app.extensions import db
    from consent_app.models import ConsentRecord, LogHash
    from consent_app.services.ledger.ids import new_receipt_id
    from consent_app.services.ledger.ingest import record_row, sign_decision
    from consent_app.services.ledger.log import signed_head
    from consent_app.services.ledger.merkle import Frontier, stored_index
    from consent_app.services.sites.profiles import site_profile
    from consent_app.signing import keyring

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RECEIPT_SIGNING_KEY": BENCH_KEY,
            "RECEIPT_ED25519_KEYS": keys,
        }
    )
    with app.app_context():
        upgrade()
        add_bench_site()
        profile = site_profile("bench")
        policy = profile.policy("1")
        ring = keyring()
        no_keys = type(ring)([])
        frontier = Frontier()
        started = time.perf_counter()
        first = datetime(2026, 1, 1, tzinfo=UTC)
        connection = db.session.connection()
        records, hashes = [], []
        for i in range(count):
            created = first + timedelta(milliseconds=37 * i)
            granted = ["necessary", "functionality"] if i % 3 else ["necessary"]
            denied = ["advertising"] if i % 3 else ["functionality", "advertising"]
            facts = {
                "receipt_id": new_receipt_id(int(created.timestamp() * 1000)),
                "subject_id": f"bench{i:015d}",
                "action": "custom" if i % 3 else "reject_all",
                "granted": granted,
                "denied": denied,
                "gpc": i % 10 == 0,
                "language": ("nb", "nn", "en")[i % 3],
                "country": "NO",
                "device_class": ("desktop", "mobile")[i % 2],
                "origin": ORIGIN,
                "path": f"/products/{i % 500}",
                "created_at": created,
                "expires_at": created + timedelta(days=182),
            }
            signer = ring if ed25519_every and i % ed25519_every == 0 else no_keys
            signed = sign_decision(profile, policy, facts, BENCH_KEY, signer)
            records.append({**record_row(profile, policy, facts, signed), "log_index": i})
            hashes.extend(
                {"id": stored_index(level, index), "hash": digest}
                for level, index, digest in frontier.append(signed.leaf_hash)
            )
            if len(records) == BATCH:
                insert_rows(connection, ConsentRecord.__table__, records)
                insert_rows(connection, LogHash.__table__, hashes)
                records, hashes = [], []
        if records:
            insert_rows(connection, ConsentRecord.__table__, records)
            insert_rows(connection, LogHash.__table__, hashes)
        db.session.add(
            signed_head(frontier.size, frontier.root(), datetime.now(UTC), BENCH_KEY, ring)
        )
        db.session.commit()
        print(
            f"  made {count} sealed receipts in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        db.session.remove()
        db.engine.dispose()


def insert_rows(connection: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    """Multi-row INSERT ... VALUES statements of 1,000 rows. An executemany would send one
    statement per row, and PostgreSQL fires the rollup triggers once per statement."""
    from sqlalchemy import insert

    for start in range(0, len(rows), 1000):
        connection.execute(insert(table).values(rows[start : start + 1000]))


def default_url(count: int) -> str:
    """A SQLite file kept between runs (making a million receipts takes minutes)."""
    return f"sqlite:///{tempfile.gettempdir()}/samtykke-bench-{count}.db"


def ensure(database_url: str | None, count: int) -> str:
    """The database URL, holding exactly `count` sealed receipts (made if it does not).
    Unsealed rows (say, from `seed-demo --records`) do not count: proofs need positions."""
    from sqlalchemy import create_engine, text

    url = database_url or default_url(count)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            have, sealed = connection.execute(
                text("SELECT count(*), count(log_index) FROM consent_records")
            ).one()
    except Exception:  # no such table yet: a fresh database
        have = sealed = None
    finally:
        engine.dispose()
    if have == sealed == count:
        return url
    if have:
        raise SystemExit(
            f"{url} holds {have} receipts ({sealed} sealed), not {count} sealed ones: "
            "give an empty database"
        )
    print(f"making {count} receipts in {url} (kept for the next run) ...", file=sys.stderr)
    create(url, count)
    return url


def peak_rss_mib() -> float:
    """This process's peak resident memory (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def run_side(script: str, side: str, url: str) -> dict[str, Any]:
    """Run one side of a benchmark in its own process (so peak RSS is its own)."""
    output = subprocess.run(
        [sys.executable, script, "--child", side, "--database-url", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(output.splitlines()[-1])
    return result


def database_for_sides(
    description: str | None,
    *,
    ours: Callable[[str], dict[str, Any]],
    floor: Callable[[str], dict[str, Any]],
) -> str | None:
    """Parse the options every 1M-receipt benchmark takes. In a child process (started by
    run_side) run that side, print its JSON result and return None; in the parent,
    return the URL of a database holding the receipts."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--database-url", help="default: a SQLite file kept in the temp dir")
    parser.add_argument("--child", choices=["ours", "floor"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps((ours if args.child == "ours" else floor)(args.database_url)))
        return None
    return ensure(args.database_url, args.count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    args = parser.parse_args()
    create(args.database_url, args.count)


if __name__ == "__main__":
    main()
