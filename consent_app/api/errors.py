"""Every API failure is JSON {"error": code, "message": text} with a stable code
(rendered by web/errors.py, which also decides the status)."""

from __future__ import annotations

from flask import Response
from pydantic import ValidationError

from ..services.errors import ConsentError
from ..web.errors import domain_error_response, error_response
from . import bp

# The message of a body the request models refuse (its `fields` say why).
INVALID_BODY = "the request body is not valid"


def validation_fields(exc: ValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(p) for p in err["loc"]) or "(body)", "message": err["msg"]}
        for err in exc.errors(include_url=False)
    ]


@bp.errorhandler(ConsentError)
def handle_consent_error(exc: ConsentError) -> Response:
    return domain_error_response(exc)


@bp.errorhandler(ValidationError)
def handle_validation_error(exc: ValidationError) -> Response:
    return error_response(422, "invalid_payload", INVALID_BODY, fields=validation_fields(exc))
