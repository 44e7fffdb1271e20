"""Every route of the dashboard and admin doors, tried by each role and anonymously.

The routes come from app.url_map, so a route added later is tried as soon as it exists
(a route with a URL argument this test has no value for fails it, asking for one)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from consent_app.extensions import db
from consent_app.models import ActivityEntry, ReportedCookie
from tests.factories import AuthActions, make_site, make_user

DOORS = {"dashboard": {"marketer", "admin"}, "admin": {"admin"}}
ROLES = ["admin", "marketer", "auditor"]


def door_routes(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, rule, method) of every route behind a door."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in DOORS:
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                found.append((rule.endpoint, rule.rule, method))
    return found


def url_values(app: Flask) -> dict[str, object]:
    """A real value for every URL argument the doors use."""
    shop = make_site()
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
    }


def build(app: Flask, endpoint: str, values: dict[str, object]) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    missing = rule.arguments - values.keys()
    assert not missing, f"{endpoint}: give test_permissions a value for {missing}"
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **{k: values[k] for k in rule.arguments})


def test_the_doors_have_routes_to_try(app: Flask) -> None:
    endpoints = {endpoint for endpoint, _, _ in door_routes(app)}
    assert {"dashboard.overview", "admin.sites", "admin.classify_report"} <= endpoints


@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_route_lets_in_only_its_roles(app: Flask, role: str | None) -> None:
    values = url_values(app)
    client = app.test_client()
    if role:
        AuthActions(client).login(role)
    changes_before = db.session.scalar(select(func.count()).select_from(ActivityEntry))
    for endpoint, _, method in door_routes(app):
        url = build(app, endpoint, values)
        response = client.open(url, method=method)
        allowed = role in DOORS[endpoint.split(".")[0]]
        where = f"{method} {url} as {role or 'anonymous'}"
        if role is None:
            assert response.status_code == 302, where
            assert response.headers["Location"].startswith("/auth/login"), where
        elif not allowed:
            assert response.status_code == 403, where
        else:
            assert response.status_code < 500 and response.status_code != 403, where
            assert "/auth/login" not in response.headers.get("Location", ""), where
    if role != "admin":  # no one else changed anything, whatever they sent
        changes_after = db.session.scalar(select(func.count()).select_from(ActivityEntry))
        assert changes_after == changes_before


def test_every_change_needs_its_csrf_token(database_url: str) -> None:
    """With CSRF checks on (as in production), a POST without the form's token changes
    nothing, on every route of the doors that accepts one."""
    import re

    from tests.conftest import running_app
    from tests.factories import USER_PASSWORD

    with running_app(database_url, WTF_CSRF_ENABLED=True) as app:
        values = url_values(app)
        admin = make_user("admin")
        client = app.test_client()
        page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        login = {"email": admin.email, "password": USER_PASSWORD, "csrf_token": token}
        assert client.post("/auth/login", data=login).status_code == 302
        posts = [(e, m) for e, _, m in door_routes(app) if m == "POST"]
        assert posts
        for endpoint, method in posts:
            response = client.open(build(app, endpoint, values), method=method, data={})
            assert response.status_code == 400, endpoint
        assert db.session.scalar(select(func.count()).select_from(ActivityEntry)) == 0
