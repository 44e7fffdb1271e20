"""`flask translate ...`: extracting, starting and compiling the gettext catalogs."""

from __future__ import annotations

import contextlib

import click
from babel.messages.frontend import CommandLineInterface
from flask.cli import AppGroup

from ..config import PROJECT_ROOT

translate_cli = AppGroup("translate", help="Translation (gettext catalog) commands.")


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])  # type: ignore[no-untyped-call]


@translate_cli.command("update")
def translate_update() -> None:
    """Extract marked strings and merge them into every catalog."""
    # Relative paths, so the catalogs' source comments do not name this checkout's folder.
    with contextlib.chdir(PROJECT_ROOT):
        pot = "translations/messages.pot"
        _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "-o", pot, "consent_app")
        if any(PROJECT_ROOT.glob("translations/*/LC_MESSAGES/messages.po")):
            _pybabel("update", "-i", pot, "-d", "translations", "--no-fuzzy-matching")


@translate_cli.command("init")
@click.argument("language")
def translate_init(language: str) -> None:
    """Start a catalog for a new language."""
    root = PROJECT_ROOT
    pot = str(root / "translations" / "messages.pot")
    _pybabel("init", "-i", pot, "-d", str(root / "translations"), "-l", language)


@translate_cli.command("compile")
def translate_compile() -> None:
    """Compile every catalog to .mo (make run and make test do this)."""
    _pybabel("compile", "-d", str(PROJECT_ROOT / "translations"), "--statistics")
