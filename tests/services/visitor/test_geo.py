from __future__ import annotations

from pathlib import Path

import pytest
from mmdb_writer import MMDBWriter
from netaddr import IPSet

from consent_app.services.visitor.geo import country_of, requires_opt_in


@pytest.fixture
def country_database(tmp_path: Path) -> str:
    """A real MaxMind-format file: 192.0.2.0/24 is in Norway, 198.51.100.0/24 in the US."""
    writer = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type="GeoLite2-Country")
    writer.insert_network(IPSet(["192.0.2.0/24"]), {"country": {"iso_code": "NO"}})
    writer.insert_network(IPSet(["198.51.100.0/24"]), {"country": {"iso_code": "US"}})
    path = tmp_path / "country.mmdb"
    writer.to_db_file(str(path))
    return str(path)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("NO", "NO"),
        ("no", "NO"),
        (" se ", "SE"),
        ("XX", None),
        ("T1", None),
        ("NOR", None),
        ("", None),
    ],
)
def test_country_from_a_trusted_proxy_header(header: str, expected: str | None) -> None:
    assert country_of(header_value=header, address=None, database_path=None) == expected


def test_country_from_a_maxmind_database(country_database: str) -> None:
    look = lambda address: country_of(  # noqa: E731
        header_value=None, address=address, database_path=country_database
    )
    assert look("192.0.2.77") == "NO"
    assert look("198.51.100.5") == "US"
    assert look("203.0.113.9") is None
    assert look("not-an-address") is None


def test_the_header_wins_over_the_database(country_database: str) -> None:
    found = country_of(header_value="DK", address="192.0.2.1", database_path=country_database)
    assert found == "DK"


@pytest.mark.parametrize(
    ("rule", "country", "expected"),
    [
        ("opt_in", "US", True),
        ("opt_in", None, True),
        ("opt_in_eea", "NO", True),
        ("opt_in_eea", "DE", True),
        ("opt_in_eea", "GB", True),
        ("opt_in_eea", "US", False),
        ("opt_in_eea", None, True),  # unknown country: the privacy-preserving answer
    ],
)
def test_region_rule(rule: str, country: str | None, expected: bool) -> None:
    assert requires_opt_in(rule, country) is expected
