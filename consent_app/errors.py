"""Error answers: JSON under /api/ and for .json documents, a page in the reader's
language everywhere else.

One app-wide handler, because routing errors (404, 405) happen before any blueprint is
chosen, and an unhandled exception reaches it as a 500.
"""

from __future__ import annotations

from flask import Flask, Response, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .api.errors import http_error_response

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


def handle_http_error(exc: HTTPException) -> Response:
    if request.path.startswith("/api/") or request.path.endswith(".json"):
        return http_error_response(exc)
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
