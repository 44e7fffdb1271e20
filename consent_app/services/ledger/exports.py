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

import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select

from ...extensions import db
from ...models import ConsentRecord, TreeHead
from ..spreadsheet_csv import csv_text
from .log import head_document, latest_head, stored_hashes
from .merkle import Element, path_elements, range_hash, range_nodes, stored_index
from .receipt_checks import RECEIPT_COLUMNS, ReceiptRebuilder, stream_batches
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
# The CSV also reads the columns a receipt's claims are rebuilt from: an erased receipt's
# token is gone with its subject id, but when and what was decided are not personal.
_CSV_SELECTED = [
    *_COLUMNS,
    *(c for c in RECEIPT_COLUMNS if c.key not in {k.key for k in _COLUMNS}),
]


def _rows(query: ReceiptQuery, columns: Sequence[Any] = _COLUMNS) -> Iterator[Sequence[Any]]:
    """Matching rows in batches: sealed ones in log order, then those still waiting. Rows
    sealed after `head` was read come with the sealed ones and get no proof (yet).
    Each query can walk an index (positions are unique; the waiting have their own)."""
    connection = db.session.connection()
    sealed = query.filter(select(*columns)).where(ConsentRecord.log_index.is_not(None))
    waiting = query.filter(select(*columns)).where(ConsentRecord.log_index.is_(None))
    for statement in (
        sealed.order_by(ConsentRecord.log_index),
        waiting.order_by(ConsentRecord.id),
    ):
        yield from stream_batches(connection, statement, BATCH)


class _Proofs:
    """Inclusion proofs against one head for rows in increasing log order, a batch at a
    time: one query fetches the stored hashes of every proof element the batch changes."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.levels = (size - 1).bit_length() if size else 0
        self.elements: list[str | None] = [None] * self.levels
        self.previous = -1  # the last position given a proof
        self.ragged: dict[tuple[int, int], str] = {}  # one per level at most, kept

    def _ragged_hash(self, span: tuple[int, int]) -> str:
        if span not in self.ragged:
            nodes = {stored_index(*node): node for node in range_nodes(*span)}
            found = stored_hashes(db.session.connection(), nodes)
            by_node = {node: found[number] for number, node in nodes.items()}
            self.ragged[span] = range_hash(*span, by_node.__getitem__)
        return self.ragged[span]

    def _hash(self, element: Element, hashes: dict[int, str]) -> str | None:
        if element is None:
            return None
        return hashes[element] if type(element) is int else self._ragged_hash(element)  # type: ignore[arg-type]

    def for_batch(self, batch: Sequence[Any]) -> dict[int, list[str]]:
        size = self.size
        positions = [
            row.log_index for row in batch if row.log_index is not None and row.log_index < size
        ]
        if not positions:
            return {}
        per_level = path_elements(positions, size)
        wanted = {e for found in per_level for e in found.values() if type(e) is int}
        hashes = stored_hashes(db.session.connection(), wanted)
        resolved = [{a: self._hash(e, hashes) for a, e in found.items()} for found in per_level]
        elements, levels, previous = self.elements, self.levels, self.previous
        proofs = {}
        for position in positions:
            # Only the levels below the highest bit that differs from the previous leaf
            # change (about two for neighbours); the rest of the path carries over.
            changed = levels if previous < 0 else min((position ^ previous).bit_length(), levels)
            for level in range(changed):
                elements[level] = resolved[level][position >> level]
            proofs[position] = list(filter(None, elements))
            previous = position
        self.previous = previous
        return proofs


def _claims_text(row: Any) -> str | None:
    return None if row.receipt is None else token_body(row.receipt).decode("utf-8")


def _ed25519(row: Any) -> dict[str, str] | None:
    if not row.ed25519_signature:
        return None
    return {"kid": row.ed25519_kid, "signature": row.ed25519_signature}


def _receipts(
    query: ReceiptQuery, head: TreeHead | None, columns: Sequence[Any]
) -> Iterator[tuple[Any, list[str] | None]]:
    proofs = _Proofs(head.tree_size if head else 0)
    for batch in _rows(query, columns):
        batch_proofs = proofs.for_batch(batch)
        for row in batch:
            yield row, batch_proofs.get(row.log_index) if row.log_index is not None else None


def export_jsonl(query: ReceiptQuery) -> Iterator[str]:
    """One JSON object per line: the tree head first, then one per receipt."""
    head = latest_head()
    yield json.dumps({"type": "tree_head", **(head_document(head) if head else {})}) + "\n"
    proofs = _Proofs(head.tree_size if head else 0)
    for batch in _rows(query):
        batch_proofs = proofs.for_batch(batch)
        lines = []
        # Built by hand around the claims, which are already canonical JSON (re-encoding
        # a million of them would cost more than the rest of the export), and around
        # hex digests, which need no escaping.
        for receipt_id, position, leaf, token, kid, signature, erasure_id in batch:
            proof = batch_proofs.get(position)
            if proof is None:
                position, path = "null", "null"
            else:
                path = '["' + '","'.join(proof) + '"]' if proof else "[]"
            claims = "null" if token is None else token_body(token).decode("utf-8")
            signed = "null" if not signature else json.dumps({"kid": kid, "signature": signature})
            erased = "false" if erasure_id is None else "true"
            lines.append(
                f'{{"type":"receipt","receipt_id":"{receipt_id}","leaf_index":{position},'
                f'"leaf_hash":"{leaf}","erased":{erased},"ed25519":{signed},'
                f'"proof":{path},"claims":{claims}}}\n'
            )
        yield "".join(lines)


def export_csv(query: ReceiptQuery) -> Iterator[str]:
    """A header, a `tree_head` row (its JSON in the claims column), then one row per receipt
    with its fields, its proof (space-separated hashes) and its canonical claims."""
    head = latest_head()
    head_json = json.dumps(head_document(head)) if head else "{}"
    yield csv_text([CSV_COLUMNS, ["tree_head", *[""] * (len(CSV_COLUMNS) - 2), head_json]])
    rows: list[list[Any]] = []
    rebuilder = ReceiptRebuilder(db.session.connection())
    for row, proof in _receipts(query, head, _CSV_SELECTED):
        text = _claims_text(row)
        facts = json.loads(text) if text else rebuilder.claims(row)
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
                str(facts.get("gpc")).lower(),
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
            yield csv_text(rows)
            rows = []
    if rows:
        yield csv_text(rows)
