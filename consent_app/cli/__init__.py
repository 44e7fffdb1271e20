"""Operator commands: `flask consent ...`, `flask users ...` and `flask translate ...`.

Each module defines its commands and nothing registers itself: the app factory calls
`register(app)`, which is the one place that says which commands exist.
"""

from __future__ import annotations

from flask import Flask
from flask.cli import AppGroup

from . import cookies, demo, ledger, stats, translate, users


def consent_group() -> AppGroup:
    group = AppGroup("consent", help="Consent manager commands.")
    for module in (demo, cookies, stats, ledger):
        for command in module.COMMANDS:
            group.add_command(command)
    return group


def register(app: Flask) -> None:
    for group in (consent_group(), users.users_cli, translate.translate_cli):
        app.cli.add_command(group)
