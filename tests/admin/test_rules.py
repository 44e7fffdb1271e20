from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consent_app.extensions import db
from consent_app.models import CookieRule, ReportedCookie, Site
from tests.admin.conftest import changes, field_error
from tests.factories import make_site

RULE = {"pattern": "_hjid", "match": "exact", "category": "advertising", "provider": "Hotjar"}


def rules(site: Site) -> dict[tuple[str, str], str]:
    db.session.expire_all()
    return {(r.pattern, r.match): r.category for r in site.cookie_rules}


def test_a_rule_goes_into_the_sites_banner_script(admin: FlaskClient, shop: Site) -> None:
    for data in (
        RULE,
        {"pattern": "_pk_", "match": "prefix", "category": "advertising"},
        {"pattern": r"sess_\d+", "match": "regex", "category": "necessary"},
    ):
        assert admin.post("/admin/sites/shop/rules", data=data).status_code == 302
    assert rules(shop)[("_hjid", "exact")] == "advertising"
    script = admin.get("/c/shop.js").get_data(as_text=True)
    assert '["_hjid","e","advertising"]' in script and '["_pk_","p","advertising"]' in script
    assert '["sess_\\\\d+","r","necessary"]' in script
    assert [e.target for e in changes("rule.create")] == [
        "shop/_hjid",
        "shop/_pk_",
        r"shop/sess_\d+",
    ]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"pattern": "(", "match": "regex"}, "pattern", "Not a regular expression"),
        ({"pattern": "(a+)+", "match": "regex"}, "pattern", "it can freeze pages"),
        ({"pattern": ".*", "match": "regex"}, "pattern", "matches almost any cookie name"),
        ({"pattern": "lang", "match": "exact"}, "pattern", "has a rule for this name already"),
        ({"category": "statistics"}, "category", "Not a valid choice"),
        ({"category": ""}, "category", "This field is required."),
        ({"match": "glob"}, "match", "Not a valid choice"),
        ({"pattern": ""}, "pattern", "This field is required."),
        ({"pattern": "x" * 256}, "pattern", "longer than 255"),
    ],
)
def test_bad_rules_are_errors_next_to_the_field(admin, shop, change, field, message) -> None:
    data = {**RULE, "match": "exact", **change}
    before = rules(shop)
    response = admin.post("/admin/sites/shop/rules", data=data)
    assert response.status_code == 400
    assert message in field_error(response.get_data(as_text=True), field)
    assert rules(shop) == before
    assert changes("rule.create") == []


def test_a_rule_can_be_deleted(admin: FlaskClient, shop: Site) -> None:
    rule = next(r for r in shop.cookie_rules if r.pattern == "_fbp")
    admin.post(f"/admin/sites/shop/rules/{rule.id}/delete")
    assert ("_fbp", "exact") not in rules(shop)
    assert [e.target for e in changes("rule.delete")] == ["shop/_fbp"]


def test_a_rule_of_another_site_cannot_be_deleted_through_this_one(admin, shop) -> None:
    other = make_site("blog", origins=["https://blog.example"])
    rule = other.cookie_rules[0]
    admin.post(f"/admin/sites/shop/rules/{rule.id}/delete")
    assert db.session.get(CookieRule, rule.id) is not None
    assert changes("rule.delete") == []


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("_fbp", "_fbp is Advertising, by a rule from: This site"),
        ("_hjSessionUser_1", "by a rule from: Built-in catalog"),
        ("never-heard-of-it", "No rule knows never-heard-of-it"),
    ],
)
def test_look_up_says_which_rule_classifies_a_name(admin, shop, name, says) -> None:
    page = admin.get("/admin/sites/shop/rules", query_string={"name": name}).get_data(as_text=True)
    assert says in page


@pytest.fixture
def queue(shop: Site) -> list[ReportedCookie]:
    reports = [
        ReportedCookie(site=shop, name="_hjSessionUser_99", times_reported=7),
        ReportedCookie(site=shop, name="mystery", times_reported=2),
    ]
    db.session.add_all(reports)
    db.session.commit()
    return reports


def test_the_review_queue_lists_names_with_what_the_catalogs_say(admin, queue) -> None:
    page = admin.get("/admin/sites/shop/review").get_data(as_text=True)
    assert page.index("_hjSessionUser_99") < page.index("mystery")  # most reported first
    assert "Hotjar" in page


def test_classifying_a_reported_name_is_one_action(app: Flask, admin, shop, queue) -> None:
    report = queue[0]
    response = admin.post(
        f"/admin/sites/shop/review/{report.id}",
        data={f"r{report.id}-category": "functionality", f"r{report.id}-classify": "Add rule"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    rule = next(r for r in shop.cookie_rules if r.pattern == "_hjSessionUser_99")
    assert (rule.match, rule.category, rule.provider) == ("exact", "functionality", "Hotjar")
    assert report.resolved_at is not None
    page = admin.get("/admin/sites/shop/review").get_data(as_text=True)
    assert '<td class="mono">_hjSessionUser_99</td>' not in page
    assert '<td class="mono">mystery</td>' in page
    assert '["_hjSessionUser_99","e","functionality"]' in admin.get("/c/shop.js").get_data(
        as_text=True
    )
    [entry] = changes("review.classify")
    assert entry.details == {"category": "functionality"}


def test_dismissing_a_name_adds_no_rule(admin, shop, queue) -> None:
    report = queue[1]
    admin.post(
        f"/admin/sites/shop/review/{report.id}",
        data={f"r{report.id}-category": "advertising", f"r{report.id}-dismiss": "Dismiss"},
    )
    db.session.expire_all()
    assert report.resolved_at is not None
    assert "mystery" not in {r.pattern for r in shop.cookie_rules}
    assert len(changes("review.dismiss")) == 1


def test_a_name_is_classified_once(admin, shop, queue) -> None:
    report = queue[1]
    data = {f"r{report.id}-category": "advertising", f"r{report.id}-classify": "Add rule"}
    admin.post(f"/admin/sites/shop/review/{report.id}", data=data)
    again = admin.post(f"/admin/sites/shop/review/{report.id}", data=data, follow_redirects=True)
    assert "This name is not in the review queue." in again.get_data(as_text=True)
    assert [r.pattern for r in shop.cookie_rules].count("mystery") == 1


def test_a_report_of_another_site_is_not_in_this_queue(admin, shop) -> None:
    other = make_site("blog", origins=["https://blog.example"])
    report = ReportedCookie(site=other, name="theirs")
    db.session.add(report)
    db.session.commit()
    data = {f"r{report.id}-category": "advertising", f"r{report.id}-classify": "Add rule"}
    admin.post(f"/admin/sites/shop/review/{report.id}", data=data)
    db.session.expire_all()
    assert report.resolved_at is None
    assert "theirs" not in {r.pattern for r in shop.cookie_rules}


def test_an_unknown_category_changes_nothing(admin, shop, queue) -> None:
    report = queue[0]
    data = {f"r{report.id}-category": "statistics", f"r{report.id}-classify": "Add rule"}
    response = admin.post(f"/admin/sites/shop/review/{report.id}", data=data, follow_redirects=True)
    assert "nothing changed" in response.get_data(as_text=True)
    db.session.expire_all()
    assert report.resolved_at is None


def test_a_long_review_queue_comes_in_pages_and_the_tab_counts_all(app: Flask, admin, shop) -> None:
    now = datetime.now(UTC)
    db.session.add_all(
        ReportedCookie(site_id=shop.id, name=f"name_{i:03d}", first_seen=now, last_seen=now)
        for i in range(120)
    )
    db.session.commit()
    first = admin.get("/admin/sites/shop/review").get_data(as_text=True)
    assert first.count('<td class="mono">name_') == 50 and "Page 1 of 3" in first
    last = admin.get("/admin/sites/shop/review?page=3").get_data(as_text=True)
    assert last.count('<td class="mono">name_') == 20
    assert "(120)" in admin.get("/admin/sites/shop").get_data(as_text=True)
