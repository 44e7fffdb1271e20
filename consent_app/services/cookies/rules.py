"""A site's cookie rules, and the review queue of cookie names its banners reported.

Rules are validated here (plain values in, InvalidChange out); each change is committed
with its activity-log entry.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from ...extensions import db
from ...models import MATCH_KINDS, CookieRule, ReportedCookie, Site, User
from ..accounts.activity import commit_change
from ..sites.admin import InvalidChange
from ..sites.profiles import site_rules
from .catalog import imported_catalog
from .classify import explain, rule_chain
from .database import CookieDefinition
from .patterns import UnsafePattern, check_regex

LIMITS = {"pattern": 255, "domain": 255, "provider": 200, "duration": 100, "purpose": 2000}


@dataclass(frozen=True)
class RuleFields:
    pattern: str
    match: str
    category: str
    domain: str = ""
    provider: str = ""
    purpose: str = ""
    duration: str = ""


def check_rule(site: Site, fields: RuleFields) -> RuleFields:
    """The fields cleaned, or InvalidChange naming the field that is wrong."""
    fields = replace(fields, **{name: getattr(fields, name).strip() for name in LIMITS})
    if not fields.pattern:
        raise InvalidChange(_("Give a cookie name or pattern."), "pattern")
    for name, limit in LIMITS.items():
        if len(getattr(fields, name)) > limit:
            raise InvalidChange(_("At most %(limit)d characters.", limit=limit), name)
    if fields.match not in MATCH_KINDS:
        raise InvalidChange(_("Choose exact, prefix or regex."), "match")
    if fields.match == "regex":
        try:
            check_regex(fields.pattern)
        except UnsafePattern as problem:
            raise InvalidChange(str(problem), "pattern") from None
    if fields.category not in {c.slug for c in site.categories}:
        raise InvalidChange(_("Choose one of the site's categories."), "category")
    if any((r.pattern, r.match) == (fields.pattern, fields.match) for r in site.cookie_rules):
        raise InvalidChange(_("The site has a rule for this name already."), "pattern")
    return fields


def _add(site: Site, fields: RuleFields) -> CookieRule:
    rule = CookieRule(**vars(check_rule(site, fields)))
    site.cookie_rules.append(rule)
    return rule


def add_rule(actor: User, site: Site, fields: RuleFields) -> CookieRule:
    rule = _add(site, fields)
    details = {"match": rule.match, "category": rule.category}
    commit_change(actor, "rule.create", f"{site.key}/{rule.pattern}", details)
    return rule


def delete_rule(actor: User, site: Site, rule_id: int) -> None:
    rule = next((r for r in site.cookie_rules if r.id == rule_id), None)
    if rule is None:
        raise InvalidChange(_("The site has no such rule."), "rule")
    site.cookie_rules.remove(rule)
    details = {"match": rule.match, "category": rule.category}
    commit_change(actor, "rule.delete", f"{site.key}/{rule.pattern}", details)


def lookup(site: Site, name: str) -> tuple[CookieDefinition | None, str | None]:
    """What classifies a cookie name for this site, and where that rule comes from."""
    return explain(name, rule_chain(site_rules(site), imported_catalog()))


def review_queue(site: Site, *, page: int = 1, per_page: int = 50) -> Any:
    """One page of unresolved reports, most often reported first (a Flask-SQLAlchemy
    Pagination: .items, .pages, .total, ...)."""
    query = (
        select(ReportedCookie)
        .where(ReportedCookie.site_id == site.id, ReportedCookie.resolved_at.is_(None))
        .order_by(ReportedCookie.times_reported.desc(), ReportedCookie.name)
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def _report(site: Site, report_id: int) -> ReportedCookie:
    report = db.session.get(ReportedCookie, report_id)
    if report is None or report.site_id != site.id or report.resolved_at is not None:
        raise InvalidChange(_("This name is not in the review queue."), "report")
    return report


def classify_reported(actor: User, site: Site, report_id: int, category: str) -> CookieRule:
    """One action: a rule for exactly this name in `category` (with what the catalogs
    know of its provider, purpose and duration), and the report resolved."""
    report = _report(site, report_id)
    known, _ = lookup(site, report.name)
    rule = _add(
        site,
        RuleFields(
            pattern=report.name,
            match="exact",
            category=category,
            domain=known.domain if known else "",
            provider=known.provider if known else "",
            purpose=known.purpose if known else "",
            duration=known.duration if known else "",
        ),
    )
    report.resolved_at = datetime.now(UTC)
    commit_change(actor, "review.classify", f"{site.key}/{report.name}", {"category": category})
    return rule


def dismiss_reported(actor: User, site: Site, report_id: int) -> None:
    report = _report(site, report_id)
    report.resolved_at = datetime.now(UTC)
    commit_change(actor, "review.dismiss", f"{site.key}/{report.name}")
