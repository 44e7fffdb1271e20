"""Admin changes to sites, their categories and policy versions. Each change is
validated here (plain values in, InvalidChange out) and committed together with its
activity-log entry, so a change and the record of who made it land together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import func, select

from ...extensions import db
from ...models import NECESSARY, REGION_RULES, AllowedOrigin, Category, Site, User
from ..accounts.activity import commit_change
from ..errors import Invalid
from ..shapes import CATEGORY_SLUG, POLICY_LABEL, SITE_KEY, fits
from .policies import publish
from .profiles import policy_versions
from .texts import available_languages

MAX_LIFETIME_DAYS = 395  # 13 months: the longest consent lifetime regulators accept
DEFAULT_CATEGORIES = (NECESSARY, "functionality", "advertising")


class InvalidChange(Invalid):
    """A change an admin asked for that cannot be made; `field` names the form field."""

    code = "invalid_change"

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message, field=field)
        self.field = field


@dataclass(frozen=True)
class SiteSettings:
    name: str
    controller: str
    default_language: str
    consent_lifetime_days: int
    region_rule: str
    unknown_cookie_policy: str
    origins: tuple[str, ...]
    reopen_button: bool = True
    google_consent_mode: bool = True


def normalise_origin(text: str) -> str:
    """scheme://host[:port] in lower case, or InvalidChange naming the bad line."""
    parts = urlsplit(text.strip())
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or "*" in parts.netloc
        or parts.username
    ):
        raise InvalidChange(
            _("%(text)s is not an origin like https://shop.example", text=text.strip()), "origins"
        )
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        raise InvalidChange(
            _("%(text)s has an invalid port", text=text.strip()), "origins"
        ) from None
    return f"{parts.scheme}://{parts.hostname}{port}".lower()


def _check(settings: SiteSettings, categories: list[str]) -> tuple[str, ...]:
    if not settings.name.strip() or len(settings.name) > 200:
        raise InvalidChange(_("Give a name of 1 to 200 characters."), "name")
    if len(settings.controller) > 200:
        raise InvalidChange(_("At most %(limit)d characters.", limit=200), "controller")
    if settings.default_language not in available_languages():
        raise InvalidChange(_("Choose a language the banner has texts for."), "default_language")
    if not 1 <= settings.consent_lifetime_days <= MAX_LIFETIME_DAYS:
        raise InvalidChange(
            _("Between 1 and %(days)d days.", days=MAX_LIFETIME_DAYS), "consent_lifetime_days"
        )
    if settings.region_rule not in REGION_RULES:
        raise InvalidChange(_("Choose one of the region rules."), "region_rule")
    if settings.unknown_cookie_policy not in categories:
        raise InvalidChange(_("Choose one of the site's categories."), "unknown_cookie_policy")
    origins = tuple(dict.fromkeys(normalise_origin(o) for o in settings.origins if o.strip()))
    if not origins:
        raise InvalidChange(_("Give at least one origin."), "origins")
    return origins


def _apply(site: Site, settings: SiteSettings, origins: tuple[str, ...]) -> dict[str, Any]:
    changed: dict[str, Any] = {}
    for name in (
        "name",
        "controller",
        "default_language",
        "consent_lifetime_days",
        "region_rule",
        "unknown_cookie_policy",
        "reopen_button",
        "google_consent_mode",
    ):
        value = getattr(settings, name)
        value = value.strip() if isinstance(value, str) else value
        if getattr(site, name) != value:
            changed[name] = [getattr(site, name), value]
            setattr(site, name, value)
    have = [o.origin for o in site.origins]
    if sorted(have) != sorted(origins):
        changed["origins"] = [have, list(origins)]
        site.origins = [o for o in site.origins if o.origin in origins] + [
            AllowedOrigin(origin=o) for o in origins if o not in have
        ]
    return changed


def create_site(actor: User, key: str, settings: SiteSettings) -> Site:
    """A new site with the three usual categories and a first (major) policy version."""
    if not fits(SITE_KEY, key):
        raise InvalidChange(_("Letters, digits, - and _ only (at most 64)."), "key")
    if db.session.scalar(select(Site.id).where(func.lower(Site.key) == key.lower())):
        raise InvalidChange(_("A site with the key %(key)s exists already.", key=key), "key")
    origins = _check(settings, list(DEFAULT_CATEGORIES))
    site = Site(key=key)
    site.categories = [Category(slug=s, position=i) for i, s in enumerate(DEFAULT_CATEGORIES)]
    _apply(site, settings, origins)
    db.session.add(site)
    db.session.flush()
    publish(site, "1", major=True, commit=False)
    commit_change(actor, "site.create", key, {"name": site.name, "origins": list(origins)})
    return site


def update_site(actor: User, site: Site, settings: SiteSettings) -> dict[str, Any]:
    """Apply the settings; returns {field: [before, after]} of what changed."""
    origins = _check(settings, [c.slug for c in site.categories])
    changed = _apply(site, settings, origins)
    if changed:
        commit_change(actor, "site.update", site.key, changed)
    return changed


def add_category(actor: User, site: Site, slug: str) -> Category:
    slug = slug.strip().lower()
    if not fits(CATEGORY_SLUG, slug):
        raise InvalidChange(_("A lower-case letter, then letters, digits, - or _."), "slug")
    if slug in {c.slug for c in site.categories}:
        raise InvalidChange(_("The site has a category %(slug)s already.", slug=slug), "slug")
    category = Category(
        slug=slug, position=max((c.position for c in site.categories), default=0) + 1
    )
    site.categories.append(category)
    commit_change(actor, "category.create", f"{site.key}/{slug}")
    return category


def remove_category(actor: User, site: Site, slug: str) -> None:
    """Remove a category no rule and no unknown-cookie policy still points at."""
    category = next((c for c in site.categories if c.slug == slug), None)
    if category is None:
        raise InvalidChange(_("The site has no category %(slug)s.", slug=slug), "slug")
    if category.required:
        raise InvalidChange(_("Necessary cookies are always on; the category stays."), "slug")
    if site.unknown_cookie_policy == slug:
        raise InvalidChange(_("Unknown cookies are treated as this category."), "slug")
    if any(rule.category == slug for rule in site.cookie_rules):
        raise InvalidChange(_("Cookie rules still use this category."), "slug")
    site.categories.remove(category)
    commit_change(actor, "category.delete", f"{site.key}/{slug}")


def publish_version(actor: User, site: Site, label: str, *, major: bool) -> None:
    """Publish a policy version (hashing today's texts); a major one asks everyone again."""
    label = label.strip()
    if not fits(POLICY_LABEL, label):
        raise InvalidChange(_("Letters, digits, '.', '-' and '_' (at most 32)."), "label")
    if label in {v.label for v in policy_versions(site)}:
        raise InvalidChange(_("Version %(label)s exists already.", label=label), "label")
    version = publish(site, label, major=major, commit=False)
    details = {"major": major, "text_hash": version.text_hash}
    commit_change(actor, "policy.publish", f"{site.key}/{label}", details)
