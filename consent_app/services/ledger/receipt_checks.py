"""Checking that stored receipts state their own leaves: the per-receipt half of
verify-log (services/log_audit.py), which can run in worker processes for big logs.

A receipt's token body is the canonical JSON that was signed: it must hash to the row's
leaf hash and say what the row's fields say. Erased receipts have no fields left to
check; their leaf is checked against the log like every other.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, Executable, create_engine, select
from sqlalchemy.engine import Connection

from ...models import ConsentRecord, PolicyVersion, Site
from .merkle import leaf_hash
from .receipts import InvalidReceipt, claims, token_body

STREAM_BATCH = 5000


def stream_batches(
    connection: Connection, statement: Executable, size: int = STREAM_BATCH
) -> Generator[Sequence[Any], None, None]:
    """Lists of rows from a server-side cursor where the engine has them. The cursor is
    closed when the rows run out or the iterator is closed early."""
    # Options for this statement only: Connection.execution_options() would change the
    # connection in place, and every later statement on it (an INSERT) would be
    # declared as a server-side cursor too.
    options = {"stream_results": True, "yield_per": size}
    result = connection.execute(statement, execution_options=options)
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
    """Rebuilds a stored row's claims, caching sites and policy versions."""

    def __init__(self, connection: Connection) -> None:
        self.sites = {row.id: row.key for row in connection.execute(select(Site.id, Site.key))}
        self.policies = {
            row.id: (row.label, row.text_hash, row.purposes)
            for row in connection.execute(
                select(
                    PolicyVersion.id,
                    PolicyVersion.label,
                    PolicyVersion.text_hash,
                    PolicyVersion.purposes,
                )
            )
        }

    def claims(self, row: Any) -> dict[str, Any]:
        label, text_hash, purposes = self.policies[row.policy_version_id]
        return claims(
            receipt_id=row.receipt_id,
            site_key=self.sites[row.site_id],
            controller=row.controller,
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


RECEIPT_COLUMNS = [
    ConsentRecord.log_index,
    ConsentRecord.receipt_id,
    ConsentRecord.site_id,
    ConsentRecord.policy_version_id,
    ConsentRecord.controller,
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


def check_receipt(row: Any, rebuilder: ReceiptRebuilder) -> str | None:
    """Why a stored receipt does not state its own leaf, or None when it does.
    (Comparing parsed values costs a third of re-encoding the claims.)"""
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


@dataclass
class ReceiptFindings:
    checked: int = 0
    erased: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)  # (position, why)


def check_receipts(connection: Connection, start: int, end: int) -> ReceiptFindings:
    """Check the receipts at log positions [start, end)."""
    findings = ReceiptFindings()
    rebuilder = ReceiptRebuilder(connection)
    rows = stream(
        connection,
        select(*RECEIPT_COLUMNS)
        .where(ConsentRecord.log_index >= start, ConsentRecord.log_index < end)
        .order_by(ConsentRecord.log_index),
    )
    for row in rows:
        if row.erasure_id is not None:
            findings.erased += 1
            continue
        findings.checked += 1
        trouble = check_receipt(row, rebuilder)
        if trouble:
            findings.problems.append((row.log_index, trouble))
    return findings


@lru_cache(maxsize=1)
def _engine(url: str) -> Engine:
    return create_engine(url)


def check_receipts_at(url: str, start: int, end: int) -> ReceiptFindings:
    """check_receipts in a worker process, on its own connection to the database."""
    with _engine(url).connect() as connection:
        return check_receipts(connection, start, end)
