from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from consent_app.extensions import db
from consent_app.models import Category, CookieRule, PolicyVersion, Site
from tests.factories import make_site


def test_seed_demo_is_idempotent(app: Flask) -> None:
    runner = app.test_cli_runner()
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


def test_classify_prints_name_tab_category(app: Flask) -> None:
    make_site(rules=[("_fbp", "exact", "functionality")])
    result = app.test_cli_runner().invoke(
        args=["consent", "classify", "--site", "shop", "_fbp", "_ga", "PHPSESSID", "zzz-own"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "_fbp\tfunctionality",  # the site's own rule wins over the catalog
        "_ga\tadvertising",
        "PHPSESSID\tnecessary",
        "zzz-own\tunknown",
    ]


def test_classify_unknown_site_is_a_clear_error(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["consent", "classify", "--site", "nope", "x"])
    assert result.exit_code != 0
    assert "no site with key 'nope'" in result.output
