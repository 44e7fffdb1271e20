"""The admin's door: sites, categories, cookie rules and their review queue, banner texts,
policy versions and users. Every change is recorded in the activity log (/activity)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import rules, sites, texts, users  # noqa: E402,F401
