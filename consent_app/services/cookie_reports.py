"""Cookie names that banners met and the site's rules do not know: the admin's review
queue. Names only, never values."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import ReportedCookie
from .classify import RuleSet
from .errors import InvalidPayload
from .sites import get_site, site_profile, site_rules

# RFC 6265 cookie-name token characters.
COOKIE_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,255}$")
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
    bad = [n for n in wanted if not COOKIE_NAME.match(n)]
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
    try:
        _count(profile.id, unknown, now)
    except IntegrityError:
        # Another banner queued the same new name at the same moment: count again.
        db.session.rollback()
        _count(profile.id, unknown, now)
    return len(unknown)


def _count(site_id: int, unknown: list[str], now: datetime) -> None:
    known = {
        row.name: row
        for row in db.session.scalars(
            select(ReportedCookie).where(
                ReportedCookie.site_id == site_id, ReportedCookie.name.in_(unknown)
            )
        )
    }
    for name in unknown:
        row = known.get(name)
        if row is None:
            db.session.add(
                ReportedCookie(site_id=site_id, name=name, first_seen=now, last_seen=now)
            )
        else:
            row.times_reported += 1
            row.last_seen = now
    db.session.commit()
