from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consent_app.extensions import db
from consent_app.models import Site
from consent_app.services.sites.profiles import current_policy, site_profile
from tests.admin.conftest import changes, field_error

NEW_SITE = {
    "key": "blog",
    "name": "Bloggen AS",
    "controller": "",
    "origins": "https://Blog.example/\r\nhttps://www.blog.example:8443",
    "default_language": "nb",
    "consent_lifetime_days": "182",
    "region_rule": "opt_in_eea",
    "reopen_button": "y",
    "unknown_cookie_policy": "advertising",
}


def settings(site: Site, **changes: str) -> dict[str, str]:
    return {
        "name": site.name,
        "controller": site.controller,
        "origins": "\n".join(o.origin for o in site.origins),
        "default_language": site.default_language,
        "consent_lifetime_days": str(site.consent_lifetime_days),
        "region_rule": site.region_rule,
        "unknown_cookie_policy": site.unknown_cookie_policy,
        **({"reopen_button": "y"} if site.reopen_button else {}),
        **({"google_consent_mode": "y"} if site.google_consent_mode else {}),
        **changes,
    }


def test_admin_creates_a_site_ready_to_embed(admin: FlaskClient) -> None:
    response = admin.post("/admin/sites/new", data=NEW_SITE)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/sites/blog"
    site = db.session.scalar(select(Site).where(Site.key == "blog"))
    assert [o.origin for o in site.origins] == [
        "https://blog.example",
        "https://www.blog.example:8443",
    ]
    assert [c.slug for c in site.categories] == ["necessary", "functionality", "advertising"]
    assert site.region_rule == "opt_in_eea"
    assert (site.reopen_button, site.google_consent_mode) == (True, False)  # unticked
    assert current_policy(site).label == "1" and current_policy(site).major
    [entry] = changes("site.create")
    assert (entry.user_email, entry.target, entry.kind) == ("admin@example.no", "blog", "change")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"key": "has space"}, "key", "Letters, digits, - and _ only."),
        ({"key": "shop"}, "key", "exists already"),
        ({"origins": "ftp://blog.example"}, "origins", "is not an origin"),
        ({"origins": "https://blog.example/path"}, "origins", "is not an origin"),
        ({"origins": "https://*.blog.example"}, "origins", "is not an origin"),
        ({"origins": ""}, "origins", "This field is required."),
        ({"consent_lifetime_days": "0"}, "consent_lifetime_days", "between 1 and 395"),
        ({"consent_lifetime_days": "900"}, "consent_lifetime_days", "between 1 and 395"),
        ({"consent_lifetime_days": "six"}, "consent_lifetime_days", "Not a valid integer"),
        ({"default_language": "xx"}, "default_language", "Not a valid choice"),
        ({"region_rule": "nowhere"}, "region_rule", "Not a valid choice"),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_bad_site_input_is_an_error_next_to_the_field(
    admin: FlaskClient, shop: Site, change, field, message
) -> None:
    response = admin.post("/admin/sites/new", data={**NEW_SITE, **change})
    assert response.status_code == 400
    assert message in field_error(response.get_data(as_text=True), field)
    assert db.session.scalar(select(func.count()).select_from(Site)) == 1
    assert changes("site.create") == []


def test_settings_change_is_applied_and_recorded(admin: FlaskClient, shop: Site) -> None:
    data = settings(shop, name="Butikken AS", origins="https://shop.example\nhttps://new.example")
    assert admin.post("/admin/sites/shop", data=data).status_code == 302
    db.session.expire_all()
    assert shop.name == "Butikken AS"
    assert site_profile("shop").origins == {"https://shop.example", "https://new.example"}
    [entry] = changes("site.update")
    assert entry.details == {
        "name": ["Shop AS", "Butikken AS"],
        "origins": [["https://shop.example"], ["https://shop.example", "https://new.example"]],
    }


def test_saving_unchanged_settings_records_nothing(admin: FlaskClient, shop: Site) -> None:
    assert admin.post("/admin/sites/shop", data=settings(shop)).status_code == 302
    assert changes("site.update") == []


def test_a_bad_setting_changes_nothing(admin: FlaskClient, shop: Site) -> None:
    data = settings(shop, name="Changed", origins="not an origin")
    response = admin.post("/admin/sites/shop", data=data)
    assert response.status_code == 400
    assert "is not an origin" in field_error(response.get_data(as_text=True), "origins")
    db.session.expire_all()
    assert shop.name == "Shop AS"


def test_the_site_page_shows_the_embed_snippet(admin: FlaskClient, shop: Site) -> None:
    page = admin.get("/admin/sites/shop").get_data(as_text=True)
    assert "&lt;script src=&#34;http://localhost/c/shop.js&#34;&gt;&lt;/script&gt;" in page or (
        '&lt;script src="http://localhost/c/shop.js"&gt;&lt;/script&gt;' in page
    )


def test_an_unknown_site_is_404(admin: FlaskClient) -> None:
    assert admin.get("/admin/sites/nosuchsite").status_code == 404
    assert admin.get("/admin/sites/nosuchsite/rules").status_code == 404


def test_categories_can_be_added_and_unused_ones_removed(admin: FlaskClient, shop: Site) -> None:
    assert (
        admin.post("/admin/sites/shop/categories", data={"slug": "statistics"}).status_code == 302
    )
    db.session.expire_all()
    assert [c.slug for c in shop.categories][-1] == "statistics"
    assert site_profile("shop").categories[-1] == "statistics"
    admin.post("/admin/sites/shop/categories/statistics/delete")
    db.session.expire_all()
    assert "statistics" not in [c.slug for c in shop.categories]
    assert len(changes("category.create")) == len(changes("category.delete")) == 1


@pytest.mark.parametrize(
    ("slug", "reason"),
    [
        ("necessary", "always on"),
        ("advertising", "Unknown cookies are treated as this category."),
        ("functionality", "Cookie rules still use this category."),
    ],
)
def test_categories_in_use_are_not_removed(admin: FlaskClient, shop: Site, slug, reason) -> None:
    response = admin.post(f"/admin/sites/shop/categories/{slug}/delete", follow_redirects=True)
    assert reason in response.get_data(as_text=True)
    db.session.expire_all()
    assert slug in [c.slug for c in shop.categories]
    assert changes("category.delete") == []


@pytest.mark.parametrize(
    ("slug", "message"), [("Bad Slug", "lower-case"), ("advertising", "already")]
)
def test_bad_category_is_an_error_next_to_the_field(
    admin: FlaskClient, shop, slug, message
) -> None:
    response = admin.post("/admin/sites/shop/categories", data={"slug": slug})
    assert response.status_code == 400
    assert message in field_error(response.get_data(as_text=True), "slug")


def test_publishing_a_minor_version_keeps_earlier_choices_valid(
    app: Flask, admin: FlaskClient, shop: Site
) -> None:
    from consent_app.services.sites.profiles import consent_epoch

    assert (
        admin.post("/admin/sites/shop/policies", data={"label": "1.1", "kind": "minor"}).status_code
        == 302
    )
    db.session.expire_all()
    assert current_policy(shop).label == "1.1" and consent_epoch(shop) == "1"
    admin.post("/admin/sites/shop/policies", data={"label": "2", "kind": "major"})
    assert consent_epoch(shop) == "2"
    body = admin.get("/c/shop.js").get_data(as_text=True)
    assert '"epoch":"2"' in body and '"policy":"2"' in body
    assert [e.details["major"] for e in changes("policy.publish")] == [False, True]


@pytest.mark.parametrize(("label", "message"), [("1", "exists already"), ("two words", "Letters")])
def test_bad_version_label_is_an_error_next_to_the_field(admin, shop, label, message) -> None:
    response = admin.post("/admin/sites/shop/policies", data={"label": label, "kind": "major"})
    assert response.status_code == 400
    assert message in field_error(response.get_data(as_text=True), "label")
    assert changes("policy.publish") == []
