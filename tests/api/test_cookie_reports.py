from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from consent_app.extensions import db
from consent_app.models import ReportedCookie
from consent_app.services.cookies import reports
from tests.conftest import running_app
from tests.factories import SHOP_ORIGIN, make_site


def report(client: FlaskClient, names: list[str], *, as_beacon: bool = True, site="shop"):
    return client.post(
        "/api/v1/cookies/reports",
        data=json.dumps({"site": site, "names": names}),
        content_type="text/plain;charset=UTF-8" if as_beacon else "application/json",
        headers={"Origin": SHOP_ORIGIN},
    )


def queue() -> dict[str, int]:
    return {r.name: r.times_reported for r in db.session.scalars(select(ReportedCookie))}


# The shop of tests/factories.py knows lang, _fbp and _ga*.
pytestmark = pytest.mark.usefixtures("shop")


def test_unknown_names_go_to_the_review_queue(client: FlaskClient) -> None:
    response = report(client, ["nordlys_vid", "_fbp", "_ga_XYZ", "lang", "other"])
    assert response.status_code == 204
    assert queue() == {"nordlys_vid": 1, "other": 1}


def test_a_name_reported_again_is_counted_not_duplicated(client: FlaskClient) -> None:
    report(client, ["nordlys_vid"])
    report(client, ["nordlys_vid"], as_beacon=False)
    assert queue() == {"nordlys_vid": 2}


def test_reports_carry_names_only(client: FlaskClient) -> None:
    response = client.post(
        "/api/v1/cookies/reports",
        json={"site": "shop", "names": ["a"], "values": {"a": "secret"}},
        headers={"Origin": SHOP_ORIGIN},
    )
    assert response.status_code == 422
    assert queue() == {}


@pytest.mark.parametrize("names", [["has space"], ["semi;colon"], ["x" * 256], ["ok"] * 51])
def test_things_that_are_not_cookie_names_are_refused(client: FlaskClient, names) -> None:
    assert report(client, names).status_code == 422
    assert queue() == {}


def test_reports_need_an_allowed_origin(client: FlaskClient) -> None:
    response = client.post(
        "/api/v1/cookies/reports",
        data=json.dumps({"site": "shop", "names": ["x"]}),
        content_type="text/plain",
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403


def test_reports_are_rate_limited(database_url: str) -> None:
    with running_app(database_url, COOKIE_REPORT_RATE_LIMIT="2 per minute") as app:
        make_site(key="limited")
        client = app.test_client()
        codes = [report(client, ["x"], site="limited").status_code for _ in range(3)]
        assert codes == [204, 204, 429]


def test_a_flood_of_made_up_names_cannot_grow_the_queue_past_its_bound(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Names real pages set come back from every visitor and stay; a flood of one-off
    names only churns the one-off names."""
    monkeypatch.setattr(reports, "OPEN_LIMIT", 6)
    report(client, ["real_one", "real_two"])
    report(client, ["real_one", "real_two"])
    for batch in range(5):
        assert report(client, [f"junk_{batch}_{i}" for i in range(4)]).status_code == 204
    kept = queue()
    assert len(kept) == 6
    assert kept["real_one"] == kept["real_two"] == 2
    assert set(kept) - {"real_one", "real_two"} == {f"junk_4_{i}" for i in range(4)}


def test_a_full_queue_of_repeated_names_takes_no_new_one(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reports, "OPEN_LIMIT", 2)
    report(client, ["real_one", "real_two"])
    report(client, ["real_one", "real_two"])
    report(client, ["newcomer", "real_one"])
    assert queue() == {"real_one": 3, "real_two": 2}
