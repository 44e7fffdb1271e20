"""Counting banner impressions: how often a site's banner showed its first layer.

An impression is counted, never stored as an event: the only trace it leaves is +1 in a
daily rollup row (models/stats.py) for its site, policy version, country, language and
device class. No cookie, subject id, IP address or user agent string is kept for it.

Ignored banners are derived from these counts (services/stats.py Figures.ignored).
"""

from __future__ import annotations

from datetime import UTC, datetime

from ...extensions import db
from ...models import ConsentStats
from ..sites.profiles import site_profile
from ..upsert import add_counts


def record_impression(
    *,
    site: str,
    policy_version: str,
    origin: str | None,
    language: str | None = None,
    gpc: bool = False,
    country: str | None = None,
    device_class: str | None = None,
    now: datetime | None = None,
) -> None:
    """Count one first-layer display of a site's banner, from one of its origins."""
    profile = site_profile(site)
    profile.check_origin(origin)
    policy = profile.policy(policy_version)
    add_counts(
        ConsentStats.__table__,
        [
            {
                "site_id": profile.id,
                "day": (now or datetime.now(UTC)).astimezone(UTC).date(),
                "policy_version_id": policy.id,
                "country": country or "",
                "language": language or "",
                "device_class": device_class or "",
                "impressions": 1,
                "impressions_gpc": int(gpc),
            }
        ],
    )
    db.session.commit()
