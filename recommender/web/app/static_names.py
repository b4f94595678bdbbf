"""Fingerprinted names of static files (`style.0123456789ab.css`), read back to the file on disk.
Apart from web/app/assets.py, which makes them, so the PDF renderer can read them too."""

from __future__ import annotations

import re

FINGERPRINTED = re.compile(r"^(?P<base>.+)\.[0-9a-f]{12}\.(?P<ext>css|js|svg|png)$")


def plain_name(filename: str) -> str:
    """The file on disk behind a fingerprinted name (any other name is returned as it is)."""
    found = FINGERPRINTED.match(filename)
    return f"{found['base']}.{found['ext']}" if found else filename
