"""What every admin view shares: the role check, finding the site, showing a service's
refusal next to the form field it is about."""

from __future__ import annotations

from typing import Any

from flask import abort, flash
from flask_login import current_user
from flask_wtf import FlaskForm

from ..auth.roles import role_required
from ..models import Site, User
from ..services.errors import ConsentError, UnknownSite
from ..services.sites.profiles import get_site

admin_only = role_required("admin")


def site_or_404(site_key: str) -> Site:
    try:
        return get_site(site_key)
    except UnknownSite:
        abort(404)


def actor() -> User:
    """The signed-in admin (the real User row behind Flask-Login's proxy)."""
    return current_user._get_current_object()  # type: ignore[no-any-return]


def show_error(form: FlaskForm, error: ConsentError) -> None:
    """Put a service's refusal next to its field, or at the top of the page."""
    field: Any = getattr(form, str(error.details.get("field", "")), None)
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")
