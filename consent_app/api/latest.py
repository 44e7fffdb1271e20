"""POST /api/v1/consents/latest: the subject's newest decision, for the banner to catch up
with what the visitor did at /my-consent (a withdrawal, an erasure)."""

from __future__ import annotations

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from ..extensions import limiter
from ..services.sites.profiles import site_profile
from ..services.visitor.self_service import VisitorKey, latest_decision
from ..signing import hmac_key
from . import bp
from .body import json_body
from .consents import consent_rate_limit
from .cors import banner_endpoint, preflight
from .schemas import LatestIn


@bp.route("/consents/latest", methods=["POST", "OPTIONS"])
@banner_endpoint
@limiter.limit(consent_rate_limit, methods=["POST"])
def latest_consent() -> ResponseReturnValue:
    if request.method == "OPTIONS":
        return preflight()
    payload = LatestIn.model_validate(json_body())
    site_profile(payload.site).check_origin(request.headers.get("Origin"))
    visitor = VisitorKey(payload.site, payload.subject_id)
    return jsonify(latest_decision(visitor, payload.visitor_secret, signing_key=hmac_key()))
