"""Creating users and checking their credentials."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ...extensions import db
from ...models import ROLES, User
from ..errors import Invalid
from .activity import commit_change, record_operator_change

MIN_PASSWORD_LENGTH = 12
SESSION_ID = re.compile(r"(?P<id>[0-9]{1,18}):(?P<version>[0-9]{1,18})")
# Demo users share a published password: production refuses them at sign-in.
DEMO_USER_DOMAIN = "demo.example"


class InvalidUser(Invalid):
    code = "invalid_user"


def is_demo_user(email: str) -> bool:
    return normalise_email(email).endswith("@" + DEMO_USER_DOMAIN)


def _check_new_password(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidUser(
            _("The password must have at least %(count)s characters.", count=MIN_PASSWORD_LENGTH),
            field=field,
        )


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(email: str, password: str, role: str, *, commit: bool = True) -> User:
    """Pass commit=False to create the user in the caller's transaction."""
    email = normalise_email(email)
    if role not in ROLES:
        raise InvalidUser(f"role must be one of {', '.join(ROLES)}", field="role")
    _check_new_password(password)
    if "@" not in email:
        raise InvalidUser("email must contain @", field="email")
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InvalidUser(_("A user %(email)s exists already.", email=email), field="email")
    user = User(email=email, role=role)
    user.set_password(password)
    db.session.add(user)
    if commit:
        db.session.commit()
    return user


def add_user(actor: User, email: str, password: str, role: str) -> User:
    """An admin creates a user; the activity log says who did."""
    user = create_user(email, password, role, commit=False)
    commit_change(actor, "user.create", user.email, {"role": role})
    return user


def update_user(actor: User, user: User, *, role: str, active: bool) -> dict[str, list[object]]:
    """Change a user's role or whether they may sign in. Admins cannot lock themselves
    out: their own role and activity stay as they are."""
    if role not in ROLES:
        raise InvalidUser(f"role must be one of {', '.join(ROLES)}", field="role")
    if user.id == actor.id and (role != user.role or not active):
        raise InvalidUser(_("You cannot change your own role or block yourself."), field="role")
    changed: dict[str, list[object]] = {}
    for name, value in (("role", role), ("active", active)):
        if getattr(user, name) != value:
            changed[name] = [getattr(user, name), value]
            setattr(user, name, value)
    if changed:
        # What a session may do was decided at sign-in: the user signs in again.
        user.end_sessions()
        commit_change(actor, "user.update", user.email, changed)
    return changed


def change_password(user: User, current: str, new: str) -> None:
    """The signed-in user's new password; every other session of theirs ends (the caller
    signs this one in again)."""
    if not user.check_password(current):
        raise InvalidUser(_("The current password is wrong."), field="current_password")
    _check_new_password(new, field="new_password")
    user.set_password(new)
    user.end_sessions()
    commit_change(user, "user.password", user.email)


def set_password(email: str, password: str, *, operator: str) -> User:
    """An operator (`flask users set-password`) sets a user's password, e.g. a forgotten
    one; the user's sessions end."""
    user = find_user(email)
    if user is None:
        raise InvalidUser(_("There is no user %(email)s.", email=email), field="email")
    _check_new_password(password)
    user.set_password(password)
    user.end_sessions()
    record_operator_change(operator, "user.password", user.email)
    db.session.commit()
    return user


def end_sessions(user: User) -> None:
    """Sign-out: the cookie the browser had, and any copy of it, is refused from now on."""
    user.end_sessions()
    db.session.commit()


@cache
def _unknown_user_hash(method: str) -> str:
    # Checked when no usable account matches, so that a wrong email costs what a wrong
    # password costs and the time taken does not tell which emails have accounts. One
    # per method: it must cost what the stored hashes (made with the same method) cost.
    return generate_password_hash(secrets.token_urlsafe(32), method=method)


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def authenticate(email: str, password: str, *, allow_demo_users: bool = True) -> User | None:
    """The active user with these credentials, or None. Every failure (no such user,
    blocked, a demo user where they are refused, wrong password) answers the same and
    costs one password-hash check."""
    user = find_user(email)
    if user is not None:
        password_hash = user.password_hash
    else:
        password_hash = _unknown_user_hash(current_app.config["PASSWORD_HASH_METHOD"])
    password_ok = check_password_hash(password_hash, password)
    if user is None or not password_ok or not user.active:
        return None
    if not allow_demo_users and is_demo_user(user.email):
        return None
    user.last_login_at = datetime.now(UTC)
    db.session.commit()
    return user


def user_for_session(user_id: str) -> User | None:
    """The user a session cookie names ("id:session_version"), if that session still
    holds: refused once the user signed out, changed password or role, or was blocked."""
    match = SESSION_ID.fullmatch(user_id)
    if match is None:  # e.g. a cookie from before session versions
        return None
    user = get_user(int(match["id"]))
    if user is None or user.session_version != int(match["version"]) or not user.active:
        return None
    return user


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def all_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.email)))
