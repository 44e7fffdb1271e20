"""`flask consent classify | import-cookies`: cookie names and the catalogs that name them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from ..services.cookies.catalog import import_cookies, imported_catalog, read_cookie_file
from ..services.cookies.classify import category_of, classify
from ..services.cookies.database import MalformedCookieFile
from ..services.errors import UnknownSite
from ..services.sites.profiles import get_site, site_rules
from .who import operator_name


@click.command("classify")
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


@click.command("import-cookies")
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
    report = import_cookies(definitions, site=site, operator=operator_name())
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


COMMANDS = [classify_command, import_cookies_command]
