"""Memory of a worker that has made PDFs (issue 15): at most 120 MB after 100 of them.

Serves the app with the Procfile's command but one worker, so that every PDF is asked of the
same worker; posts the result form for the spread of answers (bench/intakes.py) that get a
plan, then posts each page's sealed answers to the PDF route, 100 PDFs one after another;
and reads the worker's resident memory (VmRSS in /proc) before the first PDF, after the
first and after the last, and that of its child processes (the PDF renderers). Run it with
bench/pdf-memory; PDF_COUNT changes the number.
"""

from __future__ import annotations

import os
import re
import sys
import time
import urllib.request
from pathlib import Path

from intakes import INTAKES, as_form
from serving import PROCFILE_WEB, rss_mb, start, wait_for_workers, wait_until_answering

COUNT = int(os.environ.get("PDF_COUNT", "100"))
BUDGET_MB = 120
TOKEN = re.compile(rb'<input type="hidden" name="answers" value="([^"]+)">')


def post(url: str, form: str | bytes) -> bytes:
    data = form.encode() if isinstance(form, str) else form
    with urllib.request.urlopen(urllib.request.Request(url, data=data, method="POST"), timeout=120) as response:
        return bytes(response.read())


def children_of(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue  # it ended while we looked
            if f"\nPPid:\t{parent}\n" in status:
                found.append(int(entry.name))
    return sorted(found)


def main() -> int:
    command = PROCFILE_WEB.replace("--workers 2", "--workers 1")
    if command == PROCFILE_WEB:
        raise SystemExit("The Procfile no longer says --workers 2; update bench/pdf_memory.py.")
    print(f"Load average {os.getloadavg()[0]:.2f} at the start. Serving: {command}")
    server = start(command)
    try:
        wait_until_answering(server)
        [worker] = wait_for_workers(server, 1)
        tokens = []
        for intake in INTAKES:
            page = post(server.base + "/plan", as_form(intake))
            found = TOKEN.search(page)
            # A result without a plan has no PDF button (but still its sealed answers for FHIR).
            if found and b"Download PDF" in page:
                tokens.append(found[1])
        before = rss_mb(worker)
        began = time.perf_counter()
        after_first = 0.0
        for number in range(COUNT):
            pdf = post(server.base + "/plan.pdf", b"answers=" + tokens[number % len(tokens)])
            if not pdf.startswith(b"%PDF"):
                raise RuntimeError(f"PDF {number + 1} is not a PDF")
            if number == 0:
                after_first = rss_mb(worker)
        seconds = time.perf_counter() - began
        after = rss_mb(worker)
        # PDFs are rendered in the worker's own renderer processes (recommender/web/pdfpool.py).
        children = {pid: rss_mb(pid) for pid in children_of(worker)}
        if server.workers() != [worker]:
            raise RuntimeError(f"the worker {worker} was replaced ({server.workers()}): the figure is not its own")
    finally:
        server.stop()
    print(f"Worker {worker}: {before:.1f} MB before any PDF, {after_first:.1f} MB after the first, "
          f"{after:.1f} MB after {COUNT} PDFs ({seconds / COUNT:.2f} s each, {len(tokens)} different plans)")
    print(f"Its child processes (PDF renderers) after {COUNT} PDFs: "
          f"{', '.join(f'{mb:.1f} MB (pid {pid})' for pid, mb in children.items()) or 'none'}")
    met = after <= BUDGET_MB
    print(f"Resident memory of a worker after {COUNT} PDFs: {after:.1f} MB (budget ≤ {BUDGET_MB} MB): "
          f"{'met' if met else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
