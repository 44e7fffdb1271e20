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
