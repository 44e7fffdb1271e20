"""verify-log benchmark over 1,000,000 sealed receipts, against the floor measured in the
same run: plain hashing of the same leaves, reading each stored receipt token, hashing
its canonical JSON as a leaf and folding the leaves into the Merkle root, with nothing
checked. Ours also checks every receipt against its fields, the log's copy of each leaf,
every stored subtree hash and every signed tree head.

    .venv/bin/python bench/verify_log.py [--count 1000000] [--database-url URL]

Goal (issue 5): under 60 s for 1,000,000 leaves.
"""

from __future__ import annotations

import base64
import hashlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from receipts_data import BENCH_KEY, database_for_sides, peak_rss_mib, run_side  # noqa: E402


def floor(url: str) -> dict[str, float]:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    connection = engine.raw_connection()
    server_side = {"name": "leaves"} if url.startswith("postgresql") else {}
    cursor = connection.cursor(**server_side)
    started = time.perf_counter()
    cursor.execute("SELECT receipt FROM consent_records ORDER BY log_index")
    pieces: list[bytes] = []  # the frontier of the growing tree
    size = 0
    sha256 = hashlib.sha256
    while batch := cursor.fetchmany(5000):
        for (token,) in batch:
            body = token.split(".", 1)[0]
            node = sha256(b"\x00" + base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            node = node.digest()
            level = size
            while level & 1:
                node = sha256(b"\x01" + pieces.pop() + node).digest()
                level >>= 1
            pieces.append(node)
            size += 1
    root = pieces[-1]
    for piece in reversed(pieces[:-1]):
        root = sha256(b"\x01" + piece + root).digest()
    seconds = time.perf_counter() - started
    connection.close()
    return {"leaves": size, "seconds": seconds, "root": root.hex(), "peak_rss_mib": peak_rss_mib()}


def ours(url: str) -> dict[str, object]:
    from consent_app import create_app
    from consent_app.services.ledger.verify_log import verify_log
    from consent_app.signing import keyring

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RECEIPT_SIGNING_KEY": BENCH_KEY})
    with app.app_context():
        started = time.perf_counter()
        report = verify_log(BENCH_KEY, keyring())
        seconds = time.perf_counter() - started
    return {
        "leaves": report.leaves,
        "seconds": seconds,
        "ok": report.ok,
        "problems": [str(p) for p in report.problems[:5]],
        "peak_rss_mib": peak_rss_mib(),
    }


def main() -> None:
    url = database_for_sides(__doc__, ours=ours, floor=floor)
    if url is None:
        return
    bare = run_side(__file__, "floor", url)
    mine = run_side(__file__, "ours", url)
    print(f"verify-log over {mine['leaves']:,} leaves, {url.split(':')[0]}")
    print(f"  floor (plain leaf hashing + root) {bare['seconds']:7.1f} s")
    print(
        f"  ours  (verify-log)                {mine['seconds']:7.1f} s   "
        f"log verifies: {mine['ok']}  peak RSS {mine['peak_rss_mib']:.0f} MiB"
    )
    for problem in mine["problems"]:
        print(f"    {problem}")
    print(
        f"  ratio floor/ours: {bare['seconds'] / mine['seconds']:.2f}   "
        f"(goal: ours under 60 s for 1,000,000 leaves)"
    )


if __name__ == "__main__":
    main()
