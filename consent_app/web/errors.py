"""Errors become answers here, and only here.

Domain errors (services/errors.py) name a kind, never an HTTP status: HTTP_STATUS maps
each kind to one. Answers are JSON `{"error": code, "message": text}` under /api/ and for
.json documents, and a page in the reader's language everywhere else; doors that answer
otherwise (a script comment under /c/, the visitor's problem page) take their status from
`status_of` as well.

One app-wide handler for HTTP errors, because routing errors (404, 405) happen before any
blueprint is chosen, and an unhandled exception reaches it as a 500.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..services.errors import (
    Conflict,
    ConsentError,
    Gone,
    Invalid,
    Malformed,
    NotFound,
    Refused,
    TooLarge,
    Unsupported,
)

HTTP_STATUS: dict[type[ConsentError], int] = {
    Malformed: 400,
    Refused: 403,
    NotFound: 404,
    Conflict: 409,
    Gone: 410,
    TooLarge: 413,
    Unsupported: 415,
    Invalid: 422,
}


def status_of(error: ConsentError | type[ConsentError]) -> int:
    """The HTTP status of a domain error: that of the nearest kind it belongs to."""
    kind = error if isinstance(error, type) else type(error)
    for cls in kind.__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]
    return 400


# Stable codes of errors the HTTP layer raises itself.
HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    500: "internal_error",
}

ERROR_PAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Check the address.")),
    403: (_l("Not allowed"), _l("Your account may not open this page.")),
    404: (_l("Page not found"), _l("There is nothing at this address.")),
    405: (_l("Not allowed here"), _l("This address does not accept that kind of request.")),
    413: (_l("Too large"), _l("What was sent is larger than this service accepts.")),
    429: (_l("Too many requests"), _l("Please wait a minute and try again.")),
    500: (
        _l("Something went wrong"),
        _l("The error has been logged. Nothing you saved was lost; please try again."),
    ),
}
# Headers a client needs to act on the error; the rest of the exception's are HTML's.
KEPT_HEADERS = {"allow", "retry-after"}


def error_response(status: int, code: str, message: str, **extra: object) -> Response:
    response = jsonify({"error": code, "message": message, **extra})
    response.status_code = status
    return response


def domain_error_response(error: ConsentError) -> Response:
    """A domain error as JSON, with its details (`fields` for validation errors)."""
    return error_response(status_of(error), error.code, error.message, **error.details)


def http_error_json(exc: HTTPException) -> Response:
    status = exc.code or 500
    message = exc.description or exc.name
    if status == 429:
        message = f"too many requests: {exc.description}"
    response = error_response(status, HTTP_CODES.get(status, "http_error"), message)
    for name, value in exc.get_headers():
        if name.lower() in KEPT_HEADERS:
            response.headers[name] = value
    return response


def handle_http_error(exc: HTTPException) -> Response:
    if request.path.startswith("/api/") or request.path.endswith(".json"):
        return http_error_json(exc)
    if request_ctx.url_adapter is None:
        # A Host the app does not answer (TRUSTED_HOSTS, from SERVICE_ORIGIN) leaves the
        # request without URLs, so a page, which links its styles, cannot be drawn.
        return http_error_json(exc)
    status = exc.code or 500
    title, text = ERROR_PAGES.get(status, (exc.name, exc.description or ""))
    if isinstance(exc, CSRFError):
        text = _l("The form had expired. Go back, reload the page and send it again.")
    response = make_response(
        render_template("error.html", status=status, title=title, text=text), status
    )
    for name, value in exc.get_headers():
        if name.lower() in KEPT_HEADERS:
            response.headers[name] = value
    return response


def install(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
