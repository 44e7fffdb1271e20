"""`flask users ...`: sign-in users, their roles and passwords."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..models import ROLES
from ..services.accounts.users import InvalidUser, all_users, create_user, set_password
from .who import operator_name

users_cli = AppGroup("users", help="Sign-in users and their roles.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.password_option(help="At least 12 characters; asked for when not given.")
def users_create(email: str, role: str, password: str) -> None:
    """Create a user who signs in with EMAIL and a password."""
    try:
        user = create_user(email, password, role)
    except InvalidUser as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"created {user.email} with role {user.role}")


@users_cli.command("set-password")
@click.argument("email")
@click.password_option(help="At least 12 characters; asked for when not given.")
def users_set_password(email: str, password: str) -> None:
    """Give EMAIL a new password (e.g. a forgotten one); their open sessions end."""
    try:
        user = set_password(email, password, operator=operator_name())
    except InvalidUser as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"new password set for {user.email}; their sessions are signed out")


@users_cli.command("list")
def users_list() -> None:
    """Print every user: email, role, active."""
    for user in all_users():
        click.echo(f"{user.email}\t{user.role}\t{'active' if user.active else 'inactive'}")
