from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consent_app.extensions import db
from consent_app.models import Preference
from tests.factories import SHOP_ORIGIN, make_record, visitor_secret

SUBJECT = "k3J9abcdefghijklmnop"
HEADERS = {"Origin": SHOP_ORIGIN}


pytestmark = pytest.mark.usefixtures("shop")


def mine() -> dict[str, str]:
    """What the subject's own banner sends with every preference."""
    return {"site": "shop", "subject_id": SUBJECT, "visitor_secret": visitor_secret(SUBJECT)}


def save(client: FlaskClient, **body: object):
    payload = {**mine(), "language": "nn", "location": "Bergen"}
    return client.post("/api/v1/preferences", json={**payload, **body}, headers=HEADERS)


def preference_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Preference))


def test_preferences_are_kept_while_functionality_is_granted(app: Flask, client) -> None:
    make_record(subject_id=SUBJECT)
    response = save(client)
    assert response.status_code == 200
    assert response.get_json() == {"language": "nn", "location": "Bergen"}
    row = db.session.scalar(select(Preference))
    assert (row.subject_id, row.language, row.location) == (SUBJECT, "nn", "Bergen")
    assert save(client, location="Tromsø").status_code == 200
    assert preference_count() == 1


def test_preferences_are_refused_without_functionality(app: Flask, client) -> None:
    make_record(
        subject_id=SUBJECT,
        choices={"functionality": False, "advertising": True},
    )
    response = save(client)
    assert response.status_code == 409
    assert response.get_json()["error"] == "functionality_not_granted"
    assert preference_count() == 0


def test_preferences_of_an_unknown_subject_are_refused(client) -> None:
    stranger = {"site": "shop", "subject_id": SUBJECT, "visitor_secret": "s" * 43}
    response = client.post("/api/v1/preferences", json=stranger, headers=HEADERS)
    assert response.status_code == 403
    assert preference_count() == 0


def test_the_subject_id_alone_stores_no_preference(app: Flask, client) -> None:
    make_record(subject_id=SUBJECT)
    assert save(client, visitor_secret="s" * 43).get_json()["error"] == "invalid_visitor_secret"
    assert save(client, visitor_secret=None).status_code == 422
    assert preference_count() == 0


def test_refusing_functionality_later_deletes_them(app: Flask, client) -> None:
    make_record(subject_id=SUBJECT)
    save(client)
    make_record(
        subject_id=SUBJECT,
        choices={"functionality": False, "advertising": False},
        action="withdraw",
    )
    assert preference_count() == 0


def test_preferences_need_an_allowed_origin(app: Flask, client) -> None:
    make_record(subject_id=SUBJECT)
    response = client.post(
        "/api/v1/preferences",
        json={**mine(), "language": "nb"},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "change", [{"language": "not a tag"}, {"location": ""}, {"location": "x" * 101}, {"x": 1}]
)
def test_bad_preferences_are_422(app: Flask, client, change) -> None:
    make_record(subject_id=SUBJECT)
    assert save(client, **change).status_code == 422


def test_a_partial_write_keeps_the_other_preference(app: Flask, client) -> None:
    make_record(subject_id=SUBJECT)
    client.post(
        "/api/v1/preferences",
        json={**mine(), "location": "Bergen"},
        headers=HEADERS,
    )
    response = client.post(
        "/api/v1/preferences",
        json={**mine(), "language": "nb"},
        headers=HEADERS,
    )
    assert response.get_json() == {"language": "nb", "location": "Bergen"}
