"""CORS for the endpoints the banner calls from customer pages: exact origins, never `*`.

A preflight carries no body, so it cannot name a site: any origin that some site allows
may ask, and each endpoint then checks the origin against the one site named in the body.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Response, request

from ..services.sites.profiles import is_known_origin
from . import bp

F = TypeVar("F", bound=Callable[..., object])
BANNER_ENDPOINTS: set[str] = set()


def banner_endpoint(view: F) -> F:
    """Mark a view as called cross-origin by the banner."""
    BANNER_ENDPOINTS.add(f"{bp.name}.{view.__name__}")
    return view


def preflight() -> Response:
    return Response(status=204)


@bp.after_request
def add_cors_headers(response: Response) -> Response:
    if request.endpoint not in BANNER_ENDPOINTS:
        return response
    origin = request.headers.get("Origin")
    response.vary.add("Origin")
    # A 2xx means the endpoint already checked this origin against the site it names.
    verified = request.method != "OPTIONS" and 200 <= response.status_code < 300
    if origin and (verified or is_known_origin(origin)):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Max-Age"] = "86400"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "POST"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
    return response
