"""Export benchmark: streaming 1,000,000 sealed receipts as JSONL (signed tree head, each
receipt's canonical claims and inclusion proof), against the floor measured in the same
run: a raw DB-API cursor dump of the same rows and columns, in log order, with no proofs
and no JSON. Each side runs in its own process; both report rows/s and peak RSS, ours
also its RSS along the way (flat memory means the same at 10 % and at 100 %).

    .venv/bin/python bench/export.py [--count 1000000] [--database-url URL]

Goal (issue 5): >= 50,000 rows/s with flat memory.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from receipts_data import (  # noqa: E402
    BENCH_KEY,
    current_rss_mib,
    database_for_sides,
    peak_rss_mib,
    run_side,
)

COLUMNS = "receipt_id, log_index, leaf_hash, receipt, ed25519_kid, ed25519_signature, erasure_id"


def floor(url: str) -> dict[str, float]:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    connection = engine.raw_connection()
    server_side = {"name": "dump"} if url.startswith("postgresql") else {}
    cursor = connection.cursor(**server_side)
    rows = 0
    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        cursor.execute(f"SELECT {COLUMNS} FROM consent_records ORDER BY log_index")
        while batch := cursor.fetchmany(2000):
            sink.write("".join("\t".join(map(str, row)) + "\n" for row in batch))
            rows += len(batch)
    seconds = time.perf_counter() - started
    connection.close()
    return {"rows": rows, "seconds": seconds, "peak_rss_mib": peak_rss_mib()}


def ours(url: str) -> dict[str, object]:
    from consent_app import create_app
    from consent_app.services.ledger.exports import export_jsonl
    from consent_app.services.ledger.search import ReceiptQuery

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RECEIPT_SIGNING_KEY": BENCH_KEY})
    samples = []
    rows = 0
    with app.app_context(), open(os.devnull, "w") as sink:
        started = time.perf_counter()
        for chunk in export_jsonl(ReceiptQuery()):
            sink.write(chunk)
            rows += chunk.count("\n")
            if rows // 100_000 > len(samples):
                samples.append(round(current_rss_mib(), 1))
        seconds = time.perf_counter() - started
    return {
        "rows": rows - 1,  # the tree head line
        "seconds": seconds,
        "peak_rss_mib": peak_rss_mib(),
        "rss_every_100k_rows_mib": samples,
    }


def main() -> None:
    url = database_for_sides(__doc__, ours=ours, floor=floor)
    if url is None:
        return
    run_side(__file__, "floor", url)  # warm the page cache for both
    bare = run_side(__file__, "floor", url)
    mine = run_side(__file__, "ours", url)
    bare_rate = bare["rows"] / bare["seconds"]
    our_rate = mine["rows"] / mine["seconds"]
    print(f"export of {mine['rows']:,} sealed receipts, {url.split(':')[0]}")
    print(
        f"  floor (raw cursor dump) {bare_rate:10,.0f} rows/s  "
        f"peak RSS {bare['peak_rss_mib']:.0f} MiB"
    )
    print(
        f"  ours  (JSONL + proofs)  {our_rate:10,.0f} rows/s  "
        f"peak RSS {mine['peak_rss_mib']:.0f} MiB  "
        f"(RSS every 100k rows: {mine['rss_every_100k_rows_mib']})"
    )
    print(f"  ratio ours/floor: {our_rate / bare_rate:.2f}   (goal: ours >= 50,000 rows/s)")


if __name__ == "__main__":
    main()
