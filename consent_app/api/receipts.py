"""Reading and verifying receipts."""

from __future__ import annotations

from flask import current_app, jsonify
from flask.typing import ResponseReturnValue

from ..services import receipts
from ..services.consents import find_record
from . import bp
from .body import json_body
from .schemas import ReceiptOut, VerifyIn, VerifyOut


@bp.get("/receipts/<receipt_id>")
def get_receipt(receipt_id: str) -> ResponseReturnValue:
    record = find_record(receipt_id)
    check = receipts.verify_record(record, current_app.config["RECEIPT_SIGNING_KEY"])
    out = ReceiptOut(
        receipt_id=record.receipt_id,
        receipt=record.receipt,
        claims=receipts.receipt_claims(record),
        signature_valid=check.signature_valid,
        matches_record=check.matches_record,
        valid=check.valid,
        reason=check.reason,
    )
    return jsonify(out.model_dump())


@bp.post("/receipts/verify")
def verify_receipt() -> ResponseReturnValue:
    """Check a receipt token a visitor or auditor holds, without needing the stored row."""
    payload = VerifyIn.model_validate(json_body())
    try:
        claims = receipts.read_token(payload.receipt, current_app.config["RECEIPT_SIGNING_KEY"])
    except receipts.InvalidReceipt as exc:
        return jsonify(VerifyOut(valid=False, reason=str(exc)).model_dump())
    return jsonify(VerifyOut(valid=True, claims=claims).model_dump())
