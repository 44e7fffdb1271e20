"""Hostile site keys in script URLs: a JS comment and a 4xx (the host page must not
break), JSON for the JSON configuration, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

HOSTILE_KEYS = ["%00", "de%00mo", "sh%E2%80%AEop", "shop%1B", "x" * 200]


pytestmark = pytest.mark.usefixtures("shop")


@pytest.mark.parametrize("script", ["/c/{}.js", "/c/{}/ui.js"])
def test_a_script_for_a_key_that_cannot_exist_is_a_js_comment(
    client: FlaskClient, script: str
) -> None:
    for key in HOSTILE_KEYS:
        response = client.get(script.format(key))
        assert response.status_code == 404, (key, response.get_data(as_text=True))
        assert response.mimetype == "text/javascript"
        body = response.get_data(as_text=True)
        assert body.startswith("/* consent banner: unknown_site")
        assert body.endswith("*/\n") and body.count("*/") == 1
        assert "\x00" not in body and "\u202e" not in body and "\x1b" not in body


def test_the_json_configuration_answers_json_errors(client: FlaskClient) -> None:
    for key in [*HOSTILE_KEYS, "nosuchsite"]:
        response = client.get(f"/c/{key}.json")
        assert response.status_code == 404
        assert response.get_json()["error"] == "unknown_site"
