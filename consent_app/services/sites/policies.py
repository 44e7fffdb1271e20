"""Publishing policy versions: the label visitors consent under and a hash of its text."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from ...extensions import db
from ...models import PolicyVersion, Site
from ..ledger.receipts import canonical_json
from .texts import available_languages, banner_texts
from .wording import with_site_texts


def banner_text_hash(site: Site) -> str:
    """SHA-256 over the banner texts of every language, so a receipt names the words."""
    categories = [c.slug for c in site.categories]
    texts = {
        lang: with_site_texts(site, lang, banner_texts(lang, categories))
        for lang in available_languages()
    }
    return hashlib.sha256(canonical_json(texts)).hexdigest()


def category_purposes(site: Site) -> dict[str, str]:
    """Each category's purpose as the banner states it in English (with the site's own
    wording where it has one); receipts quote these."""
    categories = [c.slug for c in site.categories]
    texts = with_site_texts(site, "en", banner_texts("en", categories))["categories"]
    assert isinstance(texts, dict)
    return {slug: str(text["description"]) for slug, text in texts.items()}


def publish(
    site: Site, label: str, *, major: bool, now: datetime | None = None, commit: bool = True
) -> PolicyVersion:
    """Publish a version. Pass commit=False to publish in the caller's transaction."""
    version = PolicyVersion(
        site=site,
        label=label,
        major=major,
        text_hash=banner_text_hash(site),
        purposes=category_purposes(site),
        published_at=now or datetime.now(UTC),
    )
    db.session.add(version)
    if commit:
        db.session.commit()
    return version
