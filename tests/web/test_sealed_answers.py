"""Downloads rebuild a plan from an encrypted, signed, expiring token, never from stored answers."""

from __future__ import annotations

import base64
import time

import pytest

from recommender.model.intake import Intake
from recommender.web.pages.sealed import UnreadableAnswers, seal, unseal
from tests.conftest import BASELINE


def test_sealed_answers_open_to_the_same_intake() -> None:
    intake = Intake.model_validate(BASELINE)
    assert unseal(seal(intake, ["secret"]), ["secret"]) == intake


def test_a_token_signed_with_another_key_is_refused() -> None:
    token = seal(Intake.model_validate(BASELINE), ["secret"])
    with pytest.raises(UnreadableAnswers, match="could not be read"):
        unseal(token, ["another secret"])


def test_a_tampered_token_is_refused() -> None:
    token = seal(Intake.model_validate(BASELINE), ["secret"])
    tampered = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    with pytest.raises(UnreadableAnswers):
        unseal(tampered, ["secret"])


def test_an_expired_token_asks_to_answer_again() -> None:
    token = seal(Intake.model_validate(BASELINE), ["secret"])
    with pytest.raises(UnreadableAnswers, match="more than two hours old"):
        unseal(token, ["secret"], max_age=-1)


def test_the_token_shows_no_answer_in_clear() -> None:
    intake = Intake.model_validate({**BASELINE, "age": 87})
    answers = intake.model_dump_json().encode()
    token = seal(intake, ["secret"])
    opened = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    # Any eight bytes of the answers in a row would show they are there in clear; a random
    # ciphertext repeats an eight-byte run by chance about once in 10^16 tokens, unlike a
    # two-digit age, which it repeats about once in 300.
    runs_in_clear = [answers[i : i + 8] for i in range(len(answers) - 7) if answers[i : i + 8] in opened]
    assert runs_in_clear == []


def test_a_token_made_with_an_older_listed_key_still_opens() -> None:
    intake = Intake.model_validate(BASELINE)
    assert unseal(seal(intake, ["old secret"]), ["new secret", "old secret"]) == intake


def test_a_token_older_than_two_hours_asks_to_answer_again() -> None:
    token = seal(Intake.model_validate(BASELINE), ["secret"], made_at=time.time() - 3 * 60 * 60)
    with pytest.raises(UnreadableAnswers, match="more than two hours old"):
        unseal(token, ["secret"])


def test_a_token_dated_more_than_a_minute_in_the_future_is_refused() -> None:
    # Only a clock far ahead or a leaked key makes one; either way it must not live for ever.
    token = seal(Intake.model_validate(BASELINE), ["secret"], made_at=time.time() + 10 * 60)
    with pytest.raises(UnreadableAnswers, match="could not be read"):
        unseal(token, ["secret"])


def test_a_token_dated_a_few_seconds_ahead_still_opens_as_clocks_differ_between_instances() -> None:
    intake = Intake.model_validate(BASELINE)
    assert unseal(seal(intake, ["secret"], made_at=time.time() + 20), ["secret"]) == intake
