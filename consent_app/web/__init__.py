"""What every door's pages and answers share, installed once by the app factory:
template helpers (templates.py), error answers (errors.py), security headers
(security_headers.py) and the guard against control characters in input (input_guard.py).
Words for stored codes are in labels.py, the UI languages in i18n.py, the header's doors
in navigation.py."""

from __future__ import annotations

from flask import Flask

from . import errors, input_guard, security_headers, templates


def init_app(app: Flask) -> None:
    templates.register(app)
    errors.install(app)
    security_headers.install(app)
    input_guard.install(app)
