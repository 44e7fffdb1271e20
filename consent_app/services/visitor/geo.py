"""The visitor's country, from a trusted proxy header or a MaxMind-format database.

Only the ISO 3166-1 alpha-2 country code leaves this module; the address it was looked up
from is neither stored nor logged.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

import maxminddb

_COUNTRY = re.compile(r"^[A-Z]{2}$")
# Placeholders proxies send when they do not know: unknown, Tor, anonymous proxy, ...
_NOT_A_COUNTRY = {"XX", "T1", "A1", "A2", "O1", "EU", "AP", "ZZ"}
# EEA, the United Kingdom and Switzerland: where our strict opt-in rule is the law.
OPT_IN_REGION = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "IS",
        "LI",
        "NO",
        "GB",
        "CH",
    ]
)
_lock = threading.Lock()


def _normalise(code: Any) -> str | None:
    if not isinstance(code, str):
        return None
    normal: str = code.strip().upper()
    if not _COUNTRY.match(normal) or normal in _NOT_A_COUNTRY:
        return None
    return normal


@lru_cache(maxsize=2)
def _reader(path: str) -> maxminddb.Reader:
    return maxminddb.open_database(path)


def country_of(
    *, header_value: str | None, address: str | None, database_path: str | None
) -> str | None:
    """The country code, or None when neither source knows it."""
    if header_value:
        return _normalise(header_value)
    if database_path and address:
        with _lock:
            try:
                record = _reader(database_path).get(address)
            except ValueError:  # not an IP address
                return None
        if isinstance(record, dict):
            country = record.get("country") or record.get("registered_country") or {}
            return _normalise(country.get("iso_code") if isinstance(country, dict) else None)
    return None


def requires_opt_in(region_rule: str, country: str | None) -> bool:
    """Whether this visitor must opt in before optional categories are used.

    `opt_in` (the default) asks everyone. `opt_in_eea` asks in the EEA, the UK and
    Switzerland, and also whenever the country is unknown: doubt resolves to privacy.
    """
    if region_rule != "opt_in_eea":
        return True
    return country is None or country in OPT_IN_REGION
