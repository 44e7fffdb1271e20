"""`flask consent seed-demo`: the demo site, its users and a history of decisions."""

from __future__ import annotations

import time

import click
from flask import current_app

from ..demo.history import seed_history
from ..demo.seed import DEMO_PASSWORD, seed_demo, seed_demo_users


@click.command("seed-demo")
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


COMMANDS = [seed_demo_command]
