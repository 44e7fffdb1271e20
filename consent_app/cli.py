"""`flask consent ...`: operator commands."""

from __future__ import annotations

import contextlib
import getpass
import time
from collections import Counter
from pathlib import Path

import click
from babel.messages.frontend import CommandLineInterface
from flask import current_app
from flask.cli import AppGroup

from .config import PROJECT_ROOT
from .models import ROLES
from .services.classify import category_of, classify
from .services.cookie_catalog import import_cookies, imported_catalog, read_cookie_file
from .services.cookie_database import MalformedCookieFile
from .services.demo import DEMO_PASSWORD, seed_demo, seed_demo_users
from .services.demo_history import seed_history
from .services.errors import UnknownSite
from .services.rollups import rollup_differences
from .services.sites import get_site, site_rules
from .services.users import InvalidUser, all_users, create_user, set_password

consent_cli = AppGroup("consent", help="Consent manager commands.")


@consent_cli.command("seed-demo")
@click.option(
    "--origin",
    "origins",
    multiple=True,
    help="Origin allowed to embed the demo banner (default: DEMO_HOST_ORIGIN).",
)
@click.option(
    "--users/--no-users",
    default=True,
    help="Also create one sign-in user per role with the demo password (not in production).",
)
@click.option(
    "--records",
    type=click.IntRange(min=0),
    default=0,
    help="Also add this many signed demo decisions, with their banner impressions (not in "
    "production). Adds more each time it runs.",
)
@click.option("--days", type=click.IntRange(1, 366), default=90, help="Spread them over days.")
@click.option("--seed", type=int, default=1, help="The same seed gives the same spread.")
def seed_demo_command(
    origins: tuple[str, ...], users: bool, records: int, days: int, seed: int
) -> None:
    """Create the demo site (idempotent), and demo users and decisions if asked."""
    if (users or records) and current_app.config["PRODUCTION"]:
        raise click.ClickException("demo users and decisions are not for production")
    site = seed_demo(list(origins) or [current_app.config["DEMO_HOST_ORIGIN"]])
    click.echo(
        f"demo site {site.key!r} ready; allowed origins: "
        + ", ".join(o.origin for o in site.origins)
    )
    if users:
        for email, role in seed_demo_users():
            click.echo(f"demo user {email} ({role}), password {DEMO_PASSWORD!r}")
    if records:
        started = time.perf_counter()
        seeded = seed_history(
            site,
            records=records,
            days=days,
            origin=site.origins[0].origin,
            signing_key=current_app.config["RECEIPT_SIGNING_KEY"],
            key_specs=(
                str(current_app.config.get("RECEIPT_ED25519_KEYS") or ""),
                str(current_app.config.get("RECEIPT_ED25519_PUBLIC_KEYS") or ""),
            ),
            seed=seed,
        )
        click.echo(
            f"added {seeded.records} decisions and {seeded.impressions} banner impressions "
            f"from {seeded.start} to {seeded.end} in {time.perf_counter() - started:.1f} s"
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
    for name, definition in classify(names, site_rules(site), imported_catalog()):
        click.echo(f"{name}\t{category_of(definition)}")


@consent_cli.command("check-rollups")
@click.option("--site", "site_key", help="Check one site only.")
def check_rollups_command(site_key: str | None) -> None:
    """Count the consent log again and compare it with the dashboard's rollups."""
    try:
        site_id = get_site(site_key).id if site_key else None
    except UnknownSite as exc:
        raise click.ClickException(exc.message) from exc
    differences = rollup_differences(site_id)
    for line in differences:
        click.echo(line)
    if differences:
        raise click.ClickException(f"{len(differences)} difference(s) between rollups and records")
    click.echo("rollups equal the consent records")


def _operator() -> str:
    try:
        return f"cli ({getpass.getuser()})"
    except (KeyError, OSError):  # no user name in this container
        return "cli"


@consent_cli.command("import-cookies")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--site",
    "site_key",
    help="Import into this site's own rules (carried in its banner) instead of the shared "
    "catalog (consulted after our curated catalog).",
)
@click.option("--verbose", "-v", is_flag=True, help="Also list every name and what happened.")
def import_cookies_command(file: Path, site_key: str | None, verbose: bool) -> None:
    """Import cookie definitions from an Open Cookie Database CSV FILE. The whole file is
    checked first; a malformed file changes nothing."""
    try:
        site = get_site(site_key) if site_key else None
        definitions = read_cookie_file(file)
    except UnknownSite as exc:
        raise click.ClickException(exc.message) from exc
    except MalformedCookieFile as exc:
        raise click.ClickException(f"{file}: {exc}; nothing was imported") from exc
    report = import_cookies(definitions, site=site, operator=_operator())
    reasons = Counter(why for _, why in report.skipped)
    why = ", ".join(f"{count} {reason}" for reason, count in reasons.most_common())
    click.echo(
        f"added {len(report.added)}, updated {len(report.updated)}, "
        f"skipped {len(report.skipped)}" + (f" ({why})" if why else "")
    )
    if verbose:
        for name in report.added:
            click.echo(f"added\t{name}")
        for name in report.updated:
            click.echo(f"updated\t{name}")
        for name, reason in report.skipped:
            click.echo(f"skipped\t{name}\t{reason}")


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
        user = set_password(email, password, operator=_operator())
    except InvalidUser as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"new password set for {user.email}; their sessions are signed out")


@users_cli.command("list")
def users_list() -> None:
    """Print every user: email, role, active."""
    for user in all_users():
        click.echo(f"{user.email}\t{user.role}\t{'active' if user.active else 'inactive'}")


translate_cli = AppGroup("translate", help="Translation (gettext catalog) commands.")


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


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
