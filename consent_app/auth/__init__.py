"""Signing in and out; role checks shared by the dashboard, audit and admin doors."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from . import views  # noqa: E402,F401
