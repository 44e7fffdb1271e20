"""POST /api/v1/cookies/reports: names of cookies the banner met and no rule knew."""

from __future__ import annotations

from flask import Response, request
from flask.typing import ResponseReturnValue

from ..extensions import configured_limit, limiter
from ..services.cookies.reports import report_unknown_cookies
from . import bp
from .body import client_facts, json_body
from .cors import banner_endpoint, preflight
from .schemas import CookieReportIn


@bp.route("/cookies/reports", methods=["POST", "OPTIONS"])
@banner_endpoint
@limiter.limit(configured_limit("COOKIE_REPORT_RATE_LIMIT"), methods=["POST"])
def report_cookies() -> ResponseReturnValue:
    if request.method == "OPTIONS":
        return preflight()
    # Sent with navigator.sendBeacon, which posts text/plain.
    payload = CookieReportIn.model_validate(json_body(beacon=True))
    report_unknown_cookies(**payload.model_dump(), origin=client_facts().origin)
    return Response(status=204)
