"""`flask consent verify-log`: recompute the whole log and say where it fails.

One pass in log order, in constant memory (server-side cursors), over three streams at
once: the receipts by position, the stored subtree hashes in completion order, and the
signed tree heads by size. For every position it checks that

- a receipt holds that position (a deleted row leaves a hole),
- the receipt's stored fields rebuild its leaf hash, and its token states the same bytes
  (an edited field or token shows here; erased receipts have no fields left to check),
- the receipt's leaf is the log's leaf at that position (swapped positions show here),

then rebuilds every subtree from the log's leaves and compares it with the stored one,
and at each signed size compares the rebuilt root and checks the head's signatures.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Executable, select
from sqlalchemy.engine import Connection

from ..extensions import db
from ..models import ConsentRecord, LogHash, PolicyVersion, Site, TreeHead
from .keys import KeyRing
from .ledger import check_head
from .merkle import Frontier, leaf_hash, stored_index
from .receipts import InvalidReceipt, claims, token_body

STREAM_BATCH = 5000


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


def stream_batches(
    connection: Connection, statement: Executable, size: int = STREAM_BATCH
) -> Generator[Sequence[Any], None, None]:
    """Lists of rows from a server-side cursor where the engine has them. The cursor is
    closed when the rows run out or the iterator is closed early."""
    result = connection.execution_options(stream_results=True, yield_per=size).execute(statement)
    with result:
        yield from result.partitions()


def stream(connection: Connection, statement: Executable) -> Generator[Any, None, None]:
    """Rows one by one, fetched in batches (see stream_batches)."""
    batches = stream_batches(connection, statement)
    try:
        for batch in batches:
            yield from batch
    finally:
        batches.close()


class ReceiptRebuilder:
    """Rebuilds a stored row's canonical receipt, caching sites and policy versions."""

    def __init__(self) -> None:
        self.sites = {
            row.id: (row.key, row.controller or row.name)
            for row in db.session.execute(select(Site.id, Site.key, Site.controller, Site.name))
        }
        self.policies = {
            row.id: (row.label, row.text_hash, row.purposes)
            for row in db.session.execute(
                select(
                    PolicyVersion.id,
                    PolicyVersion.label,
                    PolicyVersion.text_hash,
                    PolicyVersion.purposes,
                )
            )
        }

    def claims(self, row: Any) -> dict[str, Any]:
        site_key, controller = self.sites[row.site_id]
        label, text_hash, purposes = self.policies[row.policy_version_id]
        return claims(
            receipt_id=row.receipt_id,
            site_key=site_key,
            controller=controller,
            subject_id=row.subject_id,
            created_at=row.created_at,
            expires_at=row.expires_at,
            policy_label=label,
            policy_text_hash=text_hash,
            action=row.action,
            granted=row.granted,
            denied=row.denied,
            gpc=row.gpc,
            language=row.language,
            country=row.country,
            device_class=row.device_class,
            origin=row.origin,
            path=row.path,
            purposes=purposes,
        )


_RECEIPT_COLUMNS = [
    ConsentRecord.log_index,
    ConsentRecord.receipt_id,
    ConsentRecord.site_id,
    ConsentRecord.policy_version_id,
    ConsentRecord.subject_id,
    ConsentRecord.created_at,
    ConsentRecord.expires_at,
    ConsentRecord.action,
    ConsentRecord.granted,
    ConsentRecord.denied,
    ConsentRecord.gpc,
    ConsentRecord.language,
    ConsentRecord.country,
    ConsentRecord.device_class,
    ConsentRecord.origin,
    ConsentRecord.path,
    ConsentRecord.receipt,
    ConsentRecord.leaf_hash,
    ConsentRecord.erasure_id,
]


def _check_receipt(row: Any, rebuilder: ReceiptRebuilder) -> str | None:
    """Why a stored receipt does not state its own leaf, or None when it does.

    The token's body is the canonical JSON that was signed: it must hash to the leaf, and
    say what the row's fields say (comparing parsed values costs a third of re-encoding).
    """
    try:
        body = token_body(row.receipt or "")
        signed = json.loads(body)
    except (InvalidReceipt, ValueError):
        return f"receipt {row.receipt_id}: its stored token is malformed"
    if leaf_hash(body) != row.leaf_hash:
        return f"receipt {row.receipt_id}: its stored token does not match its leaf hash"
    if signed != rebuilder.claims(row):
        return f"receipt {row.receipt_id}: its stored fields differ from its signed receipt"
    return None


class _Walk:
    """The state of one verification pass (see the module docstring)."""

    def __init__(self, connection: Connection, key: str | bytes, keyring: KeyRing) -> None:
        self.key, self.keyring = key, keyring
        self.report = LogReport()
        self.rebuilder = ReceiptRebuilder()
        self.receipts = stream(
            connection,
            select(*_RECEIPT_COLUMNS)
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
        elif row.erasure_id is not None:
            self.report.erased_receipts += 1
        else:
            self.report.checked_receipts += 1
            trouble = _check_receipt(row, self.rebuilder)
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


def verify_log(key: str | bytes, keyring: KeyRing) -> LogReport:
    """Recompute the log from its stored leaves and check every signed tree head."""
    connection = db.session.connection()
    walk = _Walk(connection, key, keyring)
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
    db.session.rollback()
    return walk.report
