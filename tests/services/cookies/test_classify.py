from __future__ import annotations

import io

import pytest

from consent_app.services.cookies.classify import RuleSet, category_of, classify
from consent_app.services.cookies.database import (
    CookieDefinition,
    MalformedCookieFile,
    read_bundled_open_cookie_database,
    read_curated,
    read_open_cookie_database,
)

# Vendor by vendor, cookies every customer meets, with the category our model gives them.
COMMON_COOKIES = {
    "Google": {
        "_ga": "advertising",
        "_ga_ABC123": "advertising",
        "_gid": "advertising",
        "_gcl_au": "advertising",
        "IDE": "advertising",
        "__gads": "advertising",
    },
    "Meta": {"_fbp": "advertising", "_fbc": "advertising", "fr": "advertising"},
    "Microsoft": {
        "_uetsid": "advertising",
        "_uetvid": "advertising",
        "MUID": "advertising",
        "_clck": "advertising",
    },
    "LinkedIn": {"li_sugr": "advertising", "bcookie": "advertising", "lidc": "advertising"},
    "TikTok": {"_ttp": "advertising", "_tt_enable_cookie": "advertising"},
    "Pinterest": {"_pinterest_ct_ua": "advertising", "_pin_unauth": "advertising"},
    "HubSpot": {
        "__hstc": "advertising",
        "hubspotutk": "advertising",
        "__hs_cookie_cat_pref": "necessary",
    },
    "Hotjar": {"_hjSessionUser_123456": "advertising", "_hjSession_123456": "advertising"},
    "frameworks": {
        "PHPSESSID": "necessary",
        "JSESSIONID": "necessary",
        "ASP.NET_SessionId": "necessary",
        "laravel_session": "necessary",
        "csrftoken": "necessary",
        "sessionid": "necessary",
        "connect.sid": "necessary",
        "session": "necessary",
        "_session_id": "necessary",
    },
}


@pytest.mark.parametrize("vendor", sorted(COMMON_COOKIES))
def test_builtin_catalog_knows_common_cookies(vendor: str) -> None:
    expected = COMMON_COOKIES[vendor]
    got = {name: category_of(found) for name, found in classify(expected)}
    assert got == expected


def test_every_curated_entry_has_category_provider_and_purpose() -> None:
    entries = read_curated()
    assert len(entries) >= 90
    for entry in entries:
        assert entry.category in {"necessary", "functionality", "advertising"}, entry
        assert entry.match in {"exact", "prefix", "regex"}, entry
        assert entry.provider and entry.purpose and entry.duration, entry


def test_open_cookie_database_is_the_fallback() -> None:
    # Not in our curated list; the Open Cookie Database files them as Marketing/Analytics.
    found = dict(classify(["_rdt_uuid", "_pk_id", "_scid"]))
    assert {name: category_of(d) for name, d in found.items()} == {
        "_rdt_uuid": "advertising",
        "_pk_id": "advertising",
        "_scid": "advertising",
    }
    assert found["_rdt_uuid"].provider == "Reddit"


def test_exact_beats_longest_prefix_beats_regex() -> None:
    rules = RuleSet(
        [
            CookieDefinition("ab.*", "regex", "necessary"),
            CookieDefinition("a", "prefix", "functionality"),
            CookieDefinition("ab", "prefix", "advertising"),
            CookieDefinition("abc", "exact", "necessary"),
        ]
    )
    assert rules.lookup("abc").category == "necessary"
    assert rules.lookup("abd").category == "advertising"
    assert rules.lookup("ax").category == "functionality"
    assert rules.lookup("zz") is None


def test_site_rules_win_over_the_catalog() -> None:
    own = [CookieDefinition("_ga", "exact", "necessary")]
    assert category_of(classify(["_ga"], own)[0][1]) == "necessary"


def test_bundled_open_cookie_database_reads_every_row() -> None:
    rows = read_bundled_open_cookie_database()
    assert len(rows) == 2264
    assert {r.category for r in rows} == {"necessary", "functionality", "advertising"}


def test_malformed_open_cookie_database_file_is_a_clear_error() -> None:
    with pytest.raises(MalformedCookieFile, match="missing column"):
        list(read_open_cookie_database(io.StringIO("a,b\n1,2\n")))
    header = (
        "ID,Platform,Category,Cookie / Data Key name,Domain,Description,"
        "Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match\n"
    )
    bad_category = header + "1,X,Weird,name,,d,1 day,X,,0\n"
    with pytest.raises(MalformedCookieFile, match="line 2: unknown category"):
        list(read_open_cookie_database(io.StringIO(bad_category)))
