"""The scripts a customer's page loads: /c/<site>.js (core) and /c/<site>/ui/<lang>.js."""

from flask import Blueprint

bp = Blueprint("embed", __name__, url_prefix="/c")

from . import views  # noqa: E402,F401
