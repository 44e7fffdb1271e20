from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consent_app.extensions import db
from consent_app.models import ActivityEntry, User
from tests.factories import AuthActions, make_user


@pytest.fixture
def admin_user(app: Flask) -> User:
    return make_user("admin")


@pytest.fixture
def admin(client: FlaskClient, auth: AuthActions, admin_user: User) -> FlaskClient:
    """The `client`, signed in as admin_user."""
    auth.login(admin_user)
    return client


def changes(action: str) -> list[ActivityEntry]:
    """The activity log's entries for one kind of admin change."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(ActivityEntry).where(ActivityEntry.action == action).order_by(ActivityEntry.id)
        )
    )


def field_error(page: str, field: str) -> str:
    """The error shown right next to a form field (see templates/_forms.html)."""
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    assert match, f"no error next to {field}"
    return match.group(1)
