"""Creating users and checking their credentials."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..models import ROLES, User
from .activity import commit_change
from .errors import ConsentError

MIN_PASSWORD_LENGTH = 12


class InvalidUser(ConsentError):
    code = "invalid_user"
    status = 422


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(email: str, password: str, role: str, *, commit: bool = True) -> User:
    """Pass commit=False to create the user in the caller's transaction."""
    email = normalise_email(email)
    if role not in ROLES:
        raise InvalidUser(f"role must be one of {', '.join(ROLES)}", field="role")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidUser(
            f"password must have at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
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
        commit_change(actor, "user.update", user.email, changed)
    return changed


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
