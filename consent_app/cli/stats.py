"""`flask consent check-rollups`: the dashboard's rollups against a recount of the log."""

from __future__ import annotations

import click

from ..services.errors import UnknownSite
from ..services.sites.profiles import get_site
from ..services.stats.rollups import rollup_differences


@click.command("check-rollups")
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


COMMANDS = [check_rollups_command]
