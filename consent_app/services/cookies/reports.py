"""Cookie names that banners met and the site's rules do not know: the admin's review
queue. Names only, never values.

Anyone can post reports (from an allowed origin, rate limited), so the open queue of a
site is bounded: at OPEN_LIMIT names, a new name takes the place of the oldest one that
only a single banner ever reported. Names real pages set come back from every visitor and
stay; a flood of made-up names only churns the singletons.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, delete, func, select

from ...extensions import db
from ...models import ReportedCookie
from ..errors import InvalidPayload
from ..shapes import COOKIE_NAME, fits
from ..sites.profiles import get_site, site_profile, site_rules
from ..upsert import upsert
from .classify import RuleSet

MAX_NAMES = 50  # per report
OPEN_LIMIT = 1000  # open names per site


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
    unknown = _make_room(profile.id, unknown)
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


def _open(site_id: int) -> list[ColumnElement[bool]]:
    return [ReportedCookie.site_id == site_id, ReportedCookie.resolved_at.is_(None)]


def open_count(site_id: int) -> int:
    """How many reported names wait for the admin's review."""
    query = select(func.count()).select_from(ReportedCookie).where(*_open(site_id))
    return db.session.scalar(query) or 0


def _make_room(site_id: int, names: list[str]) -> list[str]:
    """Which of `names` may be counted: those already queued, and new ones as far as
    OPEN_LIMIT allows once the oldest singletons made room for them."""
    known = set(
        db.session.scalars(
            select(ReportedCookie.name).where(
                ReportedCookie.site_id == site_id, ReportedCookie.name.in_(names)
            )
        )
    )
    new = [n for n in names if n not in known]
    over = open_count(site_id) + len(new) - OPEN_LIMIT
    if over > 0:
        oldest_singletons = (
            select(ReportedCookie.id)
            .where(*_open(site_id), ReportedCookie.times_reported == 1)
            .order_by(ReportedCookie.first_seen, ReportedCookie.id)
            .limit(over)
        )
        db.session.execute(
            delete(ReportedCookie)
            .where(ReportedCookie.id.in_(oldest_singletons.scalar_subquery()))
            .execution_options(synchronize_session=False)
        )
    room = max(OPEN_LIMIT - open_count(site_id), 0)
    return [n for n in names if n in known] + new[:room]
