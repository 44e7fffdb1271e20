"""The doors in the page header: (endpoint, label, roles that may use it).

A door appears once its blueprint is registered, and only to the roles it names.
"""

import re
from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

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


# Whitespace, control characters and backslashes: browsers drop or reinterpret them in a
# Location header ("/\t/evil.example" is followed as "//evil.example"), and a line break
# cannot be put in a header at all.
_UNSAFE_IN_PATH = re.compile(r"[\x00-\x20\x7f-\x9f\\]")


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site to go back to after a form, else None. Never
    another site (an open redirect would help phishing), never a broken header."""
    if not target or _UNSAFE_IN_PATH.search(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


class RowId(IntegerConverter):
    """`<int:...>` in every route: a row id, at most what an INTEGER column holds on every
    engine, so a huge number in a URL is a 404, not an overflow (a 500) in the driver."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)
