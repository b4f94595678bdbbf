"""Small helpers for tests of the result page and its downloads."""

from __future__ import annotations

import re

from werkzeug.test import TestResponse


def answers_token(plan_page: TestResponse) -> str:
    """The sealed answers the result page posts to its downloads."""
    assert plan_page.status_code == 200, plan_page.status_code
    found = re.search(r'<input type="hidden" name="answers" value="([^"]+)">', plan_page.get_data(as_text=True))
    assert found, "the result page has no sealed answers"
    return found[1]
