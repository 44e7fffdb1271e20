"""Factories for test data: real rows made through the same services the app uses; and
AuthActions, which signs a test client in and out through the real forms."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from flask import g
from flask.testing import FlaskClient
from sqlalchemy import select

from consent_app import signing
from consent_app.extensions import db
from consent_app.models import AllowedOrigin, Category, ConsentRecord, CookieRule, Site, User
from consent_app.services.accounts.users import create_user
from consent_app.services.ledger.ingest import NO_KEYS, find_record, record_consent
from consent_app.services.ledger.keys import KeyRing
from consent_app.services.sites.policies import publish

SHOP_ORIGIN = "https://shop.example"


def make_site(
    key: str = "shop",
    *,
    origins: Sequence[str] = (SHOP_ORIGIN,),
    categories: Sequence[str] = ("necessary", "functionality", "advertising"),
    rules: Sequence[tuple[str, str, str]] = (
        ("lang", "exact", "functionality"),
        ("_fbp", "exact", "advertising"),
        ("_ga", "prefix", "advertising"),
    ),
    policy: str = "1",
    **fields: Any,
) -> Site:
    site = Site(key=key, name=fields.pop("name", f"{key.title()} AS"), **fields)
    site.origins = [AllowedOrigin(origin=o) for o in origins]
    site.categories = [Category(slug=s, position=i) for i, s in enumerate(categories)]
    site.cookie_rules = [
        CookieRule(pattern=p, match=m, category=c, provider="Test", purpose=f"{c} cookie")
        for p, m, c in rules
    ]
    db.session.add(site)
    db.session.commit()
    publish(site, policy, major=True)
    return site


def consent_payload(**overrides: Any) -> dict[str, Any]:
    payload = {
        "site": "shop",
        "subject_id": "k3J9abcdefghijklmnop",
        "choices": {"functionality": True, "advertising": False},
        "action": "custom",
        "policy_version": "1",
        "language": "nb",
        "page": f"{SHOP_ORIGIN}/products/a?utm_source=mail&email=x@y.z",
        "gpc": False,
    }
    payload.update(overrides)
    return payload


def make_record(
    *,
    signing_key: str | None = None,
    origin: str = SHOP_ORIGIN,
    now: datetime | None = None,
    keyring: KeyRing = NO_KEYS,
    country: str | None = None,
    device_class: str | None = "desktop",
    **overrides: Any,
) -> Any:
    payload = consent_payload(**overrides)
    secrets = _visitor_secrets()
    subject_key = (payload["site"], payload["subject_id"])
    recorded = record_consent(
        **payload,
        visitor_secret=secrets.get(subject_key),
        origin=origin,
        signing_key=signing_key or signing.hmac_key(),
        keyring=keyring,
        country=country,
        device_class=device_class,
        now=now or datetime.now(UTC),
    )
    if recorded.visitor_secret:
        secrets[subject_key] = recorded.visitor_secret
    return find_record(recorded.receipt_id)


def _visitor_secrets() -> dict[tuple[str, str], str]:
    # The app context lives exactly as long as the test's database rows.
    return g.setdefault("visitor_secrets", {})  # type: ignore[no-any-return]


def visitor_secret(subject_id: str, site: str = "shop") -> str:
    """The secret the subject's first receipt (made by make_record) came with."""
    return _visitor_secrets()[(site, subject_id)]


USER_PASSWORD = "correct horse battery staple"


def make_user(role: str, email: str | None = None) -> User:
    return create_user(email or f"{role}@example.no", USER_PASSWORD, role)


def csrf_token(client: FlaskClient, path: str = "/auth/login") -> str:
    """The CSRF token of the form on `path` (the app must have CSRF checks on)."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class AuthActions:
    """Signs a test client in and out through the real forms, as the `auth` fixture of
    Flask's tutorial does; with the form's CSRF token when the app checks them (the test
    config turns the checks off)."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, who: str | User) -> User:
        """Sign in as `who`: a role (a new user of that role is made) or a user of
        make_user's. Returns the user."""
        user = make_user(who) if isinstance(who, str) else who
        data = {"email": user.email, "password": USER_PASSWORD, **self._token("/auth/login")}
        response = self.client.post("/auth/login", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    def logout(self) -> None:
        response = self.client.post("/auth/logout", data=self._token("/"))
        assert response.status_code == 302, response.get_data(as_text=True)

    def _token(self, path: str) -> dict[str, str]:
        if not self.client.application.config.get("WTF_CSRF_ENABLED", True):
            return {}
        return {"csrf_token": csrf_token(self.client, path)}


def subject(number: int) -> str:
    """A subject id as the banner makes them (16-64 URL-safe characters)."""
    return f"visitor{number:012d}"


def make_records(count: int, **overrides: Any) -> list[Any]:
    """`count` receipts from different subjects, oldest first."""
    return [make_record(subject_id=subject(i), **overrides) for i in range(count)]


def seal_all(app: Any) -> Any:
    """Seal every waiting receipt, as `flask consent seal` does."""
    from consent_app.services.ledger.log import seal

    return seal(signing.hmac_key(), signing.keyring())


def records_by_position() -> list[Any]:
    """Every stored receipt, in log order (fresh from the database)."""
    db.session.expire_all()
    return list(db.session.scalars(select(ConsentRecord).order_by(ConsentRecord.log_index)))
