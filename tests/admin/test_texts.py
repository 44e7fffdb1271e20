from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient

from consent_app.models import Site
from consent_app.services.sites.policies import banner_text_hash
from consent_app.services.sites.profiles import current_policy
from tests.admin.conftest import changes, field_error


def ui_texts(client: FlaskClient, language: str) -> dict:
    """The texts inlined in the banner UI script a visitor downloads."""
    body = client.get("/c/shop/ui.js", query_string={"lang": language}).get_data(as_text=True)
    config, _ = json.JSONDecoder().raw_decode(body, body.index('{"cookies":'))
    return config["texts"]


def test_banner_texts_of_one_language_override_the_catalog(admin: FlaskClient, shop) -> None:
    before = banner_text_hash(shop)
    response = admin.post(
        "/admin/sites/shop/texts/nb",
        data={"title": "Vi bruker informasjonskapsler på Shop", "accept_all": "  "},
    )
    assert response.status_code == 302
    nb, en = ui_texts(admin, "nb"), ui_texts(admin, "en")
    assert nb["title"] == "Vi bruker informasjonskapsler på Shop"
    assert nb["accept_all"] == "Godta alle"  # empty: the catalog's text
    assert en["title"] == "We use cookies"
    assert banner_text_hash(shop) != before
    [entry] = changes("banner_texts.update")
    assert (entry.target, entry.details) == ("shop/nb", {"changed": ["title"]})


def test_emptying_a_text_brings_back_the_catalog(admin: FlaskClient, shop) -> None:
    admin.post("/admin/sites/shop/texts/nn", data={"title": "Eigen tittel"})
    admin.post("/admin/sites/shop/texts/nn", data={"title": ""})
    assert ui_texts(admin, "nn")["title"] == "Vi brukar informasjonskapslar"


def test_a_policy_version_names_the_sites_own_words(admin: FlaskClient, shop) -> None:
    admin.post("/admin/sites/shop/texts/en", data={"body": "Our own words."})
    admin.post("/admin/sites/shop/policies", data={"label": "1.1", "kind": "minor"})
    assert current_policy(shop).text_hash == banner_text_hash(shop)
    versions = [v.text_hash for v in (current_policy(shop),)]
    assert versions[0] != "" and len(versions[0]) == 64


def test_an_overlong_text_is_an_error_next_to_the_field(admin: FlaskClient, shop) -> None:
    response = admin.post("/admin/sites/shop/texts/en", data={"title": "x" * 201})
    assert response.status_code == 400
    assert "longer than 200" in field_error(response.get_data(as_text=True), "title")
    assert changes("banner_texts.update") == []


def test_a_language_without_a_catalog_is_404(admin: FlaskClient, shop) -> None:
    assert admin.get("/admin/sites/shop/texts/xx").status_code == 404


def test_category_names_per_language_reach_the_banner(admin: FlaskClient, shop: Site) -> None:
    response = admin.post(
        "/admin/sites/shop/categories/advertising",
        data={
            "name_nb": "Markedsføring",
            "description_nb": "Annonser fra partnere.",
            "name_en": "",
        },
    )
    assert response.status_code == 302
    nb = ui_texts(admin, "nb")["categories"]["advertising"]
    assert nb == {"name": "Markedsføring", "description": "Annonser fra partnere."}
    assert ui_texts(admin, "en")["categories"]["advertising"]["name"] == "Advertising"
    [entry] = changes("category_texts.update")
    assert entry.target == "shop/advertising"


@pytest.mark.parametrize(("field", "value"), [("name_nb", "x" * 101)])
def test_overlong_category_names_are_errors(admin: FlaskClient, shop, field, value) -> None:
    response = admin.post("/admin/sites/shop/categories/advertising", data={field: value})
    assert response.status_code == 400
    assert "longer than 100" in field_error(response.get_data(as_text=True), field)


def test_a_new_category_gets_its_name_from_the_admin(admin: FlaskClient, shop: Site) -> None:
    admin.post("/admin/sites/shop/categories", data={"slug": "statistics"})
    admin.post("/admin/sites/shop/categories/statistics", data={"name_en": "Statistics"})
    texts = ui_texts(admin, "en")["categories"]
    assert texts["statistics"]["name"] == "Statistics"


def test_the_category_form_shows_each_languages_built_in_words(admin: FlaskClient, shop) -> None:
    page = admin.get("/admin/sites/shop/categories/advertising").get_data(as_text=True)
    assert 'placeholder="Advertising"' in page and 'placeholder="Annonsering"' in page
    assert "<legend>Norsk bokmål</legend>" in page


def test_every_banner_text_has_a_label_for_the_admin() -> None:
    from consent_app.admin.texts import TEXT_LABELS
    from consent_app.services.sites.texts import BANNER_TEXTS

    assert set(BANNER_TEXTS) <= set(TEXT_LABELS)


def test_saving_unchanged_texts_logs_nothing(admin: FlaskClient, shop: Site) -> None:
    blank = admin.post("/admin/sites/shop/categories/advertising", data={}, follow_redirects=True)
    assert "Nothing changed." in blank.get_data(as_text=True)
    admin.post("/admin/sites/shop/texts/en", data={})
    assert changes("category_texts.update") == changes("banner_texts.update") == []
    admin.post("/admin/sites/shop/categories/advertising", data={"name_nb": "Reklame"})
    [entry] = changes("category_texts.update")
    assert entry.details == {"languages": ["nb"]}
