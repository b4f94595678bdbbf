"""The benchmark (run it with bench/run): the service as the Procfile serves it, against the floor.

In one run it serves the app with the Procfile's command and bench/floor.py (a Flask app that does
almost nothing) under the same gunicorn settings, loads each with wrk from a second process on
127.0.0.1, and prints requests/s, p50 and p99 for each scenario with its ratio to the floor; the
engine's time per plan; cold start; memory per worker; the bytes a browser downloads; then every
budget of the issue as met or not met, as a plain table and again as Markdown for docs/performance.md.

Environment: BENCH_SECONDS (default 10) is the length of each measured wrk run; BENCH_CONNECTIONS
(16) and BENCH_THREADS (2) shape the load. Numbers are only worth keeping from a quiet machine.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from intakes import CONTENT_TYPES, INTAKES, as_form, as_json, write_bodies
from serving import (
    BENCH,
    PROCFILE_WEB,
    PROJECT,
    Load,
    Server,
    floor_command,
    rss_mb,
    run_wrk,
    start,
    wait_for_workers,
    wait_until_answering,
)

from recommender.drawing.svg import draw_figure
from recommender.engine.memo import forget_everything
from recommender.engine.recommending import recommend
from recommender.loading.figures import load_figures
from recommender.loading.rules import load_ruleset
from recommender.model.intake import Intake

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
# Floor and app runs take turns, and each scenario's ratio is the median of one ratio per round:
# other work on the machine then weighs on both sides of each ratio alike.
ROUNDS = max(5, int(os.environ.get("BENCH_ROUNDS", "5")))
WARM_UP_SECONDS = max(1, min(3, SECONDS // 5))
COLD_STARTS = 3
ENGINE_ROUNDS = 1000  # times through the whole spread of intakes
KB = 1024
LOAD_AT_START = os.getloadavg()[0]


@dataclass(frozen=True)
class Scenario:
    name: str
    request: str
    app_path: str
    floor_path: str
    bodies: str | None  # "json" or "form": POST the spread of intakes in that form
    budget: float  # the least share of the floor's requests/s


SCENARIOS = [
    Scenario("Form page", "GET /", "/", "/", None, 0.7),
    Scenario("API", "POST /api/v1/plan", "/api/v1/plan", "/echo", "json", 0.8),
    Scenario("Plan page", "POST /plan", "/plan", "/form", "form", 0.5),
]


@dataclass(frozen=True)
class Row:
    """One scenario: the app's and the floor's median runs, and the median of the rounds' ratios."""

    scenario: Scenario
    app: Load
    floor: Load
    ratios: list[float]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)


@dataclass(frozen=True)
class Budget:
    name: str
    measured: str
    target: str
    met: bool


def main() -> int:
    print(f"Machine: {os.cpu_count()} cores, load average {LOAD_AT_START:.2f} at the start "
          f"(measure on a quiet machine). Python {sys.version.split()[0]}.")
    print(f"Procfile: {PROCFILE_WEB}")
    print(f"wrk: -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s per run (after {WARM_UP_SECONDS}s to warm up), "
          f"{ROUNDS} rounds of floor and app in turn per scenario, from a second process, to 127.0.0.1 only.\n")
    budgets: list[Budget] = []

    warm, uncached = engine_microseconds()
    print(f"Engine, per plan (median over {len(INTAKES)} intakes x {ENGINE_ROUNDS}): {warm:.1f} µs as served "
          f"(recent plans kept), {uncached:.1f} µs when every plan is built afresh.")
    budgets.append(Budget("Engine time per plan (median)", f"{warm:.1f} µs ({uncached:.0f} µs uncached)",
                          "≤ 20 µs", warm <= 20))

    starts = [cold_start() for _ in range(COLD_STARTS)]
    cold = statistics.median(starts)
    print(f"Cold start, Procfile command to first answer: {', '.join(f'{s:.2f}' for s in starts)} s "
          f"(median {cold:.2f} s)")
    budgets.append(Budget("Cold start (rules checked) to first answer", f"{cold:.2f} s", "≤ 0.5 s", cold <= 0.5))

    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        bodies = write_bodies(Path(folder))
        app = start()
        floor = start(floor_command(), {"PYTHONPATH": str(BENCH)})
        try:
            for server in (app, floor):
                wait_until_answering(server)
            rows = [measure(scenario, app, floor, bodies) for scenario in SCENARIOS]
            memory = {pid: rss_mb(pid) for pid in wait_for_workers(app, 1)}
            floor_memory = max(rss_mb(pid) for pid in wait_for_workers(floor, 1))
            form_bytes, form_third_party = page_weight(app, "GET", "/")
            plan_bytes, plan_third_party = max(page_weight(app, "POST", "/plan", as_form(intake))
                                               for intake in INTAKES)
        finally:
            app.stop()
            floor.stop()

    print()
    print_scenarios(rows)
    for row in rows:
        scenario = row.scenario
        budgets.append(Budget(f"{scenario.name} requests/s vs floor (`{scenario.request}`)",
                              f"{row.ratio:.2f} x (median of {len(row.ratios)} rounds; {row.app.per_second:,.0f} "
                              f"vs {row.floor.per_second:,.0f}/s)",
                              f"≥ {scenario.budget} x", row.ratio >= scenario.budget))
    worst = max(memory.values())
    print(f"\nResident memory per worker after load: "
          f"{', '.join(f'{mb:.1f} MB (pid {pid})' for pid, mb in memory.items())}; floor worker {floor_memory:.1f} MB")
    budgets.append(Budget("Resident memory per worker (largest)", f"{worst:.1f} MB", "≤ 80 MB", worst <= 80))
    print(f"Bytes a browser downloads (HTML, CSS, JS): form page {form_bytes / KB:.1f} KB, "
          f"largest plan page over the spread {plan_bytes / KB:.1f} KB")
    # The form page carries the script that shows it a step at a time (issue 14): 45 KB.
    budgets.append(Budget("Form page download (HTML, CSS, JS)", f"{form_bytes / KB:.1f} KB", "≤ 45 KB",
                          form_bytes <= 45 * KB))
    budgets.append(Budget("Plan page download with figures, largest (HTML, CSS, JS)", f"{plan_bytes / KB:.1f} KB",
                          "≤ 120 KB", plan_bytes <= 120 * KB))
    figure_bytes = largest_figure()
    budgets.append(Budget("Figure, largest (start and end drawn)", f"{figure_bytes / KB:.1f} KB", "≤ 4 KB",
                          figure_bytes <= 4 * KB))
    third_party = sorted(set(form_third_party) | set(plan_third_party))
    print(f"Third-party URLs referenced: {', '.join(third_party) if third_party else 'none'}")
    budgets.append(Budget("Third-party URLs referenced", str(len(third_party)), "0", not third_party))

    print()
    print_budgets(budgets)
    print("\nMarkdown for docs/performance.md:\n")
    print(markdown(rows, budgets))
    return 0


# --- the engine, in process --------------------------------------------------------------

def engine_microseconds() -> tuple[float, float]:
    """Median time of recommend() over the spread: as served, and with the plan cache cleared each time."""
    rules = load_ruleset(PROJECT / "rules")
    intakes = [Intake.model_validate_json(as_json(intake)) for intake in INTAKES]
    clock = time.perf_counter_ns
    for _ in range(100):
        for intake in intakes:
            recommend(intake, rules)
    served: list[int] = []
    for _ in range(ENGINE_ROUNDS):
        for intake in intakes:
            began = clock()
            recommend(intake, rules)
            served.append(clock() - began)
    fresh: list[int] = []
    for _ in range(ENGINE_ROUNDS // 10):
        for intake in intakes:
            forget_everything()
            began = clock()
            recommend(intake, rules)
            fresh.append(clock() - began)
    return statistics.median(served) / 1000, statistics.median(fresh) / 1000


# --- serving ------------------------------------------------------------------------------

def cold_start() -> float:
    server = start()
    try:
        return wait_until_answering(server)
    finally:
        server.stop()


def measure(scenario: Scenario, app: Server, floor: Server, bodies: dict[str, Path]) -> Row:
    body_file = bodies[scenario.bodies] if scenario.bodies else None
    content_type = CONTENT_TYPES.get(scenario.bodies or "", "")
    sides = {"floor": (floor, scenario.floor_path), "app": (app, scenario.app_path)}
    for server, path in sides.values():
        run_wrk(server.base + path, WARM_UP_SECONDS, CONNECTIONS, THREADS, body_file, content_type)
    runs: dict[str, list[Load]] = {"floor": [], "app": []}
    for round_ in range(ROUNDS):
        # Floor first in even rounds, app first in odd ones, so neither always runs second.
        for side in ("floor", "app") if round_ % 2 == 0 else ("app", "floor"):
            server, path = sides[side]
            load = run_wrk(server.base + path, SECONDS, CONNECTIONS, THREADS, body_file, content_type)
            if load.errors:
                print(f"WARNING: {scenario.name} on the {side} had {load.errors} errors; its numbers are not "
                      f"comparable.")
            runs[side].append(load)
    ratios = [a.per_second / f.per_second for a, f in zip(runs["app"], runs["floor"], strict=True)]
    print(f"{scenario.name}: ratios by round {', '.join(f'{r:.2f}' for r in ratios)}; floor requests/s "
          f"{', '.join(f'{f.per_second:,.0f}' for f in runs['floor'])}")
    return Row(scenario, _median_run(runs["app"]), _median_run(runs["floor"]), ratios)


def _median_run(loads: list[Load]) -> Load:
    return sorted(loads, key=lambda load: load.per_second)[len(loads) // 2]


# --- what a browser downloads -------------------------------------------------------------

LOADED = {("link", "href"), ("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"),
          ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data")}


class Addresses(HTMLParser):
    """Every address in a page, and those a browser fetches by itself when it shows the page."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []
        self.referenced: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if value and name in ("href", "src", "action", "formaction", "data", "poster"):
                self.referenced.append(value)
        for name, value in attrs:
            if not value or (tag, name) not in LOADED:
                continue
            rel = (values.get("rel") or "").lower().split()
            if tag == "link" and not {"stylesheet", "icon", "preload", "modulepreload", "manifest"} & set(rel):
                continue
            self.loaded.append(value)


def largest_figure() -> int:
    """Bytes the largest exercise figure (its start and end drawings) adds to a page."""
    return max(sum(len(drawing.svg.encode()) for drawing in draw_figure(figure, figure.exercise)
                   if drawing.pose != "middle")
               for figure in load_figures(PROJECT / "rules").book.figures)


def page_weight(server: Server, method: str, path: str, form: str | None = None) -> tuple[int, list[str]]:
    """Bytes of the page and everything it makes the browser fetch; and any third-party addresses."""
    data = form.encode() if form is not None else None
    with urllib.request.urlopen(urllib.request.Request(server.base + path, data=data, method=method),
                                timeout=10) as response:
        page = response.read()
    parser = Addresses()
    parser.feed(page.decode("utf-8"))
    total, third_party = len(page), []
    pending = [urllib.parse.urljoin(server.base + path, address) for address in parser.loaded]
    fetched: set[str] = set()
    for address in parser.referenced:
        if is_third_party(urllib.parse.urljoin(server.base + path, address), server):
            third_party.append(address)
    while pending and len(fetched) < 50:
        address = pending.pop()
        if address in fetched:
            continue
        fetched.add(address)
        if is_third_party(address, server):
            third_party.append(address)
            continue
        with urllib.request.urlopen(address, timeout=10) as response:
            body = response.read()
        total += len(body)
        if address.endswith(".css"):
            for found in re.findall(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""", body.decode("utf-8")):
                inner = next(part for part in found if part)
                if not inner.startswith("data:"):
                    pending.append(urllib.parse.urljoin(address, inner))
    return total, third_party


def is_third_party(address: str, server: Server) -> bool:
    parts = urllib.parse.urlsplit(address)
    return parts.scheme in ("http", "https") and parts.netloc != urllib.parse.urlsplit(server.base).netloc


# --- reports ------------------------------------------------------------------------------

def print_scenarios(rows: list[Row]) -> None:
    print(f"{'scenario':<12} {'request':<20} {'req/s':>9} {'p50 ms':>7} {'p99 ms':>7}   "
          f"{'floor req/s':>11} {'p50 ms':>7} {'p99 ms':>7}   {'ratio':>5}")
    for row in rows:
        app, floor = row.app, row.floor
        print(f"{row.scenario.name:<12} {row.scenario.request:<20} {app.per_second:>9,.0f} {app.p50_us / 1000:>7.2f} "
              f"{app.p99_us / 1000:>7.2f}   {floor.per_second:>11,.0f} {floor.p50_us / 1000:>7.2f} "
              f"{floor.p99_us / 1000:>7.2f}   {row.ratio:>5.2f}")
    print(f"(median runs; ratio = median of {ROUNDS} rounds' ratios, floor and app in turn)")


def print_budgets(budgets: list[Budget]) -> None:
    width = max(len(budget.name) for budget in budgets)
    measured = max(len(budget.measured) for budget in budgets)
    for budget in budgets:
        print(f"{budget.name:<{width}}  {budget.measured:<{measured}}  {budget.target:<9}  "
              f"{'met' if budget.met else 'NOT MET'}")


def markdown(rows: list[Row], budgets: list[Budget]) -> str:
    lines = [f"wrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s on {os.cpu_count()} cores, {ROUNDS} rounds of floor and "
             f"app in turn, load average {LOAD_AT_START:.2f} at the start; each ratio is the median of the "
             f"rounds' ratios.", "",
             "| scenario | requests/s | p50 | p99 | floor requests/s | floor p50 | floor p99 | ratio |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        app, floor = row.app, row.floor
        lines.append(f"| {row.scenario.name} (`{row.scenario.request}`) | {app.per_second:,.0f} "
                     f"| {app.p50_us / 1000:.2f} ms | {app.p99_us / 1000:.2f} ms | {floor.per_second:,.0f} "
                     f"| {floor.p50_us / 1000:.2f} ms | {floor.p99_us / 1000:.2f} ms | {row.ratio:.2f} |")
    lines += ["", "| budget | measured | target | |", "| --- | --- | --- | --- |"]
    lines += [f"| {b.name} | {b.measured} | {b.target} | {'met' if b.met else '**not met**'} |" for b in budgets]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
