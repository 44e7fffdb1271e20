"""Every door of the console, tried by each role and anonymously: who gets the page, who is
sent to sign in, who gets 403.

The routes come from app.url_map: a new route must be named in CONSOLE (who may use it)
or in PUBLIC (why anyone may), or test_every_route_is_in_the_matrix_or_public fails; a
route with a URL argument this test has no value for fails it too, asking for one."""

from __future__ import annotations

import itertools

import pytest
from flask import Flask, url_for
from sqlalchemy import func, select

from consent_app.extensions import db
from consent_app.models import ActivityEntry, ReportedCookie
from consent_app.services.sites.policies import publish
from tests.conftest import running_app
from tests.factories import AuthActions, make_record, make_site, make_user

ROLES = ("admin", "marketer", "auditor")

# Who may use each route of the console: by blueprint, or by endpoint where one route of a
# blueprint differs. Everyone else signed in gets 403; anonymous visitors go to sign in.
CONSOLE: dict[str, set[str]] = {
    "dashboard": {"marketer", "admin"},
    "audit": {"auditor", "admin"},
    "admin": {"admin"},
    "main.activity": {"admin"},
    "auth.password": set(ROLES),
}
# Routes anyone may call, and why that is safe.
PUBLIC = {
    "api": "the banners' JSON API: checks the site's origins and the visitor's secret",
    "embed": "the scripts and configuration a customer's page embeds",
    "visitor": "/my-consent: opened only with the visitor's own secret",
    "wellknown": "published documents (GPC, the public keys)",
    "static": "stylesheets, scripts and images",
    "favicon": "the icon",
    "healthz": "the load balancer's check",
    "main.index": "the front page",
    "main.set_language": "the interface language, kept in the session",
    "auth.login": "the sign-in form",
    "auth.logout": "sign-out: ends whatever session the request has",
}
# Arguments with more than one value worth trying: every export format and table.
VARIANTS = {"fmt": ("csv", "jsonl"), "table": ("breakdown", "categories")}


def entry_for(endpoint: str, table: dict[str, object]) -> object | None:
    """The entry naming the endpoint itself, or else its blueprint."""
    return table.get(endpoint, table.get(endpoint.split(".")[0]))


def console_routes(app: Flask) -> list[tuple[str, str]]:
    """(endpoint, method) of every route of the console."""
    found = set()
    for rule in app.url_map.iter_rules():
        if entry_for(rule.endpoint, CONSOLE) is not None:
            for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
                found.add((rule.endpoint, method))
    return sorted(found)


def url_values(app: Flask) -> dict[str, object]:
    """A real value for every URL argument the doors use (the shop site, a rule, a cookie
    report, a user and a receipt of it), and two policy versions for the comparison."""
    shop = make_site()
    publish(shop, "2", major=False)
    report = ReportedCookie(site=shop, name="mystery")
    db.session.add(report)
    db.session.commit()
    return {
        "site_key": "shop",
        "slug": "functionality",
        "rule_id": shop.cookie_rules[0].id,
        "report_id": report.id,
        "user_id": make_user("auditor", "someone@example.no").id,
        "language": "nb",
        "table": "breakdown",
        "receipt_id": make_record().receipt_id,
        "fmt": "csv",
        "filename": "css/app.css",
    }


def _rule(app: Flask, endpoint: str):  # type: ignore[no-untyped-def]
    return next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)


def build(app: Flask, endpoint: str, values: dict[str, object]) -> str:
    rule = _rule(app, endpoint)
    missing = rule.arguments - values.keys()
    assert not missing, f"{endpoint}: give test_permissions a value for {missing}"
    with app.test_request_context():
        return url_for(endpoint, **{k: values[k] for k in rule.arguments})


def every_url(app: Flask, endpoint: str, values: dict[str, object]) -> list[str]:
    """The endpoint's URL for each combination of VARIANTS among its arguments."""
    arguments = sorted(_rule(app, endpoint).arguments & VARIANTS.keys())
    return [
        build(app, endpoint, {**values, **dict(zip(arguments, choice, strict=True))})
        for choice in itertools.product(*(VARIANTS[a] for a in arguments))
    ]


def activity_count(kind: str | None = None) -> int:
    query = select(func.count()).select_from(ActivityEntry)
    if kind:
        query = query.where(ActivityEntry.kind == kind)
    return int(db.session.scalar(query) or 0)


def test_every_route_is_in_the_matrix_or_public(app: Flask) -> None:
    unnamed, both = [], []
    named: set[str] = set()
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".")[0]
        in_console = entry_for(rule.endpoint, CONSOLE) is not None
        in_public = entry_for(rule.endpoint, PUBLIC) is not None
        if in_console == in_public:
            (both if in_console else unnamed).append(f"{rule.endpoint} {rule.rule}")
        named |= {rule.endpoint, blueprint}
    assert unnamed == [], "say in CONSOLE who may use these, or in PUBLIC why anyone may"
    assert both == [], "routes both in CONSOLE and PUBLIC"
    assert (CONSOLE.keys() | PUBLIC.keys()) - named == set(), "entries for no route"


def test_the_doors_have_routes_to_try(app: Flask) -> None:
    endpoints = {endpoint for endpoint, _ in console_routes(app)}
    assert {
        "dashboard.overview",
        "dashboard.export",
        "audit.search",
        "audit.receipt",
        "audit.export",
        "admin.sites",
        "admin.classify_report",
        "main.activity",
        "auth.password",
    } <= endpoints


@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_route_lets_in_only_its_roles(app: Flask, auth: AuthActions, role) -> None:
    values = url_values(app)
    client = auth.client
    if role:
        auth.login(role)
    entries_before = activity_count()
    changes_before = activity_count("change")
    for endpoint, method in console_routes(app):
        allowed = role in entry_for(endpoint, CONSOLE)  # type: ignore[operator]
        for url in every_url(app, endpoint, values):
            response = client.open(url, method=method, buffered=True)
            where = f"{method} {url} as {role or 'anonymous'}"
            if role is None:
                assert response.status_code == 302, where
                assert response.headers["Location"].startswith("/auth/login?next="), where
            elif not allowed:
                assert response.status_code == 403, where
            elif method == "GET":
                assert response.status_code == 200, where
            else:  # an empty form: refused as a form error, or nothing to change
                assert response.status_code < 500 and response.status_code != 403, where
                assert "/auth/login" not in response.headers.get("Location", ""), where
    if role != "admin":  # no one else changed anything, whatever they sent
        assert activity_count("change") == changes_before
    if role in (None, "marketer"):  # nor read receipts (what auditors read is recorded)
        assert activity_count() == entries_before


def test_no_public_route_sends_anyone_to_sign_in(app: Flask) -> None:
    values = url_values(app)
    client = app.test_client()
    for rule in app.url_map.iter_rules():
        if entry_for(rule.endpoint, PUBLIC) is None or "GET" not in (rule.methods or set()):
            continue
        url = build(app, rule.endpoint, values)
        response = client.get(url, buffered=True)
        assert response.status_code < 500, url
        assert "/auth/login" not in response.headers.get("Location", ""), url


def test_every_change_needs_its_csrf_token(database_url: str) -> None:
    """With CSRF checks on (as in production), a POST without the form's token changes
    nothing, on every route of the console that accepts one."""
    with running_app(database_url, WTF_CSRF_ENABLED=True) as app:
        values = url_values(app)
        client = app.test_client()
        AuthActions(client).login("admin")  # with the sign-in form's token
        posts = [endpoint for endpoint, method in console_routes(app) if method == "POST"]
        assert "auth.password" in posts and "admin.classify_report" in posts
        for endpoint in posts:
            response = client.post(build(app, endpoint, values), data={})
            assert response.status_code == 400, endpoint
        assert activity_count() == 0
