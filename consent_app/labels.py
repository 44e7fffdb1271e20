"""Words for stored codes, shown on the audit and visitor pages (translated)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask_babel import format_number
from flask_babel import lazy_gettext as _l

from .services.texts import CATEGORY_TEXTS

ACTION_LABELS = {
    "accept_all": _l("Accepted all"),
    "reject_all": _l("Rejected all"),
    "custom": _l("Chose categories"),
    "withdraw": _l("Withdrew consent"),
    "gpc": _l("Global Privacy Control"),
}


def category_name(slug: str) -> str:
    texts = CATEGORY_TEXTS.get(slug)
    return str(texts[0]) if texts else slug


def page_labels() -> dict[str, Any]:
    """For templates: action labels and category names in the page's language."""
    return {"action_labels": ACTION_LABELS, "category_name": category_name}


def use_page_labels(bp: Blueprint) -> None:
    """Give a blueprint's templates the labels and a locale-aware `format_number` filter."""
    bp.context_processor(page_labels)
    bp.add_app_template_filter(format_number, "format_number")
