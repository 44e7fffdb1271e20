from __future__ import annotations

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from consent_app.extensions import db
from consent_app.models import Category, CookieRule, PolicyVersion, Site
from tests.factories import make_site


def test_seed_demo_is_idempotent(runner: FlaskCliRunner) -> None:
    for _ in range(2):
        result = runner.invoke(args=["consent", "seed-demo", "--origin", "http://127.0.0.1:8000"])
        assert result.exit_code == 0, result.output
    counts = [
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Site, Category, PolicyVersion)
    ]
    assert counts == [1, 3, 1]
    slugs = db.session.scalars(select(Category.slug).order_by(Category.position)).all()
    assert slugs == ["necessary", "functionality", "advertising"]
    assert db.session.scalar(select(func.count()).select_from(CookieRule)) > 3


def test_classify_prints_name_tab_category(runner: FlaskCliRunner) -> None:
    make_site(rules=[("_fbp", "exact", "functionality")])
    result = runner.invoke(
        args=["consent", "classify", "--site", "shop", "_fbp", "_ga", "PHPSESSID", "zzz-own"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "_fbp\tfunctionality",  # the site's own rule wins over the catalog
        "_ga\tadvertising",
        "PHPSESSID\tnecessary",
        "zzz-own\tunknown",
    ]


def test_classify_unknown_site_is_a_clear_error(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["consent", "classify", "--site", "nope", "x"])
    assert result.exit_code != 0
    assert "no site with key 'nope'" in result.output


def test_import_cookies_reports_added_updated_and_skipped(runner: FlaskCliRunner, tmp_path) -> None:
    from consent_app.models import CatalogCookie
    from tests.services.cookies.test_catalog import ocd_file, row

    path = ocd_file(tmp_path, row("zz_a"), row("zz_b"), row("zz_a"))
    result = runner.invoke(args=["consent", "import-cookies", str(path), "--verbose"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "added 2, updated 0, skipped 1 (1 named earlier in the file)",
        "added\tzz_a",
        "added\tzz_b",
        "skipped\tzz_a\tnamed earlier in the file",
    ]
    assert db.session.scalar(select(func.count()).select_from(CatalogCookie)) == 2
    make_site(rules=[])
    classified = runner.invoke(args=["consent", "classify", "--site", "shop", "zz_b", "zz_c"])
    assert classified.output == "zz_b\tadvertising\nzz_c\tunknown\n"  # from the import


def test_import_cookies_into_a_site(runner: FlaskCliRunner, tmp_path) -> None:
    from tests.services.cookies.test_catalog import ocd_file, row

    make_site()
    path = ocd_file(tmp_path, row("zz_a"))
    result = runner.invoke(args=["consent", "import-cookies", str(path), "--site", "shop"])
    assert result.exit_code == 0 and result.output.startswith("added 1, updated 0, skipped 0")
    classified = runner.invoke(args=["consent", "classify", "--site", "shop", "zz_a"])
    assert classified.output == "zz_a\tadvertising\n"


def test_a_malformed_file_changes_nothing(runner: FlaskCliRunner, tmp_path) -> None:
    from consent_app.models import ActivityEntry, CatalogCookie
    from tests.services.cookies.test_catalog import ocd_file, row

    path = ocd_file(tmp_path, row("zz_a"), row("zz_b", "Tasty"))
    result = runner.invoke(args=["consent", "import-cookies", str(path)])
    assert result.exit_code == 1
    assert "line 3: unknown category 'Tasty'; nothing was imported" in result.output
    assert db.session.scalar(select(func.count()).select_from(CatalogCookie)) == 0
    assert db.session.scalar(select(func.count()).select_from(ActivityEntry)) == 0


def test_import_into_an_unknown_site_is_a_clear_error(runner: FlaskCliRunner, tmp_path) -> None:
    from tests.services.cookies.test_catalog import ocd_file, row

    path = ocd_file(tmp_path, row("zz_a"))
    result = runner.invoke(args=["consent", "import-cookies", str(path), "--site", "nope"])
    assert result.exit_code == 1 and "no site with key 'nope'" in result.output


def test_check_rollups_says_whether_they_equal_the_records(runner: FlaskCliRunner) -> None:
    from sqlalchemy import update

    from consent_app.models import ConsentStats
    from tests.factories import make_record

    make_site()
    make_record()
    ok = runner.invoke(args=["consent", "check-rollups", "--site", "shop"])
    assert ok.exit_code == 0 and ok.output == "rollups equal the consent records\n"
    db.session.execute(update(ConsentStats).values(custom=5))
    db.session.commit()
    drifted = runner.invoke(args=["consent", "check-rollups"])
    assert drifted.exit_code == 1
    assert "records say" in drifted.output and "1 difference(s)" in drifted.output
