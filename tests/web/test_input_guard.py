"""The HTML doors refuse control characters in query strings, form fields and paths with
their 400 error page, before any query: the same answer on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consent_app.extensions import db
from consent_app.models import BannerText, Site
from tests.factories import AuthActions, make_record

SUBJECT = "k3J9abcdefghijklmnop"


@pytest.fixture(autouse=True)
def a_decision(shop: Site) -> None:
    make_record()


def assert_error_page(response, status: int = 400) -> None:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"


@pytest.mark.parametrize("site", ["de\x00mo", "sh\x1bop", "shop\x07"])
def test_the_visitor_door_refuses_a_site_with_control_characters(
    client: FlaskClient, site: str
) -> None:
    response = client.post("/my-consent/open", data={"site": site, "subject_id": SUBJECT})
    assert_error_page(response)
    assert "Bad request" in response.get_data(as_text=True)


def test_the_visitor_door_refuses_a_subject_with_a_nul(client: FlaskClient) -> None:
    response = client.post("/my-consent/open", data={"site": "shop", "subject_id": f"{SUBJECT}\0"})
    assert_error_page(response)


def test_a_site_key_with_a_bidi_override_is_an_unknown_site(client: FlaskClient) -> None:
    # Not a control character, but no site key has that shape: no query is made for it.
    response = client.post("/my-consent/open", data={"site": "sh\u202eop", "subject_id": SUBJECT})
    assert_error_page(response, 404)
    assert "We do not know the site" in response.get_data(as_text=True)


def test_the_audit_search_refuses_a_nul(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("auditor")
    assert_error_page(client.get("/audit/?subject_id=%00"))
    assert_error_page(client.get("/audit/receipts/01J%00AAAAAAAAAAAAAAAAAAAAAA"))
    assert_error_page(client.get("/audit/?site=shop&%1B=1"))


def test_an_admin_form_refuses_a_nul_and_stores_nothing(client: FlaskClient, auth) -> None:
    auth.login("admin")
    response = client.post("/admin/sites/shop/texts/en", data={"title": "Cookies\x00"})
    assert_error_page(response)
    assert db.session.scalar(select(func.count()).select_from(BannerText)) == 0


def test_line_breaks_and_right_to_left_marks_in_form_text_are_kept(client, auth) -> None:
    auth.login("admin")
    text = "We use cookies.\r\n\tAnd \u200fRTL\u200f marks in Arabic texts."
    response = client.post("/admin/sites/shop/texts/en", data={"body": text})
    assert response.status_code == 302
    assert db.session.scalars(select(BannerText.text)).one() == text
