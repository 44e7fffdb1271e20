"""Thin views: parse the request, call one service, shape the answer."""

from __future__ import annotations

import json

from flask import Response, current_app, jsonify, request

from ..extensions import limiter
from ..services import receipts
from ..services.consents import find_record, record_consent
from ..services.devices import device_class
from ..services.receipts import isoformat_z
from ..services.sites import is_known_origin, site_profile
from ..services.visitor import VisitorKey, latest_decision
from ..signing import hmac_key, keyring
from . import bp
from .errors import InvalidJSON, PayloadTooLarge, UnsupportedMediaType
from .schemas import (
    ConsentIn,
    ConsentOut,
    Ed25519Out,
    LatestIn,
    ReceiptOut,
    VerifyIn,
    VerifyOut,
)


def json_body() -> object:
    """The request body as JSON, within the API's size limit, or a named error."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("send the body as Content-Type: application/json")
    limit = current_app.config["API_MAX_BODY_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(f"the body is larger than {limit} bytes")
    raw = request.stream.read(limit + 1)
    if len(raw) > limit:
        raise PayloadTooLarge(f"the body is larger than {limit} bytes")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidJSON(f"the body is not valid JSON: {exc}") from exc


def _cors(response: Response) -> Response:
    origin = request.headers.get("Origin")
    response.vary.add("Origin")
    # A 201 means the consent service already checked this origin against the site.
    if origin and (response.status_code == 201 or is_known_origin(origin)):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Max-Age"] = "86400"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "POST"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
    return response


@bp.after_request
def add_cors_headers(response: Response) -> Response:
    """CORS with exact origins (never `*`): any origin some site allows may ask; the
    consent service then checks the origin against the one site named in the body."""
    if request.endpoint in {"api.create_consent", "api.latest_consent"}:
        return _cors(response)
    return response


def _rate_limit() -> str:
    return str(current_app.config["CONSENT_RATE_LIMIT"])


@bp.route("/consents", methods=["POST", "OPTIONS"])
@limiter.limit(_rate_limit, methods=["POST"])
def create_consent() -> tuple[Response, int] | Response:
    if request.method == "OPTIONS":
        return Response(status=204)
    body = json_body()
    payload = ConsentIn.model_validate(body)
    record = record_consent(
        **payload.model_dump(),
        origin=request.headers.get("Origin"),
        signing_key=hmac_key(),
        keyring=keyring(),
        device_class=device_class(request.user_agent.string),
    )
    out = ConsentOut(
        receipt_id=record.receipt_id,
        receipt=record.receipt,
        expires_at=isoformat_z(record.expires_at),
    )
    return jsonify(out.model_dump()), 201


@bp.route("/consents/latest", methods=["POST", "OPTIONS"])
@limiter.limit(_rate_limit, methods=["POST"])
def latest_consent() -> Response:
    """The subject's newest decision: the banner asks after the visitor used /my-consent."""
    if request.method == "OPTIONS":
        return Response(status=204)
    payload = LatestIn.model_validate(json_body())
    profile = site_profile(payload.site)
    profile.check_origin(request.headers.get("Origin"))
    visitor = VisitorKey(payload.site, payload.subject_id)
    return jsonify(latest_decision(visitor, signing_key=hmac_key()))


@bp.get("/receipts/<receipt_id>")
def get_receipt(receipt_id: str) -> Response:
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
def verify_receipt() -> Response:
    """Check a receipt token a visitor or auditor holds, without needing the stored row."""
    payload = VerifyIn.model_validate(json_body())
    try:
        claims = receipts.read_token(payload.receipt, current_app.config["RECEIPT_SIGNING_KEY"])
    except receipts.InvalidReceipt as exc:
        return jsonify(VerifyOut(valid=False, reason=str(exc)).model_dump())
    return jsonify(VerifyOut(valid=True, claims=claims).model_dump())
