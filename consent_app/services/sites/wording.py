"""A site's own banner wording per language (admin console), over the gettext catalogs.

`with_site_texts()` is the one place where it is applied: services/banner.py uses it for
the UI script and services/policies.py for the hash of the words a policy version names.
"""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select

from ...extensions import db
from ...models import BannerText, Category, CategoryText, Site, User
from ..accounts.activity import commit_change
from ..errors import Invalid
from .texts import BANNER_TEXTS, available_languages, category_name

MAX_TEXT_LENGTH = {"body": 2000, "settings_body": 2000}
DEFAULT_MAX_LENGTH = 200


class InvalidText(Invalid):
    code = "invalid_text"


def with_site_texts(site: Site, language: str, texts: dict[str, Any]) -> dict[str, Any]:
    """`texts` (services/texts.py banner_texts() in one language) with the site's own
    banner texts and category names and descriptions in that language over them."""
    own = db.session.execute(
        select(BannerText.key, BannerText.text).where(
            BannerText.site_id == site.id, BannerText.language == language
        )
    )
    merged = {**texts, **{key: text for key, text in own}}
    categories = {slug: dict(entry) for slug, entry in texts.get("categories", {}).items()}
    named = db.session.execute(
        select(Category.slug, CategoryText.name, CategoryText.description)
        .join(CategoryText.category)
        .where(Category.site_id == site.id, CategoryText.language == language)
    )
    for slug, name, description in named:
        if slug in categories:
            categories[slug].update({"name": name} if name else {})
            categories[slug].update({"description": description} if description else {})
    merged["categories"] = categories
    return merged


def category_names(site: Site, language: str) -> dict[str, str]:
    """Each category of the site by the name visitors read in `language`: the site's own
    name first, then the built-in words, then its slug. The one rule for every page, CSV
    and banner that names a category."""
    rows = db.session.execute(
        select(Category.slug, CategoryText.name)
        .join(CategoryText.category)
        .where(
            Category.site_id == site.id,
            CategoryText.language == language,
            CategoryText.name != "",
        )
    )
    own = {slug: name for slug, name in rows}
    with force_locale(language.replace("-", "_")):
        return {c.slug: own.get(c.slug) or category_name(c.slug) for c in site.categories}


def banner_text_overrides(site: Site, language: str) -> dict[str, str]:
    rows = db.session.execute(
        select(BannerText.key, BannerText.text).where(
            BannerText.site_id == site.id, BannerText.language == language
        )
    )
    return {key: text for key, text in rows}


def _check_language(language: str) -> None:
    if language not in available_languages():
        raise InvalidText(
            _("The banner has no texts in %(language)s.", language=language), field="language"
        )


def set_banner_texts(actor: User, site: Site, language: str, texts: dict[str, str]) -> list[str]:
    """Replace the site's banner texts in one language; an empty text uses the catalog.
    Returns the keys whose text changed (nothing is logged when none did)."""
    _check_language(language)
    cleaned = {key: value.strip() for key, value in texts.items() if value and value.strip()}
    for key, value in cleaned.items():
        if key not in BANNER_TEXTS:
            raise InvalidText(_("The banner has no text called %(key)s.", key=key), field=key)
        limit = MAX_TEXT_LENGTH.get(key, DEFAULT_MAX_LENGTH)
        if len(value) > limit:
            raise InvalidText(_("At most %(limit)d characters.", limit=limit), field=key)
    before = banner_text_overrides(site, language)
    db.session.execute(
        delete(BannerText).where(BannerText.site_id == site.id, BannerText.language == language)
    )
    db.session.add_all(
        BannerText(site_id=site.id, language=language, key=k, text=v) for k, v in cleaned.items()
    )
    changed = sorted(k for k in before.keys() | cleaned.keys() if before.get(k) != cleaned.get(k))
    if not changed:
        db.session.rollback()
        return changed
    commit_change(actor, "banner_texts.update", f"{site.key}/{language}", {"changed": changed})
    return changed


def category_texts(category: Category) -> dict[str, CategoryText]:
    rows = db.session.scalars(select(CategoryText).where(CategoryText.category_id == category.id))
    return {row.language: row for row in rows}


def set_category_texts(
    actor: User, category: Category, texts: dict[str, tuple[str, str]]
) -> list[str]:
    """Set a category's (name, description) per language; empty ones use the catalog.
    Returns the languages that changed."""
    for language, (name, description) in texts.items():
        _check_language(language)
        if len(name.strip()) > 100:
            raise InvalidText(
                _("At most %(limit)d characters.", limit=100), field=f"name_{language}"
            )
        limit = MAX_TEXT_LENGTH["body"]
        if len(description.strip()) > limit:
            raise InvalidText(
                _("At most %(limit)d characters.", limit=limit), field=f"description_{language}"
            )
    existing = category_texts(category)
    changed = []
    for language, (name, description) in texts.items():
        row = existing.get(language)
        wanted = (name.strip(), description.strip())
        if wanted == ((row.name, row.description) if row else ("", "")):
            continue
        changed.append(language)
        if wanted == ("", ""):
            db.session.delete(row)
            continue
        row = row or CategoryText(category_id=category.id, language=language)
        row.name, row.description = wanted
        db.session.add(row)
    if not changed:
        db.session.rollback()
        return changed
    target = f"{category.site.key}/{category.slug}"
    commit_change(actor, "category_texts.update", target, {"languages": sorted(changed)})
    return changed
