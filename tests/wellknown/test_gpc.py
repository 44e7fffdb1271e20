from flask.testing import FlaskClient


def test_gpc_support_is_published(client: FlaskClient) -> None:
    response = client.get("/.well-known/gpc.json")
    assert response.status_code == 200
    body = response.get_json()
    assert body["gpc"] is True
    assert len(body["lastUpdate"]) == 10  # YYYY-MM-DD, as the GPC spec asks
