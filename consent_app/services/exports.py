"""Streaming exports of receipts (JSONL and CSV) that an auditor can verify offline.

An export starts with the signed tree head it was made against; each receipt carries its
canonical claims (the exact bytes that were signed and hashed into the log), its Ed25519
signature and its inclusion proof against that head. tools/verify_export.py checks all of
it with only the public keys (JWKS).

Memory stays flat: rows come from a server-side cursor in batches, and the stored subtree
hashes each batch's proofs need are fetched per batch. Rows are sealed rows in log order
(neighbouring proofs share most hashes), then rows still waiting for a position.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import ConsentRecord, LogHash, TreeHead
from .ledger import head_document, latest_head
from .log_audit import stream
from .merkle import inclusion_ranges, range_hash, range_nodes, stored_index
from .receipts import token_body
from .search import ReceiptQuery

BATCH = 2000
CSV_COLUMNS = [
    "type",
    "receipt_id",
    "leaf_index",
    "leaf_hash",
    "issued_at",
    "site",
    "controller",
    "subject_id",
    "action",
    "granted",
    "denied",
    "gpc",
    "language",
    "jurisdiction",
    "device_class",
    "origin",
    "path",
    "expires_at",
    "policy_version",
    "policy_text_hash",
    "ed25519_kid",
    "ed25519_signature",
    "erased",
    "proof",
    "claims",
]
_COLUMNS = [
    ConsentRecord.receipt_id,
    ConsentRecord.log_index,
    ConsentRecord.leaf_hash,
    ConsentRecord.receipt,
    ConsentRecord.ed25519_kid,
    ConsentRecord.ed25519_signature,
    ConsentRecord.erasure_id,
]


def _rows(query: ReceiptQuery, head: TreeHead | None) -> Iterator[list[Any]]:
    """Matching rows in batches: sealed (within the head) in log order, then the rest."""
    connection = db.session.connection()
    size = head.tree_size if head else 0
    sealed = query.filter(select(*_COLUMNS)).where(ConsentRecord.log_index < size)
    waiting = query.filter(select(*_COLUMNS)).where(
        (ConsentRecord.log_index.is_(None)) | (ConsentRecord.log_index >= size)
    )
    for statement in (
        sealed.order_by(ConsentRecord.log_index),
        waiting.order_by(ConsentRecord.id),
    ):
        batch: list[Any] = []
        for row in stream(connection, statement):
            batch.append(row)
            if len(batch) == BATCH:
                yield batch
                batch = []
        if batch:
            yield batch


def _proofs(batch: list[Any], size: int) -> dict[int, list[str]]:
    """Inclusion proofs for a batch's sealed rows, from one fetch of stored hashes."""
    ranges = {
        row.log_index: inclusion_ranges(row.log_index, size)
        for row in batch
        if row.log_index is not None and row.log_index < size
    }
    wanted = {
        stored_index(*node): node
        for span in {r for path in ranges.values() for r in path}
        for node in range_nodes(*span)
    }
    hashes: dict[tuple[int, int], str] = {}
    ids = sorted(wanted)
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        for number, stored in db.session.execute(
            select(LogHash.id, LogHash.hash).where(LogHash.id.in_(chunk))
        ):
            hashes[wanted[number]] = stored
    span_hash: dict[tuple[int, int], str] = {}
    proofs = {}
    for index, path in ranges.items():
        proof = []
        for span in path:
            digest = span_hash.get(span)
            if digest is None:
                digest = span_hash[span] = range_hash(*span, hashes.__getitem__)
            proof.append(digest)
        proofs[index] = proof
    return proofs


def _claims_text(row: Any) -> str | None:
    return None if row.receipt is None else token_body(row.receipt).decode("utf-8")


def _ed25519(row: Any) -> dict[str, str] | None:
    if not row.ed25519_signature:
        return None
    return {"kid": row.ed25519_kid, "signature": row.ed25519_signature}


def _receipts(query: ReceiptQuery, head: TreeHead | None) -> Iterator[tuple[Any, list[str] | None]]:
    size = head.tree_size if head else 0
    for batch in _rows(query, head):
        proofs = _proofs(batch, size)
        for row in batch:
            yield row, proofs.get(row.log_index) if row.log_index is not None else None


def export_jsonl(query: ReceiptQuery) -> Iterator[str]:
    """One JSON object per line: the tree head first, then one per receipt."""
    head = latest_head()
    yield json.dumps({"type": "tree_head", **(head_document(head) if head else {})}) + "\n"
    lines: list[str] = []
    for row, proof in _receipts(query, head):
        claims = _claims_text(row)
        # Built by hand around the claims, which are already canonical JSON: re-encoding
        # a million of them would cost more than everything else in the export.
        position = "null" if proof is None else str(row.log_index)
        path = "null" if proof is None else json.dumps(proof, separators=(",", ":"))
        erased = "true" if row.erasure_id is not None else "false"
        lines.append(
            f'{{"type":"receipt","receipt_id":"{row.receipt_id}","leaf_index":{position},'
            f'"leaf_hash":"{row.leaf_hash}","erased":{erased},'
            f'"ed25519":{json.dumps(_ed25519(row))},"proof":{path},'
            f'"claims":{"null" if claims is None else claims}}}\n'
        )
        if len(lines) >= BATCH:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def _csv_text(rows: Iterable[list[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def export_csv(query: ReceiptQuery) -> Iterator[str]:
    """A header, a `tree_head` row (its JSON in the claims column), then one row per receipt
    with its fields, its proof (space-separated hashes) and its canonical claims."""
    head = latest_head()
    head_json = json.dumps(head_document(head)) if head else "{}"
    yield _csv_text([CSV_COLUMNS, ["tree_head", *[""] * (len(CSV_COLUMNS) - 2), head_json]])
    rows: list[list[Any]] = []
    for row, proof in _receipts(query, head):
        text = _claims_text(row)
        facts = json.loads(text) if text else {}
        signature = _ed25519(row) or {}
        rows.append(
            [
                "receipt",
                row.receipt_id,
                "" if proof is None else row.log_index,
                row.leaf_hash,
                facts.get("issued_at", ""),
                facts.get("site", ""),
                facts.get("controller", ""),
                facts.get("subject_id", ""),
                facts.get("action", ""),
                " ".join(facts.get("granted", [])),
                " ".join(facts.get("denied", [])),
                "" if not facts else str(facts.get("gpc")).lower(),
                facts.get("language") or "",
                facts.get("jurisdiction") or "",
                facts.get("device_class") or "",
                facts.get("origin", ""),
                facts.get("path", ""),
                facts.get("expires_at", ""),
                facts.get("policy_version", ""),
                facts.get("policy_text_hash", ""),
                signature.get("kid", ""),
                signature.get("signature", ""),
                "true" if row.erasure_id is not None else "false",
                "" if proof is None else " ".join(proof),
                text or "",
            ]
        )
        if len(rows) >= BATCH:
            yield _csv_text(rows)
            rows = []
    if rows:
        yield _csv_text(rows)
