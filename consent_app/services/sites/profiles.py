"""Looking up sites, their origins and their policy versions."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import bindparam, select

from ...extensions import db
from ...models import AllowedOrigin, PolicyVersion, Site
from ...models.site import CookieDefinitionColumns
from ..cookies.database import CookieDefinition
from ..errors import OriginNotAllowed, UnknownPolicyVersion, UnknownSite
from ..shapes import ONE_LINE, SITE_KEY, fits


def all_sites() -> list[Site]:
    return list(db.session.scalars(select(Site).order_by(Site.name, Site.key)))


def check_site_key(key: str) -> None:
    """UnknownSite, without a query, for what cannot be a site key (no key of that shape
    exists), and without echoing it: it may hold a NUL, bidi controls or 10 KB."""
    if not fits(SITE_KEY, key):
        raise UnknownSite("no such site: site keys are 1 to 64 letters, digits, - and _")


def get_site(key: str) -> Site:
    check_site_key(key)
    site: Site | None = db.session.scalar(select(Site).where(Site.key == key))
    if site is None:
        raise UnknownSite(f"no site with key {key!r}")
    return site


@dataclass(frozen=True)
class PolicyFacts:
    id: int
    label: str
    text_hash: str
    purposes: dict[str, str]


@dataclass(frozen=True)
class SiteProfile:
    """What recording a consent needs to know about a site, as plain values.

    Cached per process and keyed by the site's revision, so the hot ingest path costs one
    indexed lookup instead of a query per relationship.
    """

    id: int
    key: str
    controller: str
    revision: int
    categories: tuple[str, ...]
    origins: frozenset[str]
    policies: dict[str, PolicyFacts]
    lifetime_days: int

    def check_origin(self, origin: str | None) -> str:
        """Return the origin if the site allows it, else raise OriginNotAllowed."""
        if not origin:
            raise OriginNotAllowed("the request has no Origin header")
        if origin not in self.origins:
            raise OriginNotAllowed(f"origin {origin} is not allowed for site {self.key!r}")
        return origin

    def policy(self, label: str) -> PolicyFacts:
        try:
            return self.policies[label]
        except KeyError:
            raise UnknownPolicyVersion(
                f"site {self.key!r} has no policy version {label!r}"
            ) from None


_REVISION_OF_SITE = select(Site.id, Site.revision).where(Site.key == bindparam("key"))
_profiles: dict[tuple[int, str], SiteProfile] = {}
_profiles_lock = threading.Lock()


def forget_site_profiles() -> None:
    """Drop every cached profile (tests that recreate sites with reused ids need this)."""
    with _profiles_lock:
        _profiles.clear()


def site_profile(key: str) -> SiteProfile:
    """The site's profile, rebuilt only when its revision changed."""
    check_site_key(key)
    # Core, not the ORM: this runs on every ingest request.
    row = db.session.connection().execute(_REVISION_OF_SITE, {"key": key}).first()
    if row is None:
        raise UnknownSite(f"no site with key {key!r}")
    cache_key = (id(db.engine), key)
    cached = _profiles.get(cache_key)
    if cached is not None and cached.id == row.id and cached.revision == row.revision:
        return cached
    site = get_site(key)
    profile = SiteProfile(
        id=site.id,
        key=site.key,
        controller=site.controller or site.name,
        revision=site.revision,
        categories=tuple(c.slug for c in site.categories),
        origins=frozenset(o.origin for o in site.origins),
        policies={
            v.label: PolicyFacts(
                id=v.id, label=v.label, text_hash=v.text_hash, purposes=dict(v.purposes)
            )
            for v in policy_versions(site)
        },
        lifetime_days=site.consent_lifetime_days,
    )
    with _profiles_lock:
        _profiles[cache_key] = profile
    return profile


def is_known_origin(origin: str) -> bool:
    """Whether any site allows this origin (answers CORS preflights, which carry no body)."""
    if not fits(ONE_LINE, origin):  # a header may carry a NUL that PostgreSQL refuses
        return False
    found = db.session.scalar(select(AllowedOrigin.id).where(AllowedOrigin.origin == origin))
    return found is not None


def policy_versions(site: Site) -> list[PolicyVersion]:
    """Published versions, oldest first."""
    return list(
        db.session.scalars(
            select(PolicyVersion)
            .where(PolicyVersion.site_id == site.id)
            .order_by(PolicyVersion.published_at, PolicyVersion.id)
        )
    )


def current_policy(site: Site) -> PolicyVersion:
    versions = policy_versions(site)
    if not versions:
        raise UnknownPolicyVersion(f"site {site.key!r} has no published policy version")
    return versions[-1]


def consent_epoch(site: Site) -> str:
    """Label of the newest major version: a choice made before it must be asked again."""
    versions = policy_versions(site)
    majors = [v for v in versions if v.major] or versions[:1]
    if not majors:
        raise UnknownPolicyVersion(f"site {site.key!r} has no published policy version")
    return majors[-1].label


def as_definition(row: CookieDefinitionColumns) -> CookieDefinition:
    """A site rule or imported catalog row as the classifier's plain value."""
    return CookieDefinition(
        pattern=row.pattern,
        match=row.match,
        category=row.category,
        provider=row.provider,
        purpose=row.purpose,
        duration=row.duration,
        domain=row.domain,
    )


def site_rules(site: Site) -> list[CookieDefinition]:
    return [as_definition(rule) for rule in site.cookie_rules]
