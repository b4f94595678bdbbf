"""The catalogues of the pages' and the engine's words: each is up to date with the English in
the code and templates, complete, and keeps each message's placeholders."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from tests.conftest import PROJECT

LANGUAGES = ("es", "de")
# Python's %(name)s, and the engine's {name}: a translation keeps every one of them.
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|\{[a-z_]+\}")


def catalogue(language: str) -> Catalog:
    with (PROJECT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The English as the code and templates say it now, extracted as docs/languages.md says."""
    pot = tmp_path_factory.mktemp("catalogue") / "messages.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "babel.cfg",
                    "-k", "say", "-k", "english", "-k", "lazy_gettext", "-o", str(pot), "."],
                   cwd=PROJECT, check=True, capture_output=True)
    with pot.open("rb") as read:
        return read_po(read)


def _ids(found: Catalog) -> set[str]:
    return {str(message.id if isinstance(message.id, str) else message.id[0]) for message in found if message.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_has_every_message_the_code_says_and_no_other(extracted: Catalog, language: str) -> None:
    words = catalogue(language)
    assert _ids(extracted) - _ids(words) == set(), "run pybabel update (docs/languages.md)"
    assert _ids(words) - _ids(extracted) == set(), "messages no longer in the code: run pybabel update"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_has_its_words_and_none_is_only_a_guess(language: str) -> None:
    missing = [message.id for message in catalogue(language)
               if message.id and (not message.string or (isinstance(message.string, tuple)
                                                         and not all(message.string)))]
    fuzzy = [message.id for message in catalogue(language) if message.id and message.fuzzy]
    assert missing == [] and fuzzy == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_the_englishs_placeholders(language: str) -> None:
    wrong = []
    for message in catalogue(language):
        if not message.id:
            continue
        english = [message.id] if isinstance(message.id, str) else list(message.id)
        said = [message.string] if isinstance(message.string, str) else list(message.string or ())
        for words in said:
            if sorted(set(PLACEHOLDER.findall(words))) != sorted(set(PLACEHOLDER.findall(english[-1]))):
                wrong.append((english[0], words))
    assert wrong == []


def test_the_catalogues_say_they_need_a_clinicians_review() -> None:
    for language in LANGUAGES:
        header = (Path(PROJECT) / "translations" / language / "LC_MESSAGES" / "messages.po").read_text()[:600]
        assert "needs a clinician's review" in header
