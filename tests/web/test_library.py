"""The exercise library: every group one tap from the top of the page."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient


@pytest.mark.parametrize("path", ["/exercises", "/embed/demo/exercises"])
def test_the_library_links_to_each_of_its_groups_from_the_top(client: FlaskClient, path: str) -> None:
    page = client.get(path).get_data(as_text=True)
    nav = page[page.index('<nav class="jump"'):]
    nav = nav[:nav.index("</nav>")]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav)
    groups = re.findall(r'<h2 id="(group-[^"]+)">([^<]+)</h2>', page)
    assert len(groups) >= 3
    assert links == groups
    assert page.index('<nav class="jump"') < page.index(f'id="{groups[0][0]}"')
