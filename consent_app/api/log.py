"""The public ledger API: the signed tree head, inclusion and consistency proofs.

Anyone may read these (they hold no personal data), so they answer any origin.
"""

from __future__ import annotations

from dataclasses import asdict

from flask import Response, jsonify, request
from pydantic import BaseModel

from ..services.ledger.ingest import find_record
from ..services.ledger.log import head_document, latest_head
from ..services.ledger.proofs import EmptyLog, InvalidTreeSize, consistency_proof, inclusion_proof
from ..services.shapes import TREE_SIZE, fits
from . import bp
from .public_schemas import ConsistencyProofOut, InclusionProofOut, TreeHeadOut

PUBLIC_ENDPOINTS = {"api.log_head", "api.receipt_proof", "api.log_consistency"}


@bp.after_request
def allow_any_origin(response: Response) -> Response:
    if request.endpoint in PUBLIC_ENDPOINTS:
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _answer(document: BaseModel) -> Response:
    return jsonify(document.model_dump())


@bp.get("/log/head")
def log_head() -> Response:
    head = latest_head()
    if head is None:
        raise EmptyLog("nothing has been sealed yet")
    return _answer(TreeHeadOut(**head_document(head)))


@bp.get("/receipts/<string(length=26):receipt_id>/proof")
def receipt_proof(receipt_id: str) -> Response:
    proof = inclusion_proof(find_record(receipt_id))
    return _answer(
        InclusionProofOut(
            receipt_id=receipt_id,
            leaf_index=proof.leaf_index,
            leaf_hash=proof.leaf_hash,
            tree_size=proof.head.tree_size,
            audit_path=proof.audit_path,
            tree_head=TreeHeadOut(**head_document(proof.head)),
        )
    )


def _size_argument(name: str) -> int:
    raw = request.args.get(name, "")
    if not fits(TREE_SIZE, raw):  # not str.isdigit(): it takes "²", which int() refuses
        raise InvalidTreeSize(
            f"{name} must be a tree size (a whole number)",
            fields=[{"field": name, "message": "must be a whole number"}],
        )
    return int(raw)


@bp.get("/log/consistency")
def log_consistency() -> Response:
    proof = consistency_proof(_size_argument("first"), _size_argument("second"))
    return _answer(ConsistencyProofOut(**asdict(proof)))
