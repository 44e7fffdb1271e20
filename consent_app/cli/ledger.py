"""`flask consent keygen | seal | sealer | verify-log | purge | export`: the ledger's
operator commands."""

from __future__ import annotations

import signal
import sys
import threading
from datetime import UTC, datetime
from typing import Any

import click
from flask import current_app

from ..services.errors import InvalidPayload
from ..services.ledger.exports import export_csv, export_jsonl
from ..services.ledger.keys import generate_key
from ..services.ledger.log import run_sealer, seal
from ..services.ledger.search import ReceiptQuery
from ..services.ledger.verify_log import verify_log
from ..services.visitor.retention import purge_expired
from ..signing import hmac_key, keyring


@click.command("keygen")
def keygen_command() -> None:
    """Make an Ed25519 signing key and print its RECEIPT_ED25519_KEYS entry."""
    kid, entry = generate_key()
    click.echo(entry)
    click.echo(
        f"# key id {kid}. Append this entry to RECEIPT_ED25519_KEYS (space-separated; the\n"
        "# last one signs) and keep the old entries: their public keys stay published at\n"
        "# /.well-known/jwks.json so everything they signed keeps verifying.",
        err=True,
    )


@click.command("seal")
@click.option("--limit", default=100_000, show_default=True, help="Most receipts per seal.")
def seal_command(limit: int) -> None:
    """Give every waiting receipt a log position and sign a new tree head."""
    total = 0
    while True:
        result = seal(hmac_key(), keyring(), limit=limit)
        total += result.sealed
        if result.sealed < limit:
            break
    if total:
        click.echo(
            f"sealed {total} receipts; tree size {result.tree_size}, root {result.root_hash}"
        )
    else:
        click.echo(f"nothing to seal; tree size {result.tree_size}")


@click.command("sealer")
@click.option("--batch-size", type=int, help="Seal once this many wait (SEAL_BATCH_SIZE).")
@click.option("--interval", type=float, help="... or once one waited this long, in seconds.")
def sealer_command(batch_size: int | None, interval: float | None) -> None:
    """Run the sealer until stopped (SIGTERM or Ctrl-C). Ingest never waits for it."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    batch = batch_size or int(current_app.config["SEAL_BATCH_SIZE"])
    every = interval if interval is not None else float(current_app.config["SEAL_INTERVAL_SECONDS"])
    click.echo(f"sealer: every {batch} receipts or {every:g} s", err=True)
    sealed = run_sealer(hmac_key(), keyring(), batch_size=batch, interval=every, stop=stop)
    click.echo(f"sealer stopped after sealing {sealed} receipts", err=True)


@click.command("verify-log")
@click.option(
    "--workers",
    type=int,
    help="Processes checking receipts alongside (default: one per CPU for big logs).",
)
def verify_log_command(workers: int | None) -> None:
    """Recompute the log from its stored leaves and check every signed tree head."""
    report = verify_log(hmac_key(), keyring(), workers=workers)
    for problem in report.problems:
        click.echo(f"FAIL {problem}")
    click.echo(
        f"{report.leaves} leaves, {report.heads} signed tree heads, "
        f"{report.checked_receipts} receipts checked, {report.erased_receipts} erased: "
        + ("log verifies" if report.ok else f"{len(report.problems)} problems")
    )
    if not report.ok:
        sys.exit(1)


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would be erased; change nothing.")
def purge_command(dry_run: bool) -> None:
    """Erase receipts kept past their site's retention period after expiry."""
    counts = purge_expired(datetime.now(UTC), dry_run=dry_run)
    verb = "would erase" if dry_run else "erased"
    for site_key, count in sorted(counts.items()):
        click.echo(f"{site_key}\t{verb} {count}")
    click.echo(f"total {verb} {sum(counts.values())}")


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl")
@click.option("--site")
@click.option("--subject-id")
@click.option("--receipt-id")
@click.option("--action")
@click.option("--since", help="ISO date, inclusive")
@click.option("--until", help="ISO date, inclusive")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-")
def export_command(fmt: str, output: Any, **filters: str | None) -> None:
    """Stream receipts with the signed tree head and their inclusion proofs."""
    try:
        query = ReceiptQuery.from_strings(**filters)
    except InvalidPayload as exc:
        fields = "; ".join(f"{f['field']}: {f['message']}" for f in exc.details["fields"])
        raise click.ClickException(f"{exc.message}: {fields}") from exc
    writer = export_jsonl if fmt == "jsonl" else export_csv
    for chunk in writer(query):
        output.write(chunk)


COMMANDS = [
    keygen_command,
    seal_command,
    sealer_command,
    verify_log_command,
    purge_command,
    export_command,
]
