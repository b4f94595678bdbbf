"""Answers sealed into an encrypted, signed, expiring token, so a download can rebuild a plan
without storage.

The plan page puts the token in a hidden form field and downloads are POSTed, so the answers
never appear in a URL, a history or an access log, and nothing about the person is kept on the
server. The token is a Fernet token (AES-CBC encrypted, then HMAC-SHA256 signed, with its time
of making inside): a cached or saved page shows no health answers in clear, a tampered token
cannot produce a plan for answers nobody gave, and the age limit stops an old page from being
replayed long after the rules may have changed.

Keys are strings (`RECOMMENDER_SECRET_KEY`, and for rotation `RECOMMENDER_OLD_SECRET_KEYS`):
new tokens are made with the first, and tokens made with any of them are still opened, so a
key can be replaced without breaking the result pages people have open.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Sequence
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import ValidationError

from recommender.model.intake import Intake
from recommender.web.app.words import lazy_gettext

SALT = b"plan-answers"
MAX_AGE_SECONDS = 2 * 60 * 60
# In the request's language when shown (made before any request).
UNREADABLE = lazy_gettext("These answers could not be read. Please answer the questions again.")
TOO_OLD = lazy_gettext("This page is more than two hours old. Please answer the questions again.")


class UnreadableAnswers(Exception):
    """The token is expired, tampered with or not a token at all; the message says which."""


def fernet_key(secret: str) -> bytes:
    """Fernet wants 32 random-looking bytes; derive them from a key string of any form."""
    return base64.urlsafe_b64encode(hashlib.sha256(SALT + b"\0" + secret.encode()).digest())


def _keyring(keys: Sequence[str]) -> MultiFernet:
    if not keys:
        raise ValueError("at least one key is needed to seal or open answers")
    return _keyring_of(tuple(keys))


# Every result page seals its answers: the keys are derived once, not on each request (the
# app's keys are few and fixed while it runs; they are in its config already).
@lru_cache(maxsize=8)
def _keyring_of(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(fernet_key(key)) for key in keys])


def seal(intake: Intake, keys: Sequence[str], made_at: float | None = None) -> str:
    """The answers as a token, made with the first of `keys` (newest first)."""
    data = intake.model_dump_json().encode()
    ring = _keyring(keys)
    token = ring.encrypt(data) if made_at is None else ring.encrypt_at_time(data, int(made_at))
    return token.decode("ascii")


def unseal(token: str, keys: Sequence[str], max_age: int = MAX_AGE_SECONDS) -> Intake:
    """The answers in a token made with any of `keys` no more than `max_age` seconds ago."""
    ring = _keyring(keys)
    try:
        raw = token.encode("ascii")
    except UnicodeEncodeError as error:
        raise UnreadableAnswers(UNREADABLE) from error
    try:
        # With a ttl, Fernet also refuses a token dated more than 60 s in the future: a clock
        # ahead or a leaked key must not make a token that never expires.
        answers = ring.decrypt(raw, ttl=max_age)
    except InvalidToken as error:
        raise UnreadableAnswers(TOO_OLD if _only_too_old(ring, raw, max_age) else UNREADABLE) from error
    try:
        return Intake.model_validate_json(answers)
    except (ValidationError, TypeError) as error:
        # Made by us but no longer a valid intake: the intake contract changed since.
        raise UnreadableAnswers(UNREADABLE) from error


def _only_too_old(ring: MultiFernet, raw: bytes, max_age: int) -> bool:
    """Whether a refused token is one of ours, intact, and refused only for its age."""
    try:
        ring.decrypt(raw)
        return time.time() - ring.extract_timestamp(raw) > max_age
    except InvalidToken:
        return False
