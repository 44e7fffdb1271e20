"""POST /api/v1/impressions: the banner's `shown` event, one per first-layer display."""

from __future__ import annotations

from flask import Response, current_app, request

from ..extensions import limiter
from ..services.devices import device_class
from ..services.impressions import record_impression
from . import bp
from .schemas import ImpressionIn
from .views import json_body

# navigator.sendBeacon sends a string body as text/plain, which also spares the browser a
# CORS preflight; fetch() callers may say application/json.
IMPRESSION_BODY_TYPES = ("text/plain", "application/json")


def _rate_limit() -> str:
    return str(current_app.config["IMPRESSION_RATE_LIMIT"])


@bp.route("/impressions", methods=["POST", "OPTIONS"])
@limiter.limit(_rate_limit, methods=["POST"])
def create_impression() -> Response:
    if request.method == "OPTIONS":
        return Response(status=204)
    payload = ImpressionIn.model_validate(json_body(IMPRESSION_BODY_TYPES))
    record_impression(
        **payload.model_dump(),
        origin=request.headers.get("Origin"),
        device_class=device_class(request.user_agent.string),
    )
    return Response(status=204)
