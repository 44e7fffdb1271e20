"""The API's string types: what each accepts, and that none admits a control or bidi
character (no app or database needed: these are the models' own rules)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from consent_app.api import fields

# Every C0 and C1 control, DEL, the Unicode line and paragraph separators, the bidi marks,
# embeddings, overrides and isolates, and a lone surrogate (no database can encode it).
REFUSED = [
    *(chr(c) for c in range(0x00, 0x20)),
    *(chr(c) for c in range(0x7F, 0xA0)),
    "\u2028",
    "\u2029",
    "\u061c",
    "\u200e",
    "\u200f",
    *(chr(c) for c in range(0x202A, 0x202F)),
    *(chr(c) for c in range(0x2066, 0x206A)),
    "\ud800",
]
# A valid value of each type, with the place a hostile character is put into it.
VALID = {
    "SiteKey": "shop",
    "SubjectId": "k3J9abcdefghijklmnop",
    "CategorySlug": "advertising",
    "LanguageTag": "nb-NO",
    "ReceiptId": "01J0000000000000000000000A",
    "PolicyVersion": "2024.1",
    "Location": "Tromsø",
    "CookieName": "_ga_XYZ",
    "ReceiptToken": "eyJhIjoxfQ.c2ln",
    "PageUrl": "https://shop.example/kasse",
}


def adapter(name: str) -> TypeAdapter[Any]:
    return TypeAdapter(getattr(fields, name))


@pytest.mark.parametrize("name", sorted(VALID))
def test_each_type_accepts_an_ordinary_value(name: str) -> None:
    assert adapter(name).validate_python(VALID[name]) == VALID[name]


@pytest.mark.parametrize("name", sorted(VALID))
def test_no_type_admits_a_control_or_bidi_character(name: str) -> None:
    value = VALID[name]
    middle = len(value) // 2
    for character in REFUSED:
        for hostile in (value[:middle] + character + value[middle:], value + character):
            with pytest.raises(ValidationError):
                adapter(name).validate_python(hostile)


@pytest.mark.parametrize(
    "page", ["https://shop.example/a b", "ftp://shop.example/", "https://", "shop.example/a"]
)
def test_a_page_is_an_http_url_without_spaces(page: str) -> None:
    with pytest.raises(ValidationError):
        adapter("PageUrl").validate_python(page)


def test_a_receipt_id_is_a_ulid_as_the_service_makes_it() -> None:
    for wrong in ("01j0000000000000000000000a", "01J000000000000000000000I", "verify"):
        with pytest.raises(ValidationError):
            adapter("ReceiptId").validate_python(wrong)
