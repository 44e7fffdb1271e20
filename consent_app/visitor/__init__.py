"""The visitor's door: /my-consent, opened from the banner with a short-lived link."""

from flask import Blueprint

bp = Blueprint("visitor", __name__, url_prefix="/my-consent")

from . import views  # noqa: E402,F401
