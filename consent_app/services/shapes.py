"""The shapes of what the service accepts from outside, defined once.

Each shape is a regular expression in the subset that Python's `re`, pydantic's Rust
engine and JSON Schema (ECMA-262) read alike, so the API's types, the OpenAPI document,
the admin forms and the lookups by key agree on what fits. In Python, test with `fits()`:
`re.match` would let `$` match before a trailing newline.
"""

from __future__ import annotations

import re

SITE_KEY = r"^[A-Za-z0-9_-]{1,64}$"
SUBJECT_ID = r"^[A-Za-z0-9_-]{16,64}$"
# What secrets.token_urlsafe(32) makes (services/visitor_secrets.py): 43 characters.
VISITOR_SECRET = r"^[A-Za-z0-9_-]{43}$"
CATEGORY_SLUG = r"^[a-z][a-z0-9_-]{0,31}$"
POLICY_LABEL = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"
LANGUAGE_TAG = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$"
# RFC 6265 cookie-name token characters.
COOKIE_NAME = r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,255}$"
# A ULID (services/ids.py): 26 characters of Crockford's base32, as the service makes them.
RECEIPT_ID = r"^[0-9A-HJKMNP-TV-Z]{26}$"
# A tree size in a query string: digits only, short enough that int() is cheap and safe.
TREE_SIZE = r"^[0-9]{1,18}$"

# Control characters no text needs: C0 but tab, line feed and carriage return; DEL; C1.
# NUL among them is also the one character PostgreSQL text cannot store.
CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# Tab, line feed, carriage return, and Unicode's line and paragraph separators.
LINE_BREAKS = r"\t\n\r\u2028\u2029"
# Bidi marks, embeddings, overrides and isolates: they reorder what a reader sees
# (Trojan Source, CVE-2021-42574), so an audit screen or export could show another text.
BIDI_CONTROLS = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"

# One line of text a visitor's browser sends: none of the above.
ONE_LINE = rf"^[^{CONTROLS}{LINE_BREAKS}{BIDI_CONTROLS}]*$"
# Text typed into a form, where line breaks and right-to-left marks have their uses.
FORM_TEXT = rf"^[^{CONTROLS}]*$"
# An http(s) URL as a browser's location.href has it: no spaces, nothing of the above.
PAGE_URL = rf"^https?://[^\x20{CONTROLS}{LINE_BREAKS}{BIDI_CONTROLS}]+$"


def fits(shape: str, value: str) -> bool:
    """Whether the whole of `value` has the shape (cached compiled by `re`)."""
    return re.fullmatch(shape, value) is not None
