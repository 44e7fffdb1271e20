"""The visitor's /my-consent page, opened the way the banner's modal opens it."""

from __future__ import annotations

import json
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consent_app.extensions import db
from consent_app.models import ConsentRecord, Erasure, Preference
from consent_app.services.ledger.verify_log import verify_log
from consent_app.services.visitor.preferences import save_preference
from consent_app.signing import hmac_key, keyring
from tests.conftest import running_app
from tests.factories import SHOP_ORIGIN, make_record, make_site, seal_all, visitor_secret

SUBJECT = "k3J9abcdefghijklmnop"


@pytest.fixture
def receipts(app: Flask) -> list[ConsentRecord]:
    make_site()
    made = [
        make_record(choices={"functionality": True, "advertising": True}, action="accept_all"),
        make_record(),
        make_record(subject_id="someone-else-entirely"),
    ]
    seal_all(app)
    return made


def opening(subject_id: str = SUBJECT, site: str = "shop", **fields: str) -> dict[str, str]:
    """What the banner's form posts: the site, the subject and the subject's secret."""
    known = {"site": site, "subject_id": subject_id, "visitor_secret": "s" * 43}
    if site == "shop" and subject_id in (SUBJECT, "someone-else-entirely"):
        known["visitor_secret"] = visitor_secret(subject_id)
    return {**known, **fields}


def open_page(client: FlaskClient, subject_id: str = SUBJECT, site: str = "shop"):
    return client.post("/my-consent/open", data=opening(subject_id, site))


def test_the_banner_form_opens_the_page_without_the_subject_in_any_url(client, receipts):
    response = open_page(client)
    assert response.status_code == 303
    assert response.headers["Location"] == "/my-consent"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert receipts[0].receipt_id in page and receipts[1].receipt_id in page
    assert receipts[2].receipt_id not in page  # another subject's receipt
    links = re.findall(r'(?:href|action)="([^"]+)"', page)
    assert links and not [link for link in links if "token" in link or SUBJECT in link]


def test_opening_needs_no_csrf_token_as_it_comes_from_another_site(database_url: str) -> None:
    with running_app(database_url, WTF_CSRF_ENABLED=True) as app:
        make_site()
        make_record()
        response = app.test_client().post("/my-consent/open", data=opening())
        assert response.status_code == 303


@pytest.mark.parametrize(
    ("site", "subject_id", "status", "text"),
    [
        ("nope", SUBJECT, 404, "We do not know the site"),
        ("shop", "short", 422, "does not name a visitor id"),
        ("shop", "", 422, "does not name a visitor id"),
    ],
)
def test_a_bad_open_request_is_a_clear_page(client, receipts, site, subject_id, status, text):
    response = open_page(client, subject_id, site)
    assert response.status_code == status
    assert text in response.get_data(as_text=True)


def test_an_expired_link_says_so(database_url: str) -> None:
    with running_app(database_url, MY_CONSENT_LINK_SECONDS=-1) as app:
        make_site()
        make_record()
        client = app.test_client()
        open_page(client)
        response = client.get("/my-consent")
        assert response.status_code == 410
        assert "The link has expired" in response.get_data(as_text=True)


def test_the_page_without_the_banners_link_is_a_clear_400(client, receipts) -> None:
    response = client.get("/my-consent")
    assert response.status_code == 400
    assert "The link is not valid" in response.get_data(as_text=True)


def test_a_forged_session_token_is_a_clear_400(client, receipts) -> None:
    with client.session_transaction() as session:
        session["my_consent"] = "forged.token.value"
    response = client.get("/my-consent")
    assert response.status_code == 400
    assert "The link is not valid" in response.get_data(as_text=True)


def test_the_page_speaks_the_banners_language(client, receipts) -> None:
    client.post("/my-consent/open", data=opening(lang="nn"))
    assert "Samtykket mitt" in client.get("/my-consent").get_data(as_text=True)


def test_reloading_a_form_address_shows_the_page_again(client, receipts) -> None:
    open_page(client)
    for path in ("/my-consent/erase", "/my-consent/withdraw"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["Location"] == "/my-consent"


def test_the_download_is_every_receipt_as_json(client, receipts) -> None:
    open_page(client)
    response = client.get("/my-consent/download")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    document = json.loads(response.get_data())
    assert document["subject_id"] == SUBJECT
    ids = [r["receipt_id"] for r in document["receipts"]]
    assert ids == [receipts[1].receipt_id, receipts[0].receipt_id]  # newest first
    first = document["receipts"][0]
    assert first["claims"]["subject_id"] == SUBJECT and first["receipt"]
    assert first["log"]["tree_size"] == 3 and first["log"]["audit_path"]


def test_withdrawing_records_a_withdraw_receipt(client, receipts) -> None:
    open_page(client)
    response = client.post("/my-consent/withdraw")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your consent is withdrawn" in page
    newest = db.session.scalars(
        select(ConsentRecord)
        .where(ConsentRecord.subject_id == SUBJECT)
        .order_by(ConsentRecord.id.desc())
    ).first()
    assert newest.action == "withdraw"
    assert newest.granted == ["necessary"] and newest.denied == ["functionality", "advertising"]
    assert newest.path == "/my-consent"


def test_erasing_needs_a_confirmation_next_to_its_box(client, receipts) -> None:
    open_page(client)
    response = client.post("/my-consent/erase")
    assert response.status_code == 400
    assert "Tick the box to confirm the erasure." in response.get_data(as_text=True)
    assert db.session.scalar(select(Erasure.id)) is None


def test_erasing_removes_personal_fields_keeps_leaves_and_the_log_verifies(
    app: Flask, client: FlaskClient, receipts
) -> None:
    open_page(client)
    leaves = {r.receipt_id: r.leaf_hash for r in receipts}
    response = client.post("/my-consent/erase", data={"confirm": "y"})
    assert response.status_code == 200
    assert "Your data is erased" in response.get_data(as_text=True)
    db.session.expire_all()
    for record in db.session.scalars(
        select(ConsentRecord).where(ConsentRecord.erasure_id.is_not(None))
    ):
        assert record.subject_id is None and record.receipt is None and record.path is None
        # Without the subject these describe no one; the dashboard's breakdowns need them.
        assert record.language == "nb" and record.device_class == "desktop"
        assert record.leaf_hash == leaves[record.receipt_id]
    erasure = db.session.scalar(select(Erasure))
    assert (erasure.reason, erasure.receipt_count) == ("visitor", 2)
    assert SUBJECT not in (erasure.subject_digest or "")
    assert verify_log(hmac_key(), keyring()).ok
    page = client.get("/my-consent").get_data(as_text=True)
    assert "We hold no receipts for you on this site." in page


@pytest.mark.parametrize(("language", "text"), [("nb", "Mitt samtykke"), ("nn", "Samtykket mitt")])
def test_the_page_speaks_norwegian(client, receipts, language: str, text: str) -> None:
    location = open_page(client).headers["Location"]
    page = client.get(location, headers={"Accept-Language": language}).get_data(as_text=True)
    assert text in page


def test_erasing_also_forgets_the_visitors_preferences(client, receipts) -> None:
    for subject_id in (SUBJECT, "someone-else-entirely"):
        save_preference(
            site="shop",
            subject_id=subject_id,
            visitor_secret=visitor_secret(subject_id),
            origin=SHOP_ORIGIN,
            changes={"language": "nn", "location": "Bergen"},
        )
    open_page(client)
    client.post("/my-consent/erase", data={"confirm": "y"})
    db.session.expire_all()
    kept = db.session.scalars(select(Preference.subject_id)).all()
    assert kept == ["someone-else-entirely"]


def test_the_page_leads_back_to_the_site_the_visitor_came_from(client, receipts) -> None:
    client.post(
        "/my-consent/open",
        data=opening(),
        headers={"Origin": SHOP_ORIGIN},
    )
    page = client.get("/my-consent").get_data(as_text=True)
    assert f'href="{SHOP_ORIGIN}/"' in page and "works for 30 minutes" in page


def test_no_way_back_to_an_origin_the_site_does_not_allow(client, receipts) -> None:
    client.post(
        "/my-consent/open",
        data=opening(),
        headers={"Origin": "https://evil.example"},
    )
    assert "evil.example" not in client.get("/my-consent").get_data(as_text=True)


@pytest.mark.parametrize("good_secret", [True, False])
def test_opening_from_another_site_leaves_a_console_session_alone(
    app: Flask, receipts, good_secret: bool
) -> None:
    """The banner's POST is cross-site, so the browser sends no cookies with it: an answer
    that set the session cookie would sign a console user in the same browser out."""
    client = app.test_client()  # no cookies, as a cross-site POST arrives
    form = opening() if good_secret else opening(visitor_secret="s" * 43)
    response = client.post("/my-consent/open", data=form)
    assert response.status_code == (303 if good_secret else 403)
    set_cookies = [value.split("=")[0] for value in response.headers.getlist("Set-Cookie")]
    assert "session" not in set_cookies
    assert set_cookies == (["samtykke_my_consent"] if good_secret else [])
