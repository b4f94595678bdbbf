"""The base of the other files a person edits beside the rules: clinic profiles and worked cases."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Declared(BaseModel):
    """Frozen, and an unknown key is a mistake, so a typo is reported with its line instead of
    being ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)
