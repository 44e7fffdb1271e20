"""The service's front page and the UI language switch."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from . import activity, views  # noqa: E402,F401
