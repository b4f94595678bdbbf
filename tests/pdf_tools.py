"""Read PDFs the way a person would check them: how many pages, what size, what text."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path


def _with_file(pdf: bytes, command: list[str]) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.pdf"
        path.write_bytes(pdf)
        return subprocess.run([*command, str(path), *(["-"] if command[0] == "pdftotext" else [])],
                              check=True, capture_output=True, text=True).stdout


def _info(pdf: bytes, field: str) -> str:
    found = re.search(rf"^{field}:\s+(.+)$", _with_file(pdf, ["pdfinfo"]), re.M)
    assert found, f"pdfinfo gives no {field}"
    return found[1]


def page_count(pdf: bytes) -> int:
    return int(_info(pdf, "Pages"))


def page_size(pdf: bytes) -> str:
    """pdfinfo's page size, e.g. '595.276 x 841.89 pts (A4)'."""
    return _info(pdf, "Page size")


def text_of(pdf: bytes, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    # Joined into one line of single spaces, so a test need not know where lines wrap.
    return " ".join(_with_file(pdf, ["pdftotext", *pages]).split())


def page_lines(pdf: bytes, page: int) -> list[str]:
    """A page's lines of text, top to bottom, as pdftotext lays them out, blank ones left out."""
    text = _with_file(pdf, ["pdftotext", "-layout", "-f", str(page), "-l", str(page)])
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]
