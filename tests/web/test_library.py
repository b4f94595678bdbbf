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


def shown_groups(page: str) -> list[str]:
    return re.findall(r'<h2 id="group-[^"]+">([^<]+)</h2>', page)


def shown_entries(page: str) -> list[tuple[str, str]]:
    """Each entry's name and its equipment tag."""
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>.*?<p class="tags"><span class="tag">([^<]+)</span>',
                      page, flags=re.S)


@pytest.mark.parametrize("path", ["/exercises", "/embed/demo/exercises"])
def test_the_library_can_be_narrowed_by_group_and_equipment_with_a_plain_form(client: FlaskClient, path: str) -> None:
    page = client.get(path).get_data(as_text=True)
    form = page[page.index('<form class="library-filter"'):]
    form = form[:form.index("</form>")]
    assert f'method="get" action="{path}"' in form
    groups = re.findall(r'<option value="([^"]*)">([^<]+)</option>', form.split('name="equipment"')[0])
    assert groups[0] == ("", "Every group")
    assert [title for _, title in groups[1:]] == shown_groups(page)
    assert '<option value="none">No equipment</option>' in form
    assert page.index('<form class="library-filter"') < page.index('<h2 id="group-')


def test_a_group_chosen_shows_that_group_alone_and_keeps_the_choice(client: FlaskClient) -> None:
    page = client.get("/exercises?group=stretch").get_data(as_text=True)
    assert shown_groups(page) == ["Stretches"]
    assert '<option value="stretch" selected>Stretches</option>' in page
    shown, total = len(shown_entries(page)), len(shown_entries(client.get("/exercises").get_data(as_text=True)))
    assert f'Showing {shown} of {total} entries. <a href="/exercises">Show them all</a>' in page


def test_equipment_chosen_shows_only_what_can_be_done_with_it(client: FlaskClient) -> None:
    everything = shown_entries(client.get("/exercises").get_data(as_text=True))
    with_kettlebell = shown_entries(client.get("/exercises?equipment=kettlebell").get_data(as_text=True))
    assert with_kettlebell and len(with_kettlebell) < len(everything)
    assert all("kettlebell" in tag.lower() for _, tag in with_kettlebell)
    assert ("Bird dog", "No equipment") in everything and "Bird dog" not in dict(with_kettlebell)
    with_nothing = shown_entries(client.get("/exercises?equipment=none").get_data(as_text=True))
    assert "Bird dog" in dict(with_nothing) and "Deadlift" not in dict(with_nothing)
    assert all("no equipment" in tag.lower() for _, tag in with_nothing)


def test_group_and_equipment_together_narrow_to_both(client: FlaskClient) -> None:
    page = client.get("/exercises?group=intermediate&equipment=kettlebell").get_data(as_text=True)
    assert shown_groups(page) == ["Intermediate"]
    assert all("kettlebell" in tag.lower() for _, tag in shown_entries(page))


def test_a_choice_that_matches_nothing_says_so_and_an_unknown_one_shows_everything(client: FlaskClient) -> None:
    nothing = client.get("/exercises?group=warm_up&equipment=barbell").get_data(as_text=True)
    assert shown_groups(nothing) == []
    assert "Nothing in the library matches both choices." in nothing
    assert 'or <a href="/exercises">show them all</a>.' in nothing and "Showing" not in nothing
    unknown = client.get("/exercises?group=yoga&equipment=rowing-machine")
    assert unknown.status_code == 200
    assert shown_groups(unknown.get_data(as_text=True)) == shown_groups(client.get("/exercises").get_data(as_text=True))
