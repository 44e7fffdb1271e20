"""The auditor's door: search receipts, check one, export any search with its proofs."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/audit")

from . import views  # noqa: E402,F401
