"""The JSON API the banner talks to (v1). A new contract version is /api/v2, never a change."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import (  # noqa: E402,F401  (registers routes and handlers on bp)
    consents,
    cookie_reports,
    cors,
    errors,
    impressions,
    latest,
    log,
    openapi,
    preferences,
    receipts,
)
