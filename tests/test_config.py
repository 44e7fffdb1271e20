from __future__ import annotations

import pytest

from consent_app import create_app
from consent_app.config import DEV_RECEIPT_SIGNING_KEY, InsecureConfiguration

STRONG = "s" * 48


@pytest.mark.parametrize("variable", ["APP_ENV", "FLASK_ENV"])
def test_production_refuses_the_default_secret_key(monkeypatch, tmp_path, variable) -> None:
    monkeypatch.setenv(variable, "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("RECEIPT_SIGNING_KEY", STRONG)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY"):
        create_app()


def test_production_refuses_the_default_receipt_key(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", STRONG)
    monkeypatch.setenv("RECEIPT_SIGNING_KEY", DEV_RECEIPT_SIGNING_KEY)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    with pytest.raises(InsecureConfiguration, match="RECEIPT_SIGNING_KEY"):
        create_app()


def test_production_refuses_a_short_secret(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "short")
    monkeypatch.setenv("RECEIPT_SIGNING_KEY", STRONG)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    with pytest.raises(InsecureConfiguration):
        create_app()


def test_production_starts_with_strong_secrets(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", STRONG)
    monkeypatch.setenv("RECEIPT_SIGNING_KEY", "r" * 48)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("x.db")


def test_development_defaults_to_sqlite_under_instance(monkeypatch) -> None:
    for name in ("APP_ENV", "FLASK_ENV", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/consent.db")
