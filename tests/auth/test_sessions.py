"""Session cookies: their flags, and that every earlier cookie of a user is refused once
they sign out, change their password, get another role or are blocked (the classic test:
keep a copy of the cookie, end the session, replay the copy)."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consent_app.extensions import db
from consent_app.models import ActivityEntry, User
from tests.conftest import production_overrides, running_app
from tests.factories import USER_PASSWORD, AuthActions, make_user

NEW_PASSWORD = "a brand new passphrase 42"


def session_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None, "no session cookie"
    return cookie.value


def replay(app: Flask, cookie: str, path: str = "/audit/"):
    """A request from another browser that holds a copy of the cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get(path)


def changes() -> list[ActivityEntry]:
    return list(db.session.scalars(select(ActivityEntry).where(ActivityEntry.kind == "change")))


def refused(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


@pytest.fixture
def auditor(app: Flask, client: FlaskClient, auth: AuthActions) -> tuple[User, FlaskClient, str]:
    """A signed-in auditor, their browser (`client`), and a copy of its session cookie."""
    user = auth.login("auditor")
    cookie = session_cookie(client)
    assert replay(app, cookie).status_code == 200  # the copy works while the session lasts
    return user, client, cookie


def set_cookie_header(client: FlaskClient, user: User) -> str:
    response = client.post("/auth/login", data={"email": user.email, "password": USER_PASSWORD})
    assert response.status_code == 302
    return response.headers["Set-Cookie"]


def test_the_session_cookie_is_httponly_and_lax(app: Flask) -> None:
    header = set_cookie_header(app.test_client(), make_user("auditor"))
    assert "HttpOnly" in header and "SameSite=Lax" in header
    assert "Secure" not in header  # development serves plain http


def test_the_session_cookie_is_secure_in_production(database_url: str) -> None:
    with running_app(database_url, **production_overrides()) as app:
        header = set_cookie_header(app.test_client(), make_user("auditor"))
    assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header


def test_a_copied_cookie_is_refused_after_sign_out(app: Flask, auditor, auth) -> None:
    _user, client, cookie = auditor
    auth.logout()
    assert refused(client.get("/audit/"))
    assert refused(replay(app, cookie))


def test_signing_out_ends_the_users_sessions_in_other_browsers_too(app, auditor, auth) -> None:
    user, _client, _cookie = auditor
    other = app.test_client()
    AuthActions(other).login(user)
    auth.logout()
    assert refused(other.get("/audit/"))


def test_a_new_password_refuses_earlier_cookies_and_keeps_this_browser(app, auditor) -> None:
    user, client, cookie = auditor
    response = client.post(
        "/auth/password",
        data={
            "current_password": USER_PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert client.get("/audit/").status_code == 200  # the browser that changed it goes on
    assert refused(replay(app, cookie))
    fresh = app.test_client()
    old = fresh.post("/auth/login", data={"email": user.email, "password": USER_PASSWORD})
    assert old.status_code == 400
    new = fresh.post("/auth/login", data={"email": user.email, "password": NEW_PASSWORD})
    assert new.status_code == 302
    assert [entry.action for entry in changes()] == ["user.password"]


@pytest.mark.parametrize(
    ("current", "new", "confirm", "field", "message"),
    [
        ("wrong password!!", NEW_PASSWORD, NEW_PASSWORD, "current_password", "is wrong"),
        (USER_PASSWORD, "short", "short", "new_password", "at least 12 characters"),
        (USER_PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "confirm", "differ"),
    ],
)
def test_a_refused_password_change_changes_nothing(
    app: Flask, auditor, current: str, new: str, confirm: str, field: str, message: str
) -> None:
    _user, client, cookie = auditor
    response = client.post(
        "/auth/password",
        data={"current_password": current, "new_password": new, "confirm": confirm},
    )
    assert response.status_code == 400
    error = re.search(rf'id="{field}-error">([^<]+)<', response.get_data(as_text=True))
    assert error and message in error.group(1)
    assert replay(app, cookie).status_code == 200  # the session still holds


def test_the_password_page_needs_sign_in_and_csrf(database_url: str) -> None:
    with running_app(database_url, WTF_CSRF_ENABLED=True) as app:
        client = app.test_client()
        assert refused(client.get("/auth/password"))
        user = AuthActions(client).login("auditor")  # with the form's CSRF token
        assert "Change password" in client.get("/auth/password").get_data(as_text=True)
        change = {"current_password": USER_PASSWORD, "new_password": NEW_PASSWORD}
        response = client.post("/auth/password", data={**change, "confirm": NEW_PASSWORD})
        assert response.status_code == 400  # no CSRF token
        db.session.refresh(user)
        assert user.check_password(USER_PASSWORD)


@pytest.mark.parametrize(("role", "active"), [("marketer", "1"), ("auditor", "0")])
def test_an_admins_change_of_role_or_blocking_refuses_earlier_cookies(
    app: Flask, auditor, role: str, active: str
) -> None:
    user, _client, cookie = auditor
    admin = app.test_client()
    AuthActions(admin).login("admin")
    response = admin.post(f"/admin/users/{user.id}", data={"role": role, "active": active})
    assert response.status_code == 302
    assert refused(replay(app, cookie, "/audit/"))
    assert user.email not in replay(app, cookie, "/").get_data(as_text=True)  # anonymous


def test_an_admin_saving_nothing_keeps_the_users_sessions(app: Flask, auditor) -> None:
    user, _client, cookie = auditor
    admin = app.test_client()
    AuthActions(admin).login("admin")
    admin.post(f"/admin/users/{user.id}", data={"role": "auditor", "active": "1"})
    assert replay(app, cookie).status_code == 200


def test_the_set_password_command_ends_the_users_sessions(app, runner, auditor) -> None:
    user, _client, cookie = auditor
    result = runner.invoke(args=["users", "set-password", user.email, "--password", NEW_PASSWORD])
    assert result.exit_code == 0, result.output
    assert refused(replay(app, cookie))
    db.session.refresh(user)
    assert user.check_password(NEW_PASSWORD)
    (entry,) = changes()
    assert (entry.action, entry.target, entry.user_id) == ("user.password", user.email, None)


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("nobody@example.no", NEW_PASSWORD, "no user"),
        ("auditor@example.no", "short", "at least 12"),
    ],
)
def test_the_set_password_command_refuses_bad_input(runner, email, password, message) -> None:
    make_user("auditor")
    result = runner.invoke(args=["users", "set-password", email, "--password", password])
    assert result.exit_code != 0 and message in result.output.lower()


def test_a_cookie_from_before_session_versions_is_refused(app: Flask) -> None:
    user = make_user("auditor")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)  # what cookies held before, just the id
        session["_fresh"] = True
    assert refused(client.get("/audit/"))


def test_a_signed_in_session_lasts_a_working_day_from_the_last_request(app: Flask) -> None:
    header = set_cookie_header(app.test_client(), make_user("auditor"))
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", header).group(1))
    assert abs(expires - datetime.now(UTC) - timedelta(hours=8)) < timedelta(minutes=1)


def test_an_idle_session_ends_while_a_used_one_goes_on(database_url: str) -> None:
    with running_app(database_url, PERMANENT_SESSION_LIFETIME=timedelta(seconds=1)) as app:
        client = app.test_client()
        AuthActions(client).login("auditor")
        for _ in range(4):  # two seconds of use, twice the lifetime
            time.sleep(0.5)
            assert client.get("/audit/").status_code == 200
        cookie = session_cookie(client)
        time.sleep(2.1)  # idle for longer than the lifetime
        assert refused(client.get("/audit/"))
        assert refused(replay(app, cookie))


def test_password_changes_are_limited_per_client_address(database_url: str) -> None:
    """Each try checks the current password: a stolen session must not become a way to
    guess it (or to burn the server's CPU on scrypt) without end."""
    with running_app(database_url, PASSWORD_RATE_LIMIT="2 per minute") as app:
        client = app.test_client()
        user = AuthActions(client).login("auditor")
        guess = {"current_password": "a guess, 1234", "new_password": NEW_PASSWORD}
        guess["confirm"] = NEW_PASSWORD
        answers = [client.post("/auth/password", data=guess).status_code for _ in range(3)]
        assert answers == [400, 400, 429]
        right = {**guess, "current_password": USER_PASSWORD}
        refused_answer = client.post("/auth/password", data=right)
        assert refused_answer.status_code == 429
        assert "Too many requests" in refused_answer.get_data(as_text=True)
        elsewhere = app.test_client()
        elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.9"
        AuthActions(elsewhere).login(user)
        assert elsewhere.post("/auth/password", data=right).status_code == 302
