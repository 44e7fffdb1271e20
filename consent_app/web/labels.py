"""Words for stored codes, defined once for every page (translated): actions, device
classes, roles, activity-log entries, and category names (a site's own first)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import g
from flask_babel import format_datetime, format_number, get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..models import Site
from ..services.sites import texts
from ..services.sites.wording import category_names

ACTION_LABELS = {
    "accept_all": _l("Accepted all"),
    "reject_all": _l("Rejected all"),
    "custom": _l("Chose categories"),
    "withdraw": _l("Withdrew consent"),
    "gpc": _l("Global Privacy Control"),
}
DEVICE_LABELS = {
    "desktop": _l("Desktop"),
    "mobile": _l("Mobile"),
    "tablet": _l("Tablet"),
    "bot": _l("Bot"),
    "unknown": _l("Unknown"),
}
ROLE_LABELS = {"admin": _l("Administrator"), "marketer": _l("Marketer"), "auditor": _l("Auditor")}

# What an activity-log entry records, in words. The stored code stays beside it on the
# page, because auditors search and quote the codes.
ACTIVITY_LABELS = {
    "receipt.search": _l("Searched receipts"),
    "receipt.view": _l("Viewed a receipt"),
    "receipt.export": _l("Exported receipts"),
    "site.create": _l("Created a site"),
    "site.update": _l("Changed a site"),
    "category.create": _l("Added a category"),
    "category.delete": _l("Deleted a category"),
    "category_texts.update": _l("Changed category texts"),
    "banner_texts.update": _l("Changed banner texts"),
    "rule.create": _l("Added a cookie rule"),
    "rule.delete": _l("Deleted a cookie rule"),
    "review.classify": _l("Classified a reported cookie"),
    "review.dismiss": _l("Dismissed a reported cookie"),
    "policy.publish": _l("Published a policy version"),
    "user.create": _l("Created a user"),
    "user.update": _l("Changed a user"),
    "user.password": _l("Changed a password"),
}
ACTIVITY_KIND_LABELS = {"access": _l("Access"), "change": _l("Change")}


# Changes whose details are {field: [before, after]}.
BEFORE_AFTER_ACTIONS = {"site.update", "user.update"}


NOTHING = "\N{EN DASH}"  # how the tables show an empty value


def _detail_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if isinstance(value, int | float):
        return str(format_number(value))
    if isinstance(value, list | tuple):
        return ", ".join(_detail_text(item) for item in value) or NOTHING
    return NOTHING if value in (None, "") else str(value)


def activity_details(action: str, details: dict[str, Any]) -> list[tuple[str, str]]:
    """An activity entry's details as (name, words) pairs for people to read."""
    pairs = []
    for name, value in details.items():
        if action in BEFORE_AFTER_ACTIONS and isinstance(value, list) and len(value) == 2:
            pairs.append((name, f"{_detail_text(value[0])} → {_detail_text(value[1])}"))
        else:
            pairs.append((name, _detail_text(value)))
    return pairs


def moment(value: datetime) -> Markup:
    """One way to show an instant on every page: the reader's locale, to the second, and
    always in UTC, said so (receipts, logs and tree heads are all UTC)."""
    text = f"{format_datetime(value, 'medium')} UTC"
    return Markup('<time datetime="{}">{}</time>').format(value.isoformat(), text)


def category_name(slug: str, site: Site | None = None) -> str:
    """A category's name in the page's language: the site's own name for it first (when
    the page is about one site), then the built-in words, then its slug."""
    if site is None:
        return texts.category_name(slug)
    return site_category_names(site).get(slug) or texts.category_name(slug)


def site_category_names(site: Site) -> dict[str, str]:
    """category_names() for the page's language, looked up once per request and site."""
    cache: dict[tuple[int, str], dict[str, str]] = g.setdefault("category_names", {})
    key = (site.id, str(get_locale()))
    if key not in cache:
        cache[key] = category_names(site, key[1])
    return cache[key]
