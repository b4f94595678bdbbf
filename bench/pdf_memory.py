"""Memory of a worker that has made PDFs (issue 15): at most 120 MB after 100 of them; then
that of a whole instance (issue 22), the figure a container's memory limit must hold.

Serves the app with the Procfile's command but one worker, so that every PDF is asked of the
same worker; posts the result form for the spread of answers (bench/intakes.py) that get a
plan, then posts each page's sealed answers to the PDF route, 100 PDFs one after another;
and reads the worker's resident memory (VmRSS in /proc) before the first PDF, after the
first and after the last, and that of its child processes (the PDF renderers). Run it with
bench/pdf-memory; PDF_COUNT changes the number.

Then the Procfile's command as it is (two workers) makes PDFs as many at once as its workers
render (`PDFS_AT_ONCE` each), so that every renderer it may hold is running, and the memory of
every process of the instance is added up: the master, its workers and their children (the
renderers and multiprocessing's helper). Resident memory (RSS) counts the pages the forked
workers share with the master once per process; proportional memory (PSS, from
/proc/<pid>/smaps_rollup) divides them among the processes that share them, so its sum is
what the instance holds, and what a container's limit is charged with.
"""

from __future__ import annotations

import os
import re
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from intakes import INTAKES, as_form
from serving import PROCFILE_WEB, Server, rss_mb, start, wait_for_workers, wait_until_answering

COUNT = int(os.environ.get("PDF_COUNT", "100"))
# PDFs each worker renders at once (recommender/web/__init__.py, PDFS_AT_ONCE).
PDFS_AT_ONCE = 1
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
        tokens = plan_tokens(server)
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
        # PDFs are rendered in the worker's own renderer processes (recommender/web/pdf/pool.py).
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
    instance_at_its_peak()
    return 0


def plan_tokens(server: Server) -> list[bytes]:
    """The sealed answers of every plan in the spread of answers, as this server seals them."""
    tokens = []
    for intake in INTAKES:
        page = post(server.base + "/plan", as_form(intake))
        found = TOKEN.search(page)
        # A result without a plan has no PDF button (but still its sealed answers for FHIR).
        if found and b"Download PDF" in page:
            tokens.append(found[1])
    return tokens


def instance_at_its_peak() -> None:
    print(f"\nAn instance as the Procfile runs it: {PROCFILE_WEB}")
    server = start(PROCFILE_WEB)
    try:
        wait_until_answering(server)
        workers = wait_for_workers(server, 2)
        tokens = plan_tokens(server)
        at_once = PDFS_AT_ONCE * len(workers)
        busy = 0

        def pdf(number: int) -> int:
            try:
                post(server.base + "/plan.pdf", b"answers=" + tokens[number % len(tokens)])
                return 1
            except urllib.error.HTTPError:  # 503: that worker had PDFS_AT_ONCE already
                return 0

        with ThreadPoolExecutor(max_workers=at_once) as pool:
            made = sum(pool.map(pdf, range(4 * at_once)))
            # The renderers stay after their PDFs: measure while the last ones are running.
            busy = sum(pool.map(pdf, range(at_once)))
        processes = [server.process.pid, *descendants(server.process.pid)]
        rss = {pid: rss_mb(pid) for pid in processes}
        pss = {pid: pss_mb(pid) for pid in processes}
        commands = {pid: command_of(pid) for pid in processes}
    finally:
        server.stop()
    print(f"{made + busy} PDFs made, {at_once} asked at once; {len(processes)} processes: the master, "
          f"{len(workers)} workers and their children")
    for pid in processes:
        print(f"  pid {pid}: RSS {rss[pid]:.1f} MB, PSS {pss[pid]:.1f} MB ({commands[pid]})")
    print(f"The instance holds {sum(pss.values()):.1f} MB (sum of PSS); its RSS adds up to {sum(rss.values()):.1f} MB")


def descendants(parent: int) -> list[int]:
    found = []
    for child in children_of(parent):
        found += [child, *descendants(child)]
    return found


def pss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no Pss for process {pid}")


def command_of(pid: int) -> str:
    command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    if "resource_tracker" in command:
        return "multiprocessing's resource tracker"
    if "multiprocessing" in command:
        return "PDF renderer"
    return "gunicorn"


if __name__ == "__main__":
    sys.exit(main())
