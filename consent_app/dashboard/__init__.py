"""The marketer's door: consent rates per site and period, with SVG charts and CSV."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

from . import views  # noqa: E402,F401
