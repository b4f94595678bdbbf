"""Answers sealed into a signed, expiring token, so a download can rebuild a plan without storage.

The plan page puts the token in a hidden form field and downloads are POSTed, so the answers
never appear in a URL, a history or an access log, and nothing about the person is kept on the
server. The signature stops a tampered token from producing a plan for answers nobody gave;
the age limit stops an old page from being replayed long after the rules may have changed.
"""

from __future__ import annotations

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from pydantic import ValidationError

from recommender.model.intake import Intake

SALT = "plan-answers"
MAX_AGE_SECONDS = 2 * 60 * 60


class UnreadableAnswers(Exception):
    """The token is expired, tampered with or not a token at all; the message says which."""


def seal(intake: Intake, secret: str) -> str:
    return URLSafeTimedSerializer(secret, salt=SALT).dumps(intake.model_dump_json())


def unseal(token: str, secret: str, max_age: int = MAX_AGE_SECONDS) -> Intake:
    serializer = URLSafeTimedSerializer(secret, salt=SALT)
    try:
        answers = serializer.loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise UnreadableAnswers("This page is more than two hours old. Please answer the questions again.") \
            from error
    except BadSignature as error:
        raise UnreadableAnswers("These answers could not be read. Please answer the questions again.") from error
    try:
        return Intake.model_validate_json(answers)
    except (ValidationError, TypeError) as error:
        # Signed by us but no longer a valid intake: the intake contract changed since.
        raise UnreadableAnswers("These answers could not be read. Please answer the questions again.") from error
