from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consent_app.extensions import db
from consent_app.models import ActivityEntry, Site, User
from tests.factories import make_site, make_user, sign_in


@pytest.fixture
def shop(app: Flask) -> Site:
    return make_site()


@pytest.fixture
def admin_user(app: Flask) -> User:
    return make_user("admin")


@pytest.fixture
def admin(client: FlaskClient, admin_user: User) -> FlaskClient:
    return sign_in(client, admin_user)


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
