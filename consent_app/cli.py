"""`flask consent ...`: operator commands."""

from __future__ import annotations

import click
from babel.messages.frontend import CommandLineInterface
from flask import current_app
from flask.cli import AppGroup

from .config import PROJECT_ROOT
from .services.classify import category_of, classify
from .services.demo import seed_demo
from .services.errors import UnknownSite
from .services.sites import get_site, site_rules

consent_cli = AppGroup("consent", help="Consent manager commands.")


@consent_cli.command("seed-demo")
@click.option(
    "--origin",
    "origins",
    multiple=True,
    help="Origin allowed to embed the demo banner (default: DEMO_HOST_ORIGIN).",
)
def seed_demo_command(origins: tuple[str, ...]) -> None:
    """Create the demo site (idempotent)."""
    site = seed_demo(list(origins) or [current_app.config["DEMO_HOST_ORIGIN"]])
    click.echo(
        f"demo site {site.key!r} ready; allowed origins: "
        + ", ".join(o.origin for o in site.origins)
    )


@consent_cli.command("classify")
@click.option("--site", "site_key", required=True, help="Site key whose rules come first.")
@click.argument("names", nargs=-1, required=True)
def classify_command(site_key: str, names: tuple[str, ...]) -> None:
    """Print NAME<TAB>CATEGORY for each cookie name (`unknown` where nothing matches)."""
    try:
        site = get_site(site_key)
    except UnknownSite as exc:
        raise click.ClickException(exc.message) from exc
    for name, definition in classify(names, site_rules(site)):
        click.echo(f"{name}\t{category_of(definition)}")


translate_cli = AppGroup("translate", help="Translation (gettext catalog) commands.")


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


@translate_cli.command("update")
def translate_update() -> None:
    """Extract marked strings and merge them into every catalog."""
    root = PROJECT_ROOT
    pot = str(root / "translations" / "messages.pot")
    _pybabel(
        "extract", "-F", str(root / "babel.cfg"), "-k", "_l", "-o", pot, str(root / "consent_app")
    )
    if any((root / "translations").glob("*/LC_MESSAGES/messages.po")):
        _pybabel("update", "-i", pot, "-d", str(root / "translations"), "--no-fuzzy-matching")


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
