from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consent_app.extensions import db
from consent_app.models import User
from tests.admin.conftest import changes, field_error
from tests.factories import USER_PASSWORD, make_user

NEW = {"email": "Kari@Example.no", "role": "marketer", "password": "a long password 123"}


def test_admin_creates_a_user_who_can_sign_in(app: Flask, admin: FlaskClient) -> None:
    assert admin.post("/admin/users", data=NEW).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "kari@example.no"))
    assert user.role == "marketer" and user.check_password(NEW["password"])
    other = app.test_client()
    signed_in = other.post("/auth/login", data={"email": NEW["email"], "password": NEW["password"]})
    assert signed_in.headers["Location"] == "/dashboard/"
    [entry] = changes("user.create")
    assert (entry.target, entry.details, entry.user_email) == (
        "kari@example.no",
        {"role": "marketer"},
        "admin@example.no",
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": "admin@example.no"}, "email", "exists already"),
        ({"email": "not-an-email"}, "email", "Invalid email address."),
        ({"password": "short"}, "password", "between 12 and 200"),
        ({"role": "king"}, "role", "Not a valid choice"),
    ],
)
def test_bad_user_input_is_an_error_next_to_the_field(admin, change, field, message) -> None:
    response = admin.post("/admin/users", data={**NEW, **change})
    assert response.status_code == 400
    assert message in field_error(response.get_data(as_text=True), field)
    assert changes("user.create") == []


def test_a_blocked_user_cannot_sign_in(app: Flask, admin: FlaskClient) -> None:
    marketer = make_user("marketer")
    admin.post(f"/admin/users/{marketer.id}", data={"role": "auditor", "active": "0"})
    db.session.expire_all()
    assert (marketer.role, marketer.active) == ("auditor", False)
    login = {"email": marketer.email, "password": USER_PASSWORD}
    assert app.test_client().post("/auth/login", data=login).status_code == 400
    [entry] = changes("user.update")
    assert entry.details == {"role": ["marketer", "auditor"], "active": [True, False]}


@pytest.mark.parametrize(
    "data", [{"role": "marketer", "active": "1"}, {"role": "admin", "active": "0"}]
)
def test_admins_cannot_lock_themselves_out(admin: FlaskClient, admin_user: User, data) -> None:
    response = admin.post(f"/admin/users/{admin_user.id}", data=data)
    assert response.status_code == 400
    assert "your own role" in field_error(response.get_data(as_text=True), "role")
    db.session.expire_all()
    assert (admin_user.role, admin_user.active) == ("admin", True)


def test_an_unknown_user_is_404(admin: FlaskClient) -> None:
    assert admin.get("/admin/users/999").status_code == 404


def test_admin_changes_are_readable_in_the_activity_log(admin: FlaskClient) -> None:
    admin.post("/admin/users", data=NEW)
    page = admin.get("/activity?kind=change").get_data(as_text=True)
    assert "user.create" in page and "kari@example.no" in page and "admin@example.no" in page
