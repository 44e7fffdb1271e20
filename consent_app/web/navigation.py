"""The doors in the page header: (endpoint, label, roles that may use it).

A door appears once its blueprint is registered, and only to the roles it names.
"""

from flask_babel import lazy_gettext as _l

NAV_LINKS = [
    ("dashboard.overview", _l("Dashboard"), ("marketer", "admin")),
    ("audit.search", _l("Audit"), ("auditor", "admin")),
    ("admin.sites", _l("Admin"), ("admin",)),
    ("main.activity", _l("Activity log"), ("admin",)),
]

# Far past any real list, well inside what a database accepts as an OFFSET: a hand-typed
# ?page=99999999999999999999 shows an empty page instead of overflowing the driver.
LAST_PAGE = 100_000


def requested_page(value: int | None) -> int:
    """The page a list was asked for, as a number 1..LAST_PAGE."""
    return min(max(value or 1, 1), LAST_PAGE)
