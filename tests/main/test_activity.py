from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from consent_app.services.accounts.activity import record_activity
from tests.factories import AuthActions, make_user


def test_admin_reads_who_did_what(client: FlaskClient, auth: AuthActions) -> None:
    auditor = make_user("auditor")
    record_activity(auditor, "access", "export", "site=shop", {"format": "jsonl", "rows": 3})
    auth.login("admin")
    page = client.get("/activity").get_data(as_text=True)
    assert "auditor@example.no" in page and "export" in page and "site=shop" in page


def test_activity_can_be_filtered_by_kind(client: FlaskClient, auth: AuthActions) -> None:
    admin = make_user("admin")
    record_activity(admin, "change", "site.update", "shop")
    record_activity(admin, "access", "receipt.view", "01ABC")
    auth.login(admin)
    page = client.get("/activity?kind=change").get_data(as_text=True)
    assert "site.update" in page and "receipt.view" not in page


@pytest.mark.parametrize("role", ["marketer", "auditor"])
def test_other_roles_cannot_read_the_activity_log(client: FlaskClient, auth, role) -> None:
    auth.login(role)
    assert client.get("/activity").status_code == 403


def test_anonymous_is_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/activity")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_entries_say_in_words_what_happened(client: FlaskClient, auth: AuthActions) -> None:
    admin = make_user("admin")
    record_activity(admin, "change", "rule.create", "shop/_hjid")
    auth.login(admin)
    page = client.get("/activity").get_data(as_text=True)
    assert "Added a cookie rule" in page and "rule.create" in page and ">Change<" in page


@pytest.mark.parametrize("page", ["0", "-3", "99999999999999999999999", "x"])
def test_any_page_number_gives_a_page_not_an_error(client: FlaskClient, auth, page) -> None:
    auth.login("admin")
    assert client.get(f"/activity?page={page}").status_code == 200


def test_details_read_as_words_not_json(client: FlaskClient, auth: AuthActions) -> None:
    admin = make_user("admin")
    record_activity(admin, "change", "site.update", "shop", {"consent_lifetime_days": [180, 365]})
    record_activity(admin, "access", "receipt.search", "", {"page": 1, "results": 20000})
    auth.login(admin)
    page = client.get("/activity").get_data(as_text=True)
    assert "consent_lifetime_days: 180 → 365" in page
    assert "results: 20,000" in page and "all receipts" in page and "{&#34;" not in page
