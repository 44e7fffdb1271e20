"""Size budgets of the banner, as served for the demo site (gzip -9)."""

from __future__ import annotations

import gzip

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consent_app.demo.seed import seed_demo

CORE_BUDGET = 3500  # a returning visitor downloads only the core
FIRST_VISIT_BUDGET = 12000  # core + UI + styles + texts for one language


def gzipped(body: bytes) -> int:
    return len(gzip.compress(body, 9))


@pytest.fixture
def demo(app: Flask) -> None:
    seed_demo(["http://127.0.0.1:8000"])


def test_returning_visitor_downloads_at_most_3_5_kb(demo, client: FlaskClient) -> None:
    assert gzipped(client.get("/c/demo.js").get_data()) <= CORE_BUDGET


@pytest.mark.parametrize("language", ["en", "nb", "nn", "de", "fi", "pl"])
def test_first_visit_downloads_at_most_12_kb(demo, client: FlaskClient, language: str) -> None:
    core = client.get("/c/demo.js").get_data()
    ui = client.get(f"/c/demo/ui.js?lang={language}").get_data()
    assert gzipped(core) + gzipped(ui) <= FIRST_VISIT_BUDGET
