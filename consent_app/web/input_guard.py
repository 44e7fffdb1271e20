"""One guard for what the HTML doors read from a request: query strings, form fields and
path parts. None may hold a control character (NUL, escape, bell...): PostgreSQL refuses
a NUL where SQLite would store it silently, and no form field needs the others. Such a
request gets the 400 error page before any view, form or query sees it.

The JSON API and the banner scripts validate their input by type and shape instead
(api/fields.py, services/shapes.py), and answer in JSON or a script comment.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Flask, abort, request

from ..services.shapes import FORM_TEXT, fits

TYPED_DOORS = {"api", "embed"}


def _texts() -> Iterator[str]:
    for name, value in request.args.items(multi=True):
        yield from (name, value)
    if request.method in {"POST", "PUT", "PATCH"}:
        for name, value in request.form.items(multi=True):
            yield from (name, value)
        for name, upload in request.files.items(multi=True):
            yield from (name, upload.filename or "")
    for value in (request.view_args or {}).values():
        if isinstance(value, str):
            yield value


def refuse_control_characters() -> None:
    if request.blueprint in TYPED_DOORS:
        return
    if not all(fits(FORM_TEXT, text) for text in _texts()):
        abort(400, "the request holds control characters")


def install(app: Flask) -> None:
    app.before_request(refuse_control_characters)
