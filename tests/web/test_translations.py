"""English, Norwegian Bokmål and Nynorsk are complete: every string the code marks for
translation has a translation, and the compiled catalogs are in use."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from consent_app.config import PROJECT_ROOT

COMPLETE = ["nb", "nn"]


def catalog(language: str):
    path = Path(PROJECT_ROOT, "translations", language, "LC_MESSAGES", "messages.po")
    with path.open("rb") as fh:
        return read_po(fh)


@pytest.mark.parametrize("language", COMPLETE)
def test_every_message_is_translated(language: str) -> None:
    untranslated = [m.id for m in catalog(language) if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []


@pytest.mark.parametrize("language", COMPLETE)
def test_catalog_has_every_extracted_message(language: str) -> None:
    with Path(PROJECT_ROOT, "translations", "messages.pot").open("rb") as fh:
        template = {m.id for m in read_po(fh) if m.id}
    assert template <= {m.id for m in catalog(language) if m.id}


def test_pages_follow_the_chosen_language(app: Flask, client: FlaskClient) -> None:
    assert "Sign in" in client.get("/").get_data(as_text=True)
    page = client.get("/", headers={"Accept-Language": "nb-NO,nb;q=0.9"}).get_data(as_text=True)
    assert "Logg inn" in page and 'lang="nb"' in page
    client.post("/language", data={"language": "nn", "next": "/"})
    assert "samtykketeneste" in client.get("/").get_data(as_text=True)
