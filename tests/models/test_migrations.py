"""The migrations are the schema's only source of truth: the models must match head."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from consent_app.extensions import db
from tests.conftest import make_app


def test_models_match_the_migration_head(app: Flask) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_migrations_upgrade_from_empty_and_downgrade_to_empty(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'fresh.db'}")
    with app.app_context():
        upgrade()
        assert "consent_records" in inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        upgrade()
        assert "consent_records" in inspect(db.engine).get_table_names()
        db.engine.dispose()
