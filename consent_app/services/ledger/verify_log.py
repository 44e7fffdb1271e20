"""`flask consent verify-log`: recompute the whole log and say where it fails.

One pass in log order, in constant memory (server-side cursors), over three streams at
once: the receipts by position, the stored subtree hashes in completion order, and the
signed tree heads by size. For every position it checks that

- a receipt holds that position (a deleted row leaves a hole),
- the receipt's token hashes to its leaf and states what its fields say (an edited
  field or token shows here; see services/receipt_audit.py, which for big logs runs in
  worker processes alongside this pass),
- the receipt's leaf is the log's leaf at that position (swapped positions show here),

then rebuilds every subtree from the log's leaves and compares it with the stored one,
and at each signed size compares the rebuilt root and checks the head's signatures.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ...extensions import db
from ...models import ConsentRecord, LogHash, TreeHead
from .keys import KeyRing
from .log import check_head
from .merkle import Frontier, stored_index
from .receipt_checks import (
    RECEIPT_COLUMNS,
    ReceiptFindings,
    ReceiptRebuilder,
    check_receipt,
    check_receipts_at,
    stream,
)

LEAF_COLUMNS = [
    ConsentRecord.log_index,
    ConsentRecord.receipt_id,
    ConsentRecord.leaf_hash,
    ConsentRecord.erasure_id,
]
# Below this many leaves, worker processes cost more to start than they save.
PARALLEL_FROM = 100_000


@dataclass(frozen=True)
class LogProblem:
    message: str
    position: int | None = None
    tree_size: int | None = None

    def __str__(self) -> str:
        where = f"position {self.position}" if self.position is not None else ""
        if self.tree_size is not None:
            where = f"tree head of size {self.tree_size}"
        return f"{where}: {self.message}" if where else self.message


@dataclass
class LogReport:
    leaves: int = 0
    heads: int = 0
    checked_receipts: int = 0
    erased_receipts: int = 0
    problems: list[LogProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Walk:
    """The state of one verification pass (see the module docstring)."""

    def __init__(
        self, connection: Connection, key: str | bytes, keyring: KeyRing, *, inline: bool
    ) -> None:
        self.key, self.keyring = key, keyring
        self.report = LogReport()
        # inline: check each receipt's content here; else worker processes do (see below)
        self.rebuilder = ReceiptRebuilder(connection) if inline else None
        columns = RECEIPT_COLUMNS if inline else LEAF_COLUMNS
        self.receipts = stream(
            connection,
            select(*columns)
            .where(ConsentRecord.log_index.is_not(None))
            .order_by(ConsentRecord.log_index),
        )
        self.hashes = stream(connection, select(LogHash.id, LogHash.hash).order_by(LogHash.id))
        self.heads = stream(connection, select(TreeHead).order_by(TreeHead.tree_size))
        self.next_receipt = next(self.receipts, None)
        self.next_hash = next(self.hashes, None)
        self.frontier = Frontier()
        self.reported_from: int | None = None  # lowest leaf of the last subtree reported

    def close(self) -> None:
        for rows in (self.receipts, self.hashes, self.heads):
            rows.close()

    def problem(self, message: str, **where: int) -> None:
        self.report.problems.append(LogProblem(message, **where))

    def receipt_at(self, position: int) -> Any | None:
        while self.next_receipt is not None and self.next_receipt.log_index < position:
            self.next_receipt = next(self.receipts, None)  # duplicates cannot exist (unique)
        if self.next_receipt is None or self.next_receipt.log_index != position:
            return None
        row, self.next_receipt = self.next_receipt, next(self.receipts, None)
        return row

    def stored_hash(self, number: int) -> str | None:
        while self.next_hash is not None and self.next_hash.id < number:
            self.next_hash = next(self.hashes, None)
        if self.next_hash is None or self.next_hash.id != number:
            return None
        return str(self.next_hash.hash)

    def check_position(self, position: int) -> None:
        row = self.receipt_at(position)
        logged_leaf = self.stored_hash(stored_index(0, position))
        if row is None:
            self.problem(
                "no receipt holds this position (a row was deleted or moved)", position=position
            )
        elif self.rebuilder is None:
            pass  # a worker process checks this receipt's content
        elif row.erasure_id is not None:
            self.report.erased_receipts += 1
        else:
            self.report.checked_receipts += 1
            trouble = check_receipt(row, self.rebuilder)
            if trouble:
                self.problem(trouble, position=position)
        if logged_leaf is None:
            self.problem("the log's stored leaf is missing", position=position)
            logged_leaf = row.leaf_hash if row is not None else "00" * 32
        elif row is not None and row.leaf_hash != logged_leaf:
            self.problem(
                f"receipt {row.receipt_id} is not the receipt the log holds here "
                "(positions were changed or rows reordered)",
                position=position,
            )
        for level, index, digest in self.frontier.append(logged_leaf):
            if level and self.stored_hash(stored_index(level, index)) != digest:
                first_leaf = index << level
                if self.reported_from is None or self.reported_from < first_leaf:
                    self.reported_from = first_leaf
                    self.problem(
                        f"the stored subtree hash over positions {first_leaf}-"
                        f"{((index + 1) << level) - 1} does not match its leaves",
                        position=first_leaf,
                    )

    def check_head(self, head: TreeHead) -> None:
        self.report.heads += 1
        if self.frontier.root() != head.root_hash:
            self.problem(
                f"its root {head.root_hash[:16]}… is not the root of the log's first "
                f"{head.tree_size} leaves",
                tree_size=head.tree_size,
            )
        check = check_head(head, self.key, self.keyring)
        if not check.hmac_valid:
            self.problem("its HMAC signature does not verify", tree_size=head.tree_size)
        if check.ed25519_valid is False:
            self.problem("its Ed25519 signature does not verify", tree_size=head.tree_size)


def _start_workers(
    connection: Connection, size: int, workers: int
) -> tuple[ProcessPoolExecutor, list[Future[ReceiptFindings]]]:
    """Hand the receipts' content checks to worker processes, in position ranges."""
    url = connection.engine.url.render_as_string(hide_password=False)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
    chunk = max(10_000, -(-size // (workers * 4)))
    return pool, [
        pool.submit(check_receipts_at, url, start, min(start + chunk, size))
        for start in range(0, size, chunk)
    ]


def _where(problem: LogProblem) -> float:
    if problem.position is not None:
        return problem.position
    return (problem.tree_size or 0) - 0.5  # a head's problems after its last leaf's


def verify_log(key: str | bytes, keyring: KeyRing, *, workers: int | None = None) -> LogReport:
    """Recompute the log from its stored leaves and check every signed tree head.

    `workers`: processes that check receipts' content while this one walks the tree;
    by default one per CPU for logs of PARALLEL_FROM leaves or more, else none.
    """
    connection = db.session.connection()
    size = connection.scalar(select(func.coalesce(func.max(TreeHead.tree_size), 0))) or 0
    if workers is None:
        workers = (os.cpu_count() or 1) if size >= PARALLEL_FROM else 0
    pool, jobs = _start_workers(connection, size, workers) if workers and size else (None, [])
    try:
        walk = _Walk(connection, key, keyring, inline=pool is None)
        position = 0
        for head in walk.heads:
            while position < head.tree_size:
                walk.check_position(position)
                position += 1
            walk.check_head(head)
        walk.report.leaves = position
        for row in [walk.next_receipt, *walk.receipts]:
            if row is not None:
                walk.problem(
                    f"receipt {row.receipt_id} claims a position beyond the last signed head",
                    position=row.log_index,
                )
        walk.close()
        for job in jobs:
            findings = job.result()
            walk.report.checked_receipts += findings.checked
            walk.report.erased_receipts += findings.erased
            walk.report.problems.extend(
                LogProblem(why, position=at) for at, why in findings.problems
            )
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        db.session.rollback()
    walk.report.problems.sort(key=_where)
    return walk.report
