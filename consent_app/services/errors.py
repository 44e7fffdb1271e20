"""Named domain errors. Each carries a stable code and the HTTP status the API maps it to."""

from __future__ import annotations

from typing import Any


class ConsentError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class UnknownSite(ConsentError):
    code = "unknown_site"
    status = 404


class OriginNotAllowed(ConsentError):
    code = "origin_not_allowed"
    status = 403


class UnknownCategory(ConsentError):
    code = "unknown_category"
    status = 422


class UnknownPolicyVersion(ConsentError):
    code = "unknown_policy_version"
    status = 422


class InvalidPayload(ConsentError):
    code = "invalid_payload"
    status = 422


class UnknownReceipt(ConsentError):
    code = "unknown_receipt"
    status = 404
