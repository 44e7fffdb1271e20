"""Importing Open Cookie Database files: into the shared catalog or a site's rules, with a
report, and nothing changed by a malformed file."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from consent_app.extensions import db
from consent_app.models import ActivityEntry, CatalogCookie
from consent_app.services.cookies.catalog import import_cookies, imported_catalog, read_cookie_file
from consent_app.services.cookies.classify import category_of, classify
from consent_app.services.cookies.database import OPEN_COOKIE_DATABASE, MalformedCookieFile
from tests.factories import make_site

HEADER = (
    "ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,"
    "Data Controller,User Privacy & GDPR Rights Portals,Wildcard match"
)


def ocd_file(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "cookies.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def row(name: str, category: str = "Marketing", wildcard: str = "0", platform: str = "Ads") -> str:
    return f"id,{platform},{category},{name},,Tracks visits,1 year,Ads Inc,https://x,{wildcard}"


def catalog_size() -> int:
    return db.session.scalar(select(func.count()).select_from(CatalogCookie))


def test_the_whole_open_cookie_database_imports_and_a_second_run_skips_it(app: Flask) -> None:
    definitions = read_cookie_file(OPEN_COOKIE_DATABASE)
    first = import_cookies(definitions, site=None, operator="cli (test)")
    assert len(first.added) == catalog_size() == 2249  # 2,264 rows, 15 names repeated
    assert len(first.skipped) == 15 and not first.updated
    assert {why for _, why in first.skipped} == {"named earlier in the file"}
    again = import_cookies(definitions, site=None, operator="cli (test)")
    assert (len(again.added), len(again.updated)) == (0, 0)
    assert {why for _, why in again.skipped} == {"unchanged", "named earlier in the file"}


def test_a_changed_row_is_updated_and_a_new_one_added(app: Flask, tmp_path: Path) -> None:
    import_cookies(read_cookie_file(ocd_file(tmp_path, row("zz_ad"))), site=None, operator="t")
    edition = ocd_file(
        tmp_path, row("zz_ad", "Functional"), row("zz_pref_", "Personalization", "1")
    )
    report = import_cookies(read_cookie_file(edition), site=None, operator="t")
    assert (report.added, report.updated, report.skipped) == (["zz_pref_*"], ["zz_ad"], [])
    assert imported_catalog().lookup("zz_pref_theme").category == "functionality"
    assert imported_catalog().lookup("zz_ad").category == "functionality"


def test_classification_ranks_the_import_after_curation_before_the_snapshot(
    app: Flask, tmp_path: Path
) -> None:
    # cookiePreferences is Functional in the bundled snapshot; _ga is curated as advertising.
    edition = ocd_file(
        tmp_path, row("cookiePreferences", "Marketing"), row("_ga", "Functional"), row("zz_new")
    )
    import_cookies(read_cookie_file(edition), site=None, operator="t")
    found = classify(["cookiePreferences", "_ga", "zz_new"], imported=imported_catalog())
    assert [category_of(d) for _, d in found] == ["advertising", "advertising", "advertising"]
    without = classify(["cookiePreferences", "zz_new"])
    assert [category_of(d) for _, d in without] == ["functionality", "unknown"]


def test_into_a_sites_rules_the_banner_carries_them(app: Flask, tmp_path: Path) -> None:
    site = make_site(categories=("necessary", "advertising"))
    edition = ocd_file(tmp_path, row("zz_ad"), row("zz_pref", "Functional"), row("_fbp"))
    report = import_cookies(read_cookie_file(edition), site=site, operator="t")
    assert report.added == ["zz_ad"]
    assert report.updated == ["_fbp"]  # the site's own rule had other details
    assert report.skipped == [("zz_pref", "site has no category 'functionality'")]
    body = app.test_client().get("/c/shop.js").get_data(as_text=True)
    assert '["zz_ad","e","advertising"]' in body
    assert catalog_size() == 0


def test_an_import_is_recorded_with_who_ran_it(app: Flask, tmp_path: Path) -> None:
    import_cookies(
        read_cookie_file(ocd_file(tmp_path, row("zz_ad"))), site=None, operator="cli (ola)"
    )
    entry = db.session.scalar(select(ActivityEntry))
    assert (entry.user_email, entry.action, entry.target) == (
        "cli (ola)",
        "cookies.import",
        "catalog",
    )
    assert entry.details == {"added": 1, "updated": 0, "skipped": 0}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Name,Category\nx,Marketing\n", "missing column(s): Platform"),
        ("", "missing column(s)"),
        (f"{HEADER}\n{row('a')}\n{row('b', 'Tasty')}\n", "line 3: unknown category 'Tasty'"),
        (f"{HEADER}\n{row('a', wildcard='yes')}\n", "line 2: wildcard match must be 0 or 1"),
        (f"{HEADER}\n{row('')}\n", "line 2: empty cookie name"),
        (f"{HEADER}\n{row('x' * 300)}\n", "line 2: pattern over 255 characters"),
    ],
)
def test_a_malformed_file_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(MalformedCookieFile, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_cookie_file(path)


def test_a_file_that_is_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "\n" + row("café") + "\n").encode("latin-1"))
    with pytest.raises(MalformedCookieFile, match="not UTF-8"):
        read_cookie_file(path)
