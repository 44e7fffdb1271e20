"""Creating users and checking their credentials."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from ..extensions import db
from ..models import ROLES, User
from .errors import ConsentError

MIN_PASSWORD_LENGTH = 12


class InvalidUser(ConsentError):
    code = "invalid_user"
    status = 422


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(email: str, password: str, role: str) -> User:
    email = normalise_email(email)
    if role not in ROLES:
        raise InvalidUser(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidUser(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if "@" not in email:
        raise InvalidUser("email must contain @")
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InvalidUser(f"a user {email} exists already")
    user = User(email=email, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (the same for every failure)."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))
    if user is None or not user.active or not user.check_password(password):
        return None
    user.last_login_at = datetime.now(UTC)
    db.session.commit()
    return user


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def all_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.email)))
