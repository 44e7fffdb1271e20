from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from consent_app.auth.roles import role_required
from consent_app.config import DEFAULT_PASSWORD_HASH_METHOD
from consent_app.demo.seed import DEMO_PASSWORD, demo_user_email, seed_demo_users
from consent_app.extensions import db
from consent_app.models.user import hash_password
from consent_app.services.accounts.users import InvalidUser, create_user
from tests.conftest import production_overrides, running_app
from tests.factories import USER_PASSWORD, csrf_token, make_user


def submit_login(client: FlaskClient, email: str, password: str = USER_PASSWORD, **query: str):
    """The sign-in form as a person fills it in (any email and password), with its token;
    tests/factories.py's AuthActions signs in known users."""
    token = csrf_token(client)
    return client.post(
        "/auth/login",
        data={"email": email, "password": password, "csrf_token": token},
        query_string=query,
    )


@pytest.fixture
def csrf_app(database_url: str):
    with running_app(database_url, WTF_CSRF_ENABLED=True) as app:
        app.add_url_rule(
            "/only-auditors",
            "only_auditors",
            role_required("auditor", "admin")(lambda: "audit things"),
        )
        yield app


def test_user_with_right_password_signs_in(csrf_app: Flask) -> None:
    make_user("auditor", "Ola@Example.no")
    client = csrf_app.test_client()
    response = submit_login(client, "ola@example.no")
    assert response.status_code == 302
    assert client.get("/only-auditors").get_data(as_text=True) == "audit things"


def test_wrong_password_is_a_form_error_not_a_crash(csrf_app: Flask) -> None:
    make_user("auditor", "ola@example.no")
    response = submit_login(csrf_app.test_client(), "ola@example.no", "wrong password!!")
    assert response.status_code == 400
    assert "Wrong email or password." in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(csrf_app: Flask) -> None:
    make_user("auditor", "ola@example.no")
    client = csrf_app.test_client()
    response = client.post(
        "/auth/login", data={"email": "ola@example.no", "password": USER_PASSWORD}
    )
    assert response.status_code == 400
    assert client.get("/only-auditors").status_code == 302


def test_anonymous_is_sent_to_sign_in(csrf_app: Flask) -> None:
    response = csrf_app.test_client().get("/only-auditors")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_wrong_role_is_forbidden(csrf_app: Flask) -> None:
    make_user("marketer", "kari@example.no")
    client = csrf_app.test_client()
    submit_login(client, "kari@example.no")
    assert client.get("/only-auditors").status_code == 403


def test_next_only_goes_to_paths_on_this_site(csrf_app: Flask) -> None:
    make_user("auditor", "ola@example.no")
    client = csrf_app.test_client()
    response = submit_login(client, "ola@example.no", next="https://evil.example/")
    assert response.headers["Location"] == "/audit/"  # the auditor's own door instead
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    response = submit_login(client, "ola@example.no", next="/only-auditors")
    assert response.headers["Location"] == "/only-auditors"


def test_sign_out_needs_a_post_with_csrf(csrf_app: Flask) -> None:
    make_user("auditor", "ola@example.no")
    client = csrf_app.test_client()
    submit_login(client, "ola@example.no")
    assert client.get("/auth/logout").status_code == 405
    client.post("/auth/logout", data={})
    assert client.get("/only-auditors").status_code == 200
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    assert client.get("/only-auditors").status_code == 302


def test_inactive_user_cannot_sign_in(csrf_app: Flask) -> None:
    user = make_user("auditor", "ola@example.no")
    user.active = False
    db.session.commit()
    assert submit_login(csrf_app.test_client(), "ola@example.no").status_code == 400


@pytest.mark.parametrize(
    ("email", "password", "role", "message"),
    [
        ("a@example.no", "short", "auditor", "at least 12"),
        ("a@example.no", USER_PASSWORD, "king", "role must be"),
        ("no-at-sign", USER_PASSWORD, "auditor", "must contain @"),
    ],
)
def test_create_user_refuses_bad_input(app: Flask, email, password, role, message) -> None:
    with pytest.raises(InvalidUser, match=message):
        create_user(email, password, role)


def test_create_user_refuses_a_duplicate_email(app: Flask) -> None:
    create_user("a@example.no", USER_PASSWORD, "auditor")
    with pytest.raises(InvalidUser, match="exists already"):
        create_user("A@example.no", USER_PASSWORD, "admin")


def test_passwords_are_hashed_with_the_configured_method(app: Flask) -> None:
    user = make_user("auditor")
    assert app.config["PASSWORD_HASH_METHOD"] == "pbkdf2:sha256:1"  # TEST_CONFIG's
    assert user.password_hash.startswith("pbkdf2:sha256:1$")
    assert user.check_password(USER_PASSWORD) and not user.check_password("x" * 20)


def test_users_create_command(runner: FlaskCliRunner) -> None:
    create = ["users", "create", "ny@example.no", "--role", "marketer", "--password", USER_PASSWORD]
    result = runner.invoke(args=create)
    assert result.exit_code == 0, result.output
    listed = runner.invoke(args=["users", "list"])
    assert "ny@example.no\tmarketer\tactive" in listed.output
    again = runner.invoke(args=create)
    assert again.exit_code != 0 and "exists already" in again.output


def median_seconds_each(attempts: dict[str, Callable[[], None]], rounds: int) -> dict[str, float]:
    """Each attempt's median wall time; taken in turns, so that load from elsewhere on the
    machine falls on all of them alike."""
    durations: dict[str, list[float]] = {name: [] for name in attempts}
    for _ in range(rounds):
        for name, attempt in attempts.items():
            started = time.perf_counter()
            attempt()
            durations[name].append(time.perf_counter() - started)
    return {name: statistics.median(times) for name, times in durations.items()}


def test_a_wrong_login_costs_the_same_whether_the_account_exists_or_not(database_url) -> None:
    """No user enumeration by timing: an unknown email (or a blocked account) still costs
    one check of a real password hash, the method every stored hash uses."""
    real_method = {"PASSWORD_HASH_METHOD": DEFAULT_PASSWORD_HASH_METHOD}  # not TEST_CONFIG's
    with running_app(database_url, RATELIMIT_ENABLED=False, **real_method) as app:
        user = make_user("auditor", "ola@example.no")
        blocked = make_user("auditor", "kari@example.no")
        blocked.active = False
        db.session.commit()
        method = hash_password("x").split("$")[0]
        assert user.password_hash.startswith(method + "$") and method.startswith("scrypt")
        client = app.test_client()

        def wrong_login(email: str) -> Callable[[], None]:
            def attempt() -> None:
                response = client.post("/auth/login", data={"email": email, "password": "x" * 20})
                assert response.status_code == 400

            return attempt

        wrong_login("warm-up@example.no")()
        emails = ("ola@example.no", "nobody@example.no", "kari@example.no")
        times = median_seconds_each({email: wrong_login(email) for email in emails}, rounds=9)
    existing = times["ola@example.no"]
    for email in ("nobody@example.no", "kari@example.no"):
        ratio = max(existing, times[email]) / min(existing, times[email])
        assert ratio < 1.5, f"{email}: {times}"


def test_demo_users_are_refused_at_sign_in_in_production(database_url: str) -> None:
    with running_app(database_url, **production_overrides()) as app:
        seed_demo_users()
        response = app.test_client().post(
            "/auth/login", data={"email": demo_user_email("admin"), "password": DEMO_PASSWORD}
        )
        assert response.status_code == 400
        assert "Wrong email or password." in response.get_data(as_text=True)


def test_demo_users_sign_in_outside_production(database_url: str) -> None:
    with running_app(database_url) as app:
        seed_demo_users()
        response = app.test_client().post(
            "/auth/login", data={"email": demo_user_email("admin"), "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302
