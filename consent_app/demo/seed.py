"""The demo site `make run` serves: our reference customer, a Norwegian software company
whose privacy policy names Functionality and Advertising cookies."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import ROLES, AllowedOrigin, Category, CookieRule, PolicyVersion, Site, User
from ..services.accounts.users import create_user
from ..services.cookies.classify import builtin_catalog
from ..services.sites.policies import publish

DEMO_KEY = "demo"
DEMO_CATEGORIES = ("necessary", "functionality", "advertising")
# Cookies the demo page sets or could meet, taken from the built-in catalog.
DEMO_COOKIES = ("lang", "location", "_fbp", "_fbc", "_gcl_au", "_ga", "_ga_", "_gid")


def seed_demo(host_origins: list[str]) -> Site:
    """Create or complete the demo site. Running it again changes nothing."""
    site = db.session.scalar(select(Site).where(Site.key == DEMO_KEY))
    if site is None:
        site = Site(
            key=DEMO_KEY,
            name="Nordlys Programvare AS (demo)",
            controller="Nordlys Programvare AS",
            default_language="nb",
        )
        db.session.add(site)
    have = {o.origin for o in site.origins}
    site.origins.extend(AllowedOrigin(origin=o) for o in host_origins if o not in have)
    slugs = {c.slug for c in site.categories}
    site.categories.extend(
        Category(slug=slug, position=i)
        for i, slug in enumerate(DEMO_CATEGORIES)
        if slug not in slugs
    )
    curated = builtin_catalog()[0]
    patterns = {r.pattern for r in site.cookie_rules}
    for name in DEMO_COOKIES:
        if name in patterns:
            continue
        definition = curated.exact.get(name) or next(
            p for p in curated.prefixes if p.pattern == name
        )
        site.cookie_rules.append(
            CookieRule(
                pattern=definition.pattern,
                match=definition.match,
                category=definition.category,
                provider=definition.provider,
                purpose=definition.purpose,
                duration=definition.duration,
            )
        )
    db.session.commit()
    has_policy = db.session.scalar(select(PolicyVersion.id).where(PolicyVersion.site_id == site.id))
    if has_policy is None:
        publish(site, "1", major=True)
    return site


DEMO_PASSWORD = "samtykke-demo"


def demo_user_email(role: str) -> str:
    return f"{role}@demo.example"


def seed_demo_users() -> list[tuple[str, str]]:
    """One user per role with a published password, for local demos only (the CLI
    refuses in production). Returns (email, role) pairs."""
    made = []
    for role in ROLES:
        email = demo_user_email(role)
        if db.session.scalar(select(User.id).where(User.email == email)) is None:
            create_user(email, DEMO_PASSWORD, role)
        made.append((email, role))
    return made
