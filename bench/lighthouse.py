"""Lighthouse's four mobile scores for the pages a person lands on, served as in production.

The app runs under the Procfile's gunicorn command; Lighthouse (from .cache/lighthouse, put
there by bench/lighthouse) drives Debian's chromium headless with its default mobile settings:
a mid-range phone's screen, a slowed CPU and a slow 4G connection, simulated. Prints one line a
page, and the reports stay in a temporary folder named at the end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from serving import PROJECT, start, wait_until_answering

LIGHTHOUSE = PROJECT / ".cache" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
PAGES = ("/", "/embed/demo", "/exercises")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def scores(url: str, report: Path) -> dict[str, int]:
    subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                    "--chrome-flags=--headless=new --no-sandbox", f"--only-categories={','.join(CATEGORIES)}"],
                   env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"}, check=True, timeout=300)
    found = json.loads(report.read_text())
    return {name: round(found["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> int:
    port = int(os.environ.get("LIGHTHOUSE_PORT", "8774"))
    server = start(port=port)
    reports = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    try:
        wait_until_answering(server)
        print(f"{'page':<14}" + "".join(f"{name:>16}" for name in CATEGORIES))
        for page in PAGES:
            found = scores(server.base + page, reports / f"{page.strip('/').replace('/', '-') or 'form'}.json")
            print(f"{page:<14}" + "".join(f"{found[name]:>16}" for name in CATEGORIES), flush=True)
    finally:
        server.stop()
    print(f"Reports: {reports}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
