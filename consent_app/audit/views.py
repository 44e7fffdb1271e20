"""Thin views over services/search.py, exports.py and ledger.py. Every view and export an
auditor makes is recorded in the activity log (kind `access`) that admins read."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, abort, render_template, request, stream_with_context
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from ..auth.roles import role_required
from ..extensions import db
from ..models import Site
from ..services.accounts.activity import record_activity
from ..services.errors import UnknownReceipt
from ..services.ledger.exports import export_csv, export_jsonl
from ..services.ledger.ingest import find_record
from ..services.ledger.log import check_head
from ..services.ledger.merkle import verify_inclusion
from ..services.ledger.proofs import NotSealed, inclusion_proof
from ..services.ledger.receipts import ReceiptErased, receipt_claims, verify_record
from ..services.ledger.search import ReceiptQuery, search_receipts
from ..signing import hmac_key, keyring
from ..web.labels import ACTION_LABELS
from ..web.navigation import requested_page
from . import bp
from .forms import SearchForm

AUDIT_ROLES = ("auditor", "admin")
EXPORTS = {
    "jsonl": (export_jsonl, "application/x-ndjson"),
    "csv": (export_csv, "text/csv; charset=utf-8"),
}


def _search_form() -> tuple[SearchForm, ReceiptQuery | None]:
    form = SearchForm(request.args)
    form.fill_choices(list(db.session.scalars(select(Site.key).order_by(Site.key))), ACTION_LABELS)
    if not form.validate():
        return form, None
    query = ReceiptQuery(
        site=form.site.data or None,
        subject_id=form.subject_id.data or None,
        receipt_id=form.receipt_id.data or None,
        action=form.action.data or None,
        since=form.since.data,
        until=form.until.data,
    )
    return form, query


@bp.get("/")
@role_required(*AUDIT_ROLES)
def search() -> ResponseReturnValue:
    form, query = _search_form()
    if query is None:
        return render_template("audit/search.html", form=form, results=None, query=None), 400
    page = requested_page(request.args.get("page", 1, type=int))
    results = search_receipts(query, page=page)
    if results.pages and page > results.pages:  # past the end: show the last page
        page = results.pages
        results = search_receipts(query, page=page)
    record_activity(
        current_user,
        "access",
        "receipt.search",
        query.describe(),
        {"page": page, "results": results.total},
    )
    return render_template("audit/search.html", form=form, results=results, query=query)


@bp.get("/receipts/<receipt_id>")
@role_required(*AUDIT_ROLES)
def receipt(receipt_id: str) -> ResponseReturnValue:
    try:
        record = find_record(receipt_id)
    except UnknownReceipt:
        abort(404)
    record_activity(current_user, "access", "receipt.view", record.receipt_id)
    try:
        check = verify_record(record, hmac_key(), keyring())
        claims = receipt_claims(record)
    except ReceiptErased:
        check, claims = None, None
    try:
        proof = inclusion_proof(record)
        proof_valid = verify_inclusion(
            proof.leaf_index,
            proof.head.tree_size,
            proof.leaf_hash,
            proof.audit_path,
            proof.head.root_hash,
        )
        head_check = check_head(proof.head, hmac_key(), keyring())
    except NotSealed:
        proof, proof_valid, head_check = None, False, None
    return render_template(
        "audit/receipt.html",
        record=record,
        claims=claims,
        check=check,
        proof=proof,
        proof_valid=proof_valid,
        head_check=head_check,
    )


@bp.get("/export.<fmt>")
@role_required(*AUDIT_ROLES)
def export(fmt: str) -> ResponseReturnValue:
    if fmt not in EXPORTS:
        abort(404)
    form, query = _search_form()
    if query is None:
        return render_template("audit/search.html", form=form, results=None, query=None), 400
    record_activity(current_user, "access", "receipt.export", query.describe(), {"format": fmt})
    writer, mimetype = EXPORTS[fmt]
    response = Response(stream_with_context(writer(query)), mimetype=mimetype)
    # Site and moment tell exports apart; a subject id stays out of file names.
    made = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    filename = f"receipts-{query.site or 'all-sites'}-{made}.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
