"""Without a proxy, static files, the API and FHIR go out compressed; pages never do (BREACH)."""

from __future__ import annotations

import gzip

import brotli
import pytest
from flask.testing import FlaskClient

from tests.web.conftest import API_BASELINE, FORM_BASELINE


def test_a_stylesheet_is_compressed_and_unchanged_by_it(client: FlaskClient) -> None:
    plain = client.get("/static/style.css")
    squeezed = client.get("/static/style.css", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert squeezed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in squeezed.headers["Vary"]
    body = gzip.decompress(squeezed.get_data())
    assert body == plain.get_data()
    assert len(squeezed.get_data()) < len(body) / 2


def test_a_fingerprinted_script_is_compressed_with_brotli_when_asked(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    [address] = [part.split('"')[0] for part in page.split('src="')[1:] if part.startswith("/static/form.")]
    response = client.get(address, headers={"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    assert "immutable" in response.headers["Cache-Control"]
    assert brotli.decompress(response.get_data()) == client.get(address).get_data()


def test_the_plan_json_is_compressed(client: FlaskClient) -> None:
    plain = client.post("/api/v1/plan", json=API_BASELINE)
    squeezed = client.post("/api/v1/plan", json=API_BASELINE, headers={"Accept-Encoding": "gzip"})
    assert squeezed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(squeezed.get_data()) == plain.get_data()


@pytest.mark.parametrize(("method", "path", "data"), [
    ("GET", "/", None),
    ("GET", "/embed/demo", None),
    ("POST", "/plan", FORM_BASELINE),
    ("GET", "/exercises", None),
])
def test_pages_are_never_compressed(client: FlaskClient, method: str, path: str,
                                    data: dict[str, str] | None) -> None:
    response = client.open(path, method=method, data=data, headers={"Accept-Encoding": "gzip, br, zstd"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "Content-Encoding" not in response.headers
