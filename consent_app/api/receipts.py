"""Reading and verifying receipts."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from ..extensions import configured_limit, limiter
from ..services import receipts
from ..services.consents import find_record
from ..signing import hmac_key, keyring
from . import bp
from .body import json_body
from .schemas import Ed25519Out, ReceiptOut, VerifyIn, VerifyOut


@bp.get("/receipts/<string(length=26):receipt_id>")  # not /receipts/verify
def get_receipt(receipt_id: str) -> ResponseReturnValue:
    record = find_record(receipt_id)
    check = receipts.verify_record(record, hmac_key(), keyring())
    out = ReceiptOut(
        receipt_id=record.receipt_id,
        receipt=record.receipt or "",
        claims=receipts.receipt_claims(record),
        signature_valid=check.signature_valid,
        matches_record=check.matches_record,
        valid=check.valid,
        reason=check.reason,
        ed25519=Ed25519Out(
            kid=record.ed25519_kid or "",
            signature=record.ed25519_signature,
            valid=bool(check.ed25519_valid),
        )
        if record.ed25519_signature
        else None,
        leaf_hash=record.leaf_hash,
        log_index=record.log_index,
    )
    return jsonify(out.model_dump())


@bp.post("/receipts/verify")
@limiter.limit(configured_limit("VERIFY_RATE_LIMIT"))
def verify_receipt() -> ResponseReturnValue:
    """Check a receipt token a visitor or auditor holds, without needing the stored row."""
    payload = VerifyIn.model_validate(json_body())
    try:
        claims = receipts.read_token(payload.receipt, hmac_key())
    except receipts.InvalidReceipt as exc:
        return jsonify(VerifyOut(valid=False, reason=str(exc)).model_dump())
    return jsonify(VerifyOut(valid=True, claims=claims).model_dump())
