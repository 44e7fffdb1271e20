"""Where forms may send the reader back to: paths on this site, nothing else."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from consent_app.web.navigation import safe_next
from tests.factories import USER_PASSWORD, make_user


@pytest.mark.parametrize("target", ["/", "/dashboard/?site=demo&by=day", "/admin/sites/x"])
def test_a_path_on_this_site_is_kept(target: str) -> None:
    assert safe_next(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "/\n/x",
        "/\r\nSet-Cookie: x=1",
        "/a b",
        "evil.example",
        "javascript:alert(1)",
    ],
)
def test_anything_else_is_refused(target: str | None) -> None:
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/\nx", "/\r\nx", "/\t/evil.example"])
def test_the_language_switch_never_breaks_or_leaves_the_site(
    client: FlaskClient, target: str
) -> None:
    response = client.post("/language", data={"language": "nb", "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/%0D%0Ax", "/%09/evil.example"])
def test_signing_in_never_breaks_or_leaves_the_site(client: FlaskClient, target: str) -> None:
    user = make_user("auditor")
    response = client.post(
        f"/auth/login?next={target}", data={"email": user.email, "password": USER_PASSWORD}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/audit/"


@pytest.mark.parametrize(
    "path",
    [
        "/admin/users/99999999999999999999",
        "/admin/users/2147483648",
    ],
)
def test_a_row_id_too_large_for_any_column_is_a_404(client: FlaskClient, auth, path: str) -> None:
    auth.login("admin")
    assert client.get(path).status_code == 404
    assert client.post("/admin/sites/x/review/99999999999999999999").status_code == 404
