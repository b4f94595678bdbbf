"""Static files as they are sent: under fingerprinted names (`style.0123456789ab.css`), read back
to the file on disk, and stylesheets and scripts without the comments and spaces that their files
keep for readers. Apart from web/app/assets.py, which serves them, so that the PDF renderer reads
the names back and the folder nginx serves holds the same bytes:
`python -m recommender.web.app.static_files FOLDER` writes that folder (deploy/run does, at each
start)."""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import rcssmin
import rjsmin

from recommender.service import shipped

FINGERPRINTED_SUFFIXES = (".css", ".js", ".svg", ".png")
FINGERPRINTED = re.compile(
    rf"^(?P<base>.+)\.[0-9a-f]{{12}}\.(?P<ext>{'|'.join(suffix[1:] for suffix in FINGERPRINTED_SUFFIXES)})$")


def plain_name(filename: str) -> str:
    """The file on disk behind a fingerprinted name (any other name is returned as it is)."""
    found = FINGERPRINTED.match(filename)
    return f"{found['base']}.{found['ext']}" if found else filename


def fingerprinted_name(path: Path, content: bytes) -> str:
    """`path`'s name with a digest of its `content`: a changed file gets a new name."""
    digest = hashlib.sha256(content).hexdigest()[:12]
    return f"{path.name.removesuffix(path.suffix)}.{digest}{path.suffix}"


def as_sent(path: Path, content: bytes) -> bytes:
    """The bytes a browser gets for `path`, whose file holds `content`. A phone downloads the form
    before the first question shows, so its stylesheets and scripts go without comments and
    indentation (about a third of each); everything else goes as it is."""
    if path.suffix == ".css":
        css: str = rcssmin.cssmin(content.decode("utf-8"))
        return css.encode()
    if path.suffix == ".js":
        script: str = rjsmin.jsmin(content.decode("utf-8"))
        return script.encode()
    return content


def write_as_sent(static_folder: Path, target: Path) -> list[str]:
    """Every file of `static_folder` as sent, into `target`, under its own name (nginx finds a
    fingerprinted name's file by its plain name); the names written."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(static_folder.iterdir()):
        if path.is_file():
            (target / path.name).write_bytes(as_sent(path, path.read_bytes()))
            written.append(path.name)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m recommender.web.app.static_files FOLDER", file=sys.stderr)
        return 2
    written = write_as_sent(shipped("static"), Path(argv[0]))
    print(f"{len(written)} static files written to {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
