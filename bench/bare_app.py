"""The floor for bench/ingest.py: a bare Flask handler doing the same insert as our
ingest endpoint, into the same migrated table, with none of our checks or signing."""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime, timedelta

from flask import Flask, request
from sqlalchemy import MetaData, Table, create_engine, event


def create_bare_app() -> Flask:
    app = Flask(__name__)
    engine = create_engine(os.environ["DATABASE_URL"])

    @event.listens_for(engine, "connect")
    def _pragmas(conn, _record):  # the same pragmas as the real app
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=5000")

    records = Table("consent_records", MetaData(), autoload_with=engine)
    site_id = int(os.environ["BENCH_SITE_ID"])
    policy_id = int(os.environ["BENCH_POLICY_ID"])

    @app.post("/api/v1/consents")
    def ingest():
        body = json.loads(request.get_data())
        choices = body["choices"]
        now = datetime.now(UTC)
        with engine.begin() as conn:
            conn.execute(
                records.insert().values(
                    receipt_id=uuid.uuid4().hex[:26],
                    site_id=site_id,
                    policy_version_id=policy_id,
                    subject_id=body["subject_id"],
                    action=body["action"],
                    granted=[k for k, v in choices.items() if v],
                    denied=[k for k, v in choices.items() if not v],
                    gpc=body.get("gpc", False),
                    language=body.get("language"),
                    origin=request.headers.get("Origin", ""),
                    path="/",
                    created_at=now,
                    expires_at=now + timedelta(days=182),
                    receipt="-",
                    leaf_hash="0" * 64,
                )
            )
        return {"ok": True}, 201

    return app
