"""Every API failure is JSON {"error": code, "message": text} with a stable code."""

from __future__ import annotations

from flask import Response, jsonify
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from ..services.errors import ConsentError
from . import bp

# The message of a body the request models refuse (its `fields` say why).
INVALID_BODY = "the request body is not valid"
HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    500: "internal_error",
}


def error_response(status: int, code: str, message: str, **extra: object) -> Response:
    response = jsonify({"error": code, "message": message, **extra})
    response.status_code = status
    return response


def validation_fields(exc: ValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(p) for p in err["loc"]) or "(body)", "message": err["msg"]}
        for err in exc.errors(include_url=False)
    ]


@bp.errorhandler(ConsentError)
def handle_consent_error(exc: ConsentError) -> Response:
    return error_response(exc.status, exc.code, exc.message, **exc.details)


@bp.errorhandler(ValidationError)
def handle_validation_error(exc: ValidationError) -> Response:
    return error_response(422, "invalid_payload", INVALID_BODY, fields=validation_fields(exc))


def http_error_response(exc: HTTPException) -> Response:
    """An HTTP error under /api/ as JSON; consent_app.errors routes them here."""
    status = exc.code or 500
    message = exc.description or exc.name
    if status == 429:
        message = f"too many requests: {exc.description}"
    response = error_response(status, HTTP_CODES.get(status, "http_error"), message)
    for name, value in exc.get_headers() if status == 405 else []:
        if name.lower() == "allow":
            response.headers[name] = value
    return response
