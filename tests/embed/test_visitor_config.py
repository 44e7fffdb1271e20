"""The core script adapts to the visitor (GPC, region rule) without keeping anything."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import running_app
from tests.factories import make_site


def test_sec_gpc_header_reaches_the_banner(app, client: FlaskClient) -> None:
    make_site()
    plain = client.get("/c/shop.js")
    signalled = client.get("/c/shop.js", headers={"Sec-GPC": "1"})
    assert '"gpc":1' in signalled.get_data(as_text=True)
    assert '"gpc":1' not in plain.get_data(as_text=True)
    assert "Sec-GPC" in signalled.headers["Vary"]
    assert signalled.headers["ETag"] != plain.headers["ETag"]


def test_region_rule_opt_in_eea_lets_other_countries_start_with_notice(database_url) -> None:
    with running_app(database_url, GEO_COUNTRY_HEADER="CF-IPCountry") as app:
        make_site(region_rule="opt_in_eea")
        client = app.test_client()
        us = client.get("/c/shop.js", headers={"CF-IPCountry": "US"})
        no = client.get("/c/shop.js", headers={"CF-IPCountry": "NO"})
        unknown = client.get("/c/shop.js")
        assert '"optin":0' in us.get_data(as_text=True)
        assert '"optin":0' not in no.get_data(as_text=True)
        assert '"optin":0' not in unknown.get_data(as_text=True)
        # The answer depends on the visitor: shared caches must not keep it.
        assert "private" in us.headers["Cache-Control"]
        assert "CF-IPCountry" in us.headers["Vary"]


def test_opt_in_everywhere_is_the_default_and_cacheable(database_url) -> None:
    with running_app(database_url, GEO_COUNTRY_HEADER="CF-IPCountry") as app:
        make_site()
        response = app.test_client().get("/c/shop.js", headers={"CF-IPCountry": "US"})
        assert '"optin":0' not in response.get_data(as_text=True)
        assert "public" in response.headers["Cache-Control"]


def test_ui_speaks_the_first_language_it_has(app, client: FlaskClient) -> None:
    make_site(default_language="en")
    body = client.get("/c/shop/ui.js?lang=xx,de-AT,nb").get_data(as_text=True)
    assert "Alle akzeptieren" in body
    assert "Godta alle" in client.get("/c/shop/ui.js?lang=no").get_data(as_text=True)
    assert "Accept all" in client.get("/c/shop/ui.js").get_data(as_text=True)


def test_floating_button_can_be_switched_off_per_site(app, client: FlaskClient) -> None:
    make_site(reopen_button=False, google_consent_mode=False)
    body = client.get("/c/shop.js").get_data(as_text=True)
    assert '"btn":0' in body and '"gcm":0' in body
