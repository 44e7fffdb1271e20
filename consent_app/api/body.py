"""Reading what the banner sends: the JSON body, and facts about the client that are
used and then forgotten (country, device class, Global Privacy Control)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import current_app, request

from ..services.errors import Malformed, TooLarge, Unsupported
from ..services.visitor.devices import device_class
from ..services.visitor.geo import country_of


class InvalidJSON(Malformed):
    code = "invalid_json"


class PayloadTooLarge(TooLarge):
    code = "payload_too_large"


class UnsupportedMediaType(Unsupported):
    code = "unsupported_media_type"


def json_body(*, beacon: bool = False) -> object:
    """The request body as JSON, within the API's size limit, or a named error.

    `beacon` also accepts text/plain: navigator.sendBeacon cannot send application/json
    cross-origin without a preflight, so fire-and-forget endpoints take both.
    """
    allowed = {"application/json", "text/plain"} if beacon else {"application/json"}
    if request.mimetype not in allowed:
        raise UnsupportedMediaType("send the body as Content-Type: application/json")
    limit = current_app.config["API_MAX_BODY_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(f"the body is larger than {limit} bytes")
    raw = request.stream.read(limit + 1)
    if len(raw) > limit:
        raise PayloadTooLarge(f"the body is larger than {limit} bytes")
    try:
        return json.loads(raw)
    except RecursionError as exc:  # "[[[[..." thousands deep fits in 16 KiB
        raise InvalidJSON("the body is nested too deeply") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidJSON(f"the body is not valid JSON: {exc}") from exc


@dataclass(frozen=True)
class ClientFacts:
    """What the service may keep about the client: never its address or user agent."""

    origin: str | None
    country: str | None
    device_class: str
    gpc_header: bool


def client_facts() -> ClientFacts:
    config = current_app.config
    header = config.get("GEO_COUNTRY_HEADER")
    return ClientFacts(
        origin=request.headers.get("Origin"),
        # The address is looked up in memory and dropped; only the country code stays.
        country=country_of(
            header_value=request.headers.get(header) if header else None,
            address=request.remote_addr,
            database_path=config.get("GEOIP_DATABASE"),
        ),
        device_class=device_class(request.user_agent.string),
        gpc_header=request.headers.get("Sec-GPC", "").strip() == "1",
    )
