"""Cookie names that banners met and the site's rules do not know: the admin's review
queue. Names only, never values."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from ...extensions import db
from ...models import ReportedCookie
from ..errors import InvalidPayload
from ..shapes import COOKIE_NAME, fits
from ..sites.profiles import get_site, site_profile, site_rules
from ..upsert import upsert
from .classify import RuleSet

MAX_NAMES = 50


def report_unknown_cookies(
    *, site: str, origin: str | None, names: Iterable[str], now: datetime | None = None
) -> int:
    """Queue the names no rule of the site matches; returns how many were queued."""
    profile = site_profile(site)
    profile.check_origin(origin)
    wanted = sorted(set(names))
    if len(wanted) > MAX_NAMES:
        raise InvalidPayload(f"report at most {MAX_NAMES} names at a time")
    bad = [n for n in wanted if not fits(COOKIE_NAME, n)]
    if bad:
        raise InvalidPayload(
            "not cookie names",
            fields=[{"field": "names", "message": f"invalid cookie name {n[:40]!r}"} for n in bad],
        )
    rules = RuleSet(site_rules(get_site(site)))
    unknown = [n for n in wanted if rules.lookup(n) is None]
    if not unknown:
        return 0
    now = now or datetime.now(UTC)
    table = ReportedCookie.__table__
    for name in unknown:
        upsert(
            table,
            {
                "site_id": profile.id,
                "name": name,
                "times_reported": 1,
                "first_seen": now,
                "last_seen": now,
            },
            conflict=("site_id", "name"),
            update={"times_reported": table.c.times_reported + 1, "last_seen": now},
        )
    db.session.commit()
    return len(unknown)
