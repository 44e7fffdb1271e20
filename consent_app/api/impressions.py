"""POST /api/v1/impressions: the banner's `shown` event, one per first-layer display."""

from __future__ import annotations

from flask import Response, request
from flask.typing import ResponseReturnValue

from ..extensions import configured_limit, limiter
from ..services.stats.impressions import record_impression
from . import bp
from .body import client_facts, json_body
from .cors import banner_endpoint, preflight
from .schemas import ImpressionIn


@bp.route("/impressions", methods=["POST", "OPTIONS"])
@banner_endpoint
@limiter.limit(configured_limit("IMPRESSION_RATE_LIMIT"), methods=["POST"])
def create_impression() -> ResponseReturnValue:
    if request.method == "OPTIONS":
        return preflight()
    # Sent with navigator.sendBeacon, which posts text/plain.
    payload = ImpressionIn.model_validate(json_body(beacon=True))
    client = client_facts()
    record_impression(
        site=payload.site,
        policy_version=payload.policy_version,
        language=payload.language,
        # The browser's Sec-GPC header counts as much as the banner's own reading of it.
        gpc=payload.gpc or client.gpc_header,
        origin=client.origin,
        country=client.country,
        device_class=client.device_class,
    )
    return Response(status=204)
