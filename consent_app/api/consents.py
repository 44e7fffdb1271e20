"""POST /api/v1/consents: a visitor's decision becomes a signed receipt."""

from __future__ import annotations

from flask import Response, jsonify, request
from flask.typing import ResponseReturnValue

from ..extensions import configured_limit, limiter
from ..services.ledger.ingest import record_consent
from ..services.ledger.receipts import isoformat_z
from ..signing import hmac_key, keyring
from . import bp
from .body import client_facts, json_body
from .cors import banner_endpoint, preflight
from .schemas import ConsentIn, ConsentOut

# Per client address, on the endpoints that record or read decisions.
consent_rate_limit = configured_limit("CONSENT_RATE_LIMIT")


@bp.route("/consents", methods=["POST", "OPTIONS"])
@banner_endpoint
@limiter.limit(consent_rate_limit, methods=["POST"])
def create_consent() -> ResponseReturnValue:
    if request.method == "OPTIONS":
        return preflight()
    payload = ConsentIn.model_validate(json_body())
    client = client_facts()
    fields = payload.model_dump()
    # The browser's Sec-GPC header counts as much as the banner's own reading of it.
    fields["gpc"] = payload.gpc or client.gpc_header
    recorded = record_consent(
        **fields,
        origin=client.origin,
        country=client.country,
        device_class=client.device_class,
        signing_key=hmac_key(),
        keyring=keyring(),
    )
    out = ConsentOut(
        receipt_id=recorded.receipt_id,
        receipt=recorded.receipt,
        expires_at=isoformat_z(recorded.expires_at),
        visitor_secret=recorded.visitor_secret,
    )
    response: Response = jsonify(out.model_dump())
    return response, 201
