"""The data model, one module per aggregate. Importing this registers every table."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from .activity import ACTIVITY_KINDS, ActivityEntry
from .catalog import CatalogCookie
from .consent import (
    ACTIONS,
    ANSWERS,
    DEVICE_CLASSES,
    PERSONAL_FIELDS,
    Action,
    ConsentRecord,
    DeviceClass,
)
from .erasure import ERASURE_REASONS, Erasure
from .log import LogHash, TreeHead
from .policy import PolicyVersion
from .preference import Preference
from .reported_cookie import ReportedCookie
from .site import MATCH_KINDS, NECESSARY, REGION_RULES, AllowedOrigin, Category, CookieRule, Site
from .site_text import BannerText, CategoryText
from .stats import CategoryStats, ConsentStats
from .user import ROLES, User
from .visitor_credential import VisitorCredential

__all__ = [
    "ACTIONS",
    "ACTIVITY_KINDS",
    "ANSWERS",
    "DEVICE_CLASSES",
    "ERASURE_REASONS",
    "MATCH_KINDS",
    "NECESSARY",
    "PERSONAL_FIELDS",
    "REGION_RULES",
    "ROLES",
    "Action",
    "ActivityEntry",
    "AllowedOrigin",
    "BannerText",
    "CatalogCookie",
    "Category",
    "CategoryStats",
    "CategoryText",
    "ConsentRecord",
    "ConsentStats",
    "CookieRule",
    "DeviceClass",
    "Erasure",
    "LogHash",
    "PolicyVersion",
    "Preference",
    "ReportedCookie",
    "Site",
    "TreeHead",
    "User",
    "VisitorCredential",
]


@event.listens_for(Session, "before_flush")
def _bump_site_revision(session: Session, _context: Any, _instances: Any) -> None:
    """Any change to a site's configuration makes its cached profiles stale."""
    touched: set[Site] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Site):
            touched.add(obj)
        elif isinstance(obj, AllowedOrigin | Category | CookieRule | PolicyVersion) and obj.site:
            touched.add(obj.site)
    for site in touched:
        if site in session.deleted or site.id is None:
            continue
        site.revision = (site.revision or 1) + 1
