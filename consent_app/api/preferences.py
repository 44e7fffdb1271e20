"""POST /api/v1/preferences: the visitor's language and location, while functionality is
granted."""

from __future__ import annotations

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from ..extensions import configured_limit, limiter
from ..services.visitor.preferences import save_preference
from . import bp
from .body import client_facts, json_body
from .cors import banner_endpoint, preflight
from .schemas import PreferenceIn, PreferenceOut


@bp.route("/preferences", methods=["POST", "OPTIONS"])
@banner_endpoint
@limiter.limit(configured_limit("PREFERENCE_RATE_LIMIT"), methods=["POST"])
def set_preference() -> ResponseReturnValue:
    if request.method == "OPTIONS":
        return preflight()
    payload = PreferenceIn.model_validate(json_body())
    # Only the keys sent are changed: two quick writes may arrive in either order.
    preference = save_preference(
        site=payload.site,
        subject_id=payload.subject_id,
        visitor_secret=payload.visitor_secret,
        changes=payload.model_dump(include={"language", "location"}, exclude_unset=True),
        origin=client_facts().origin,
    )
    return jsonify(
        PreferenceOut(language=preference.language, location=preference.location).model_dump()
    )
