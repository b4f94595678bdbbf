"""What every page tells a browser and a search engine about itself: a description, and an icon
at the address browsers ask for it."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import FORM_BASELINE
from tests.web.test_html_validity import pages

PAGES = ["/", "/check-in", "/exercises", "/exercises/bird-dog", "/api", "/embed/demo", "/nowhere"]


def description_of(page: str) -> str:
    found = re.search(r'<meta name="description" content="([^"]+)">', page)
    assert found, "no description"
    return found[1]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_short_description_of_the_service(client: FlaskClient, path: str) -> None:
    assert 50 <= len(description_of(client.get(path).get_data(as_text=True))) <= 160


def test_the_result_page_has_the_description_too(client: FlaskClient) -> None:
    assert description_of(client.post("/plan", data=FORM_BASELINE).get_data(as_text=True))


def test_the_address_browsers_ask_for_an_icon_gives_the_icon(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    try:
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        assert response.get_data(as_text=True).startswith("<svg")
    finally:
        response.close()


def test_every_page_a_person_can_see_has_the_description_and_names_its_icon(client: FlaskClient) -> None:
    # Browsers ask /favicon.ico of a page that names no icon, and only some of them read an SVG there.
    for name, (_, page) in pages(client).items():
        assert description_of(page), name
        icon = re.search(r'<link rel="icon" href="(/static/favicon\.[0-9a-f]{12}\.svg)" type="image/svg\+xml">', page)
        assert icon, name
        response = client.get(icon[1])
        try:
            assert response.status_code == 200 and response.mimetype == "image/svg+xml", name
        finally:
            response.close()
