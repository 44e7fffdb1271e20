from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from consent_app.services.sites.policies import publish
from tests.factories import make_site


def test_core_script_carries_the_site_configuration(app: Flask, client: FlaskClient) -> None:
    make_site()
    response = client.get("/c/shop.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    body = response.get_data(as_text=True)
    assert "__SAMTYKKE_CONFIG__" not in body
    assert '"site":"shop"' in body
    assert '"categories":["functionality","advertising"]' in body
    assert '["lang","e","functionality"]' in body
    assert '["_ga","p","advertising"]' in body
    assert '"policy":"1"' in body


def test_core_script_is_cached_by_etag(app: Flask, client: FlaskClient) -> None:
    make_site()
    first = client.get("/c/shop.js")
    assert first.headers["ETag"]
    assert "max-age" in first.headers["Cache-Control"]
    again = client.get("/c/shop.js", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.get_data() == b""
    stale = client.get("/c/shop.js", headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200


def test_etag_changes_when_the_policy_changes(app: Flask, client: FlaskClient) -> None:
    site = make_site()
    before = client.get("/c/shop.js").headers["ETag"]
    publish(site, "2", major=True)
    after = client.get("/c/shop.js")
    assert after.headers["ETag"] != before
    assert '"policy":"2"' in after.get_data(as_text=True)


def test_unknown_site_is_404_without_breaking_the_page(client: FlaskClient) -> None:
    response = client.get("/c/nosuchsite.js")
    assert response.status_code == 404
    assert response.get_data(as_text=True).startswith("/*")


def test_ui_script_speaks_the_requested_language(app: Flask, client: FlaskClient) -> None:
    make_site()
    nb = client.get("/c/shop/ui.js?lang=nb").get_data(as_text=True)
    nn = client.get("/c/shop/ui.js?lang=nn").get_data(as_text=True)
    en = client.get("/c/shop/ui.js?lang=en").get_data(as_text=True)
    assert "Godta alle" in nb and "Avvis alle" in nb and "Vi bruker informasjonskapsler" in nb
    assert "Vi brukar informasjonskapslar" in nn
    assert "Accept all" in en and "Reject all" in en


def test_ui_script_falls_back_to_the_site_default_language(app: Flask, client: FlaskClient) -> None:
    make_site(default_language="nb")
    body = client.get("/c/shop/ui.js?lang=xx").get_data(as_text=True)
    assert "Godta alle" in body


def test_ui_script_lists_the_site_cookie_rules(app: Flask, client: FlaskClient) -> None:
    make_site()
    body = client.get("/c/shop/ui.js?lang=en").get_data(as_text=True)
    assert '["_fbp","Test","advertising cookie",""]' in body
    assert '["_ga*",' in body
