"""Finding receipts for auditors: one query shape shared by the search page and exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select

from ...extensions import db
from ...models import ACTIONS, ConsentRecord, Site
from ..errors import InvalidPayload


@dataclass(frozen=True)
class ReceiptQuery:
    """What an auditor asked for. Every field is optional; dates are inclusive (UTC)."""

    site: str | None = None
    subject_id: str | None = None
    receipt_id: str | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_strings(cls, **raw: str | None) -> ReceiptQuery:
        """Parse text (CLI options, query strings); a bad value is an InvalidPayload."""
        values = {k: (v or "").strip() or None for k, v in raw.items()}
        fields = []
        dates: dict[str, date | None] = {}
        for name in ("since", "until"):
            text = values.pop(name, None)
            try:
                dates[name] = date.fromisoformat(text) if text else None
            except ValueError:
                dates[name] = None
                fields.append({"field": name, "message": "must be a date, YYYY-MM-DD"})
        if values.get("action") and values["action"] not in ACTIONS:
            fields.append({"field": "action", "message": f"must be one of {', '.join(ACTIONS)}"})
        if fields:
            raise InvalidPayload("the search is not valid", fields=fields)
        return cls(
            site=values.get("site"),
            subject_id=values.get("subject_id"),
            receipt_id=values.get("receipt_id"),
            action=values.get("action"),
            since=dates["since"],
            until=dates["until"],
        )

    def as_args(self) -> dict[str, str]:
        """The query as URL arguments (for pagination and export links)."""
        return {k: str(v) for k, v in vars(self).items() if v is not None}

    def describe(self) -> str:
        """The filters as `name=value` words; empty for the whole log (pages say so)."""
        return " ".join(f"{k}={v}" for k, v in self.as_args().items())

    def filter(self, statement: Any) -> Any:
        """Add this query's conditions to a select over consent_records."""
        record = ConsentRecord
        if self.site:
            statement = statement.where(
                record.site_id == select(Site.id).where(Site.key == self.site).scalar_subquery()
            )
        if self.subject_id:
            statement = statement.where(record.subject_id == self.subject_id)
        if self.receipt_id:
            statement = statement.where(record.receipt_id == self.receipt_id.upper())
        if self.action:
            statement = statement.where(record.action == self.action)
        if self.since:
            statement = statement.where(
                record.created_at >= datetime.combine(self.since, time.min, UTC)
            )
        if self.until:
            # The day's last instant, not the next day's first: 9999-12-31 has no next day.
            end = datetime.combine(self.until, time.max, UTC)
            statement = statement.where(record.created_at <= end)
        return statement


def search_receipts(query: ReceiptQuery, *, page: int = 1, per_page: int = 50) -> Any:
    """A page of matching receipts, newest first (by id: ids grow with ingest, and the
    primary key needs no sort of a million rows to find the first page)."""
    statement = query.filter(select(ConsentRecord)).order_by(ConsentRecord.id.desc())
    return db.paginate(statement, page=page, per_page=per_page, error_out=False, count=True)
