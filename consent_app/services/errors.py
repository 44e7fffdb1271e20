"""Named domain errors.

Each error has a stable machine-readable `code` (the API's error codes) and belongs to a
kind that says, in the domain's words, what went wrong. Services know nothing of HTTP:
web/errors.py is the one place that turns a kind into a status code.
"""

from __future__ import annotations

from typing import Any


class ConsentError(Exception):
    code = "error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


# The kinds.
class Malformed(ConsentError):
    """The input cannot be read at all."""


class Invalid(ConsentError):
    """The input was read, but its values are not acceptable here."""


class NotFound(ConsentError):
    """What the request names does not exist."""


class Refused(ConsentError):
    """It exists, but the caller may not do this with it."""


class Conflict(ConsentError):
    """Not possible in the current state (it may be later)."""


class Gone(ConsentError):
    """It existed and was removed (erased) or has run out (expired)."""


class TooLarge(ConsentError):
    """More input than is accepted."""


class Unsupported(ConsentError):
    """Input in a form that is not accepted (a media type)."""


# Errors several packages raise.
class UnknownSite(NotFound):
    code = "unknown_site"


class OriginNotAllowed(Refused):
    code = "origin_not_allowed"


class UnknownCategory(Invalid):
    code = "unknown_category"


class UnknownPolicyVersion(Invalid):
    code = "unknown_policy_version"


class InvalidPayload(Invalid):
    code = "invalid_payload"


class UnknownReceipt(NotFound):
    code = "unknown_receipt"
