"""POST /api/v1/preferences: the visitor's language and location, while functionality is
granted."""

from __future__ import annotations

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from ..services.preferences import save_preference
from . import bp
from .body import client_facts, json_body
from .cors import banner_endpoint, preflight
from .schemas import PreferenceIn, PreferenceOut


@bp.route("/preferences", methods=["POST", "OPTIONS"])
@banner_endpoint
def set_preference() -> ResponseReturnValue:
    if request.method == "OPTIONS":
        return preflight()
    payload = PreferenceIn.model_validate(json_body())
    preference = save_preference(**payload.model_dump(), origin=client_facts().origin)
    return jsonify(
        PreferenceOut(language=preference.language, location=preference.location).model_dump()
    )
