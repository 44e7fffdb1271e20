"""Reading and verifying receipts. The public answer leaves out who the visitor is
(services/receipt_lookup.py); a signed-in auditor, or the visitor showing their secret in
X-Visitor-Secret, gets the whole receipt."""

from __future__ import annotations

from flask import jsonify, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..extensions import configured_limit, limiter
from ..services.ledger.lookup import check_token, view_receipt
from ..signing import hmac_key, keyring
from . import bp
from .body import json_body
from .schemas import Ed25519Out, ReceiptOut, VerifyIn, VerifyOut

# Roles that read every receipt in full at /audit anyway.
FULL_RECEIPT_ROLES = ("auditor", "admin")


@bp.get("/receipts/<string(length=26):receipt_id>")  # not /receipts/verify
def get_receipt(receipt_id: str) -> ResponseReturnValue:
    full = current_user.is_authenticated and current_user.role in FULL_RECEIPT_ROLES
    view = view_receipt(
        receipt_id,
        hmac_key(),
        keyring(),
        full=full,
        secret=request.headers.get("X-Visitor-Secret"),
    )
    record, check = view.record, view.check
    out = ReceiptOut(
        receipt_id=record.receipt_id,
        complete=view.complete,
        receipt=view.token,
        claims=view.claims,
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
    response = jsonify(out.model_dump())
    response.vary.add("Cookie")
    response.vary.add("X-Visitor-Secret")
    response.headers["Cache-Control"] = "private, no-store" if view.complete else "no-cache"
    return response


@bp.post("/receipts/verify")
@limiter.limit(configured_limit("VERIFY_RATE_LIMIT"))
def verify_receipt() -> ResponseReturnValue:
    """Check a receipt token a visitor or auditor holds: signed by us and in our log."""
    payload = VerifyIn.model_validate(json_body())
    check = check_token(payload.receipt, hmac_key())
    out = VerifyOut(
        valid=check.valid, reason=check.reason, claims=check.claims, log_index=check.log_index
    )
    return jsonify(out.model_dump())
