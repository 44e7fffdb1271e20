"""Everything templates get besides their view's own values, registered in one place:
the header's forms and doors, words for stored codes, and formatting filters."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, url_for
from flask_babel import format_number, get_locale

from ..dashboard.formatting import cell
from ..models import Site
from ..services.cookies.reports import open_count
from ..services.ledger.search import ReceiptQuery
from .i18n import ui_languages
from .labels import (
    ACTION_LABELS,
    ACTIVITY_KIND_LABELS,
    ACTIVITY_LABELS,
    ROLE_LABELS,
    activity_details,
    category_name,
    moment,
)
from .navigation import NAV_LINKS


def page_header() -> dict[str, Any]:
    """What every HTML page's header needs: forms with CSRF tokens and the doors."""
    from ..auth.forms import LogoutForm
    from ..main.views import LanguageForm

    # formdata=None: these forms are only drawn here, never read from this request (an
    # error page for a body too large to read must not read it again).
    language_form = LanguageForm(formdata=None)
    language_form.language.choices = ui_languages()
    links = [link for link in NAV_LINKS if link[0] in current_app.view_functions]
    return {
        "logout_form": LogoutForm(formdata=None),
        "language_form": language_form,
        "nav_links": links,
    }


def export_url(fmt: str, query: ReceiptQuery) -> str:
    """Where an auditor downloads the receipts a search found."""
    return url_for("audit.export", fmt=fmt, **query.as_args())  # type: ignore[arg-type]


def review_count(site: Site) -> int:
    """How many reported cookie names wait for the admin's review (the site tabs)."""
    return open_count(site.id)


def register(app: Flask) -> None:
    app.context_processor(page_header)
    app.jinja_env.globals.update(
        get_locale=get_locale,
        category_name=category_name,
        export_url=export_url,
        review_count=review_count,
        action_labels=ACTION_LABELS,
        role_labels=ROLE_LABELS,
        activity_labels=ACTIVITY_LABELS,
        activity_kind_labels=ACTIVITY_KIND_LABELS,
        activity_details=activity_details,
    )
    app.jinja_env.filters.update(moment=moment, format_number=format_number, cell=cell)
