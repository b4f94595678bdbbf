"""Form posts from other websites are refused by what the browser says, with no session or cookie."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from recommender.web.app.csrf import is_cross_site
from tests.web.conftest import FORM_BASELINE
from tests.web.plan_helpers import answers_token

FORM_POSTS = ["/plan", "/plan.pdf", "/embed/demo/plan", "/embed/demo/plan.pdf"]


def form_for(client: FlaskClient, path: str) -> dict[str, str]:
    if path.endswith(".pdf"):
        return {"answers": answers_token(client.post("/plan", data=FORM_BASELINE))}
    return FORM_BASELINE


@pytest.mark.parametrize("path", FORM_POSTS)
@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},  # another site on a sibling subdomain is still not us
    {"Origin": "https://attacker.example"},
    {"Sec-Fetch-Site": "same-origin", "Origin": "https://attacker.example"},
], ids=["cross-site", "same-site", "foreign-origin", "contradicting-headers"])
def test_a_post_from_another_website_is_refused_with_a_clear_page(
        client: FlaskClient, path: str, headers: dict[str, str]) -> None:
    response = client.post(path, data=form_for(client, path), headers=headers)
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert response.mimetype == "text/html"
    assert "We could not accept this form" in page
    assert "sent from another website" in page
    assert "Set-Cookie" not in response.headers


OUR_OWN_PAGE = {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}


@pytest.mark.parametrize("path", [path for path in FORM_POSTS if not path.endswith(".pdf")])
@pytest.mark.parametrize("headers", [
    {},  # not a browser, or a browser too old to say: nothing to go on, and nothing to protect
    {"Sec-Fetch-Site": "same-origin", "Origin": "null"},  # our own page, under no-referrer
    OUR_OWN_PAGE,
    {"Origin": "http://localhost"},
    {"Sec-Fetch-Site": "none"},  # typed or bookmarked by the person
], ids=["no-headers", "same-origin-null", "same-origin", "own-origin", "direct"])
def test_a_post_from_our_own_page_is_accepted(client: FlaskClient, path: str, headers: dict[str, str]) -> None:
    response = client.post(path, data=form_for(client, path), headers=headers)
    assert response.status_code == 200
    assert "We could not accept this form" not in response.get_data(as_text=True)


# One guard stands before every form post (recommender/web/app/csrf.py), so the PDF posts, each a
# whole render, are sent as from our own page only; the headers it lets through are above.
@pytest.mark.parametrize("path", [path for path in FORM_POSTS if path.endswith(".pdf")])
def test_a_pdf_asked_for_from_our_own_page_is_made(client: FlaskClient, path: str) -> None:
    response = client.post(path, data=form_for(client, path), headers=OUR_OWN_PAGE)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    response.close()


def test_the_json_api_is_guarded_by_its_content_type_not_by_these_headers(client: FlaskClient) -> None:
    # A cross-site HTML form can only send form encodings, which the API refuses...
    form = client.post("/api/v1/plan", data={"age": "40"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert form.status_code == 415
    # ...and JSON from another site needs a CORS preflight we never answer with permission.
    preflight = client.options("/api/v1/plan", headers={"Origin": "https://attacker.example",
                                                        "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in preflight.headers


@pytest.mark.parametrize(("fetch_site", "origin", "host", "cross"), [
    ("same-origin", None, "plan.example", False),
    ("SAME-ORIGIN", None, "plan.example", False),
    ("cross-site", None, "plan.example", True),
    (None, "https://plan.example", "plan.example", False),
    (None, "https://plan.example:8443", "plan.example", True),
    (None, "http://plan.example", "plan.example", False),  # TLS ended at a proxy: same host
    (None, "https://plan.example.attacker.example", "plan.example", True),
    (None, "null", "plan.example", False),
    (None, None, "plan.example", False),
])
def test_which_requests_count_as_cross_site(fetch_site: str | None, origin: str | None, host: str,
                                            cross: bool) -> None:
    assert is_cross_site(fetch_site, origin, host) is cross
