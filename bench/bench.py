"""The benchmark (run it with bench/run): the service as the Procfile serves it, against the floor.

In one run it serves the app with the Procfile's command and bench/floor.py (a Flask app that does
almost nothing) under the same gunicorn settings, loads each with wrk from a second process on
127.0.0.1, and prints requests/s, p50 and p99 for each scenario with its ratio to the floor, and
the workers' CPU time per request beside the floor's; the engine's time per plan for new and for
repeated answers; each cache's hit rate; the time of the pages the load does not reach, in
process; cold start; memory per worker after 50,000 different people; the bytes a browser
downloads; then every budget as met or not met, as a plain table and again as Markdown for
docs/performance.md.

The answers are people's, not a cache's: each wrk run posts its own BENCH_SPREAD (45,000) distinct
realistic intakes from one seeded spread (bench/intakes.py), the same people as JSON and as the
form. The 14 fixed intakes, which after warm-up are all cache hits, give a second line per
scenario only, with no budget.

Environment: BENCH_SECONDS (default 10) is the length of each measured wrk run; BENCH_CONNECTIONS
(16) and BENCH_THREADS (2) shape the load; BENCH_ROUNDS (5, the least) the rounds of floor and app
in turn; BENCH_SPREAD the people per wrk run; BENCH_MEMORY_REQUESTS (50,000) the people sent
before memory is read. Numbers are only worth keeping from a quiet machine. To try it out:
BENCH_SECONDS=2 BENCH_MEMORY_REQUESTS=5000 bench/run (the memory budget is then not measured).
"""

from __future__ import annotations

import gzip
import multiprocessing
import os
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import intakes
from intakes import CONTENT_TYPES, INTAKES, SEED, as_form, as_json, distinct_intakes, write_bodies
from serving import (
    BENCH,
    PROCFILE_WEB,
    PROJECT,
    Load,
    Server,
    cpu_seconds,
    floor_command,
    rss_mb,
    run_wrk,
    send_each,
    start,
    wait_for_workers,
    wait_until_answering,
)
from werkzeug.datastructures import MultiDict

from recommender.drawing.svg import draw_figure
from recommender.loading.figures import load_figures
from recommender.model.intake import Intake
from recommender.service import open_service, shipped
from recommender.web import create_app
from recommender.web.app.state import web_state
from recommender.web.pages.forms import read_answers

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
# Floor and app runs take turns, and each scenario's ratio is the median of one ratio per round:
# other work on the machine then weighs on both sides of each ratio alike.
ROUNDS = max(5, int(os.environ.get("BENCH_ROUNDS", "5")))
WARM_UP_SECONDS = max(1, min(3, SECONDS // 5))
# People per wrk run. Each run (warm-up included) posts its own slice of the seeded spread, so no
# cache a worker keeps across runs sees the same person twice in a scenario.
SPREAD = int(os.environ.get("BENCH_SPREAD", str(intakes.SPREAD)))
MEMORY_REQUESTS = int(os.environ.get("BENCH_MEMORY_REQUESTS", "50000"))
MEMORY_BUDGET_REQUESTS = 50_000
COLD_STARTS = 3
ENGINE_INTAKES = 5_000  # timed as new answers, then again as answers seen before
ENGINE_WARM_UP = 2_000  # other people, so the first timed plan is not also the process's first
CACHE_API, CACHE_FORM = 5_000, 2_000
PAGE_PEOPLE = 500  # people whose answers are sent back to them with a message, each once
PAGE_REPEATS = 200  # requests for each page that is the same for everyone
PAGES_HEADING = (f"Other pages, in process (Flask test client), median time to answer; the posts each from "
                 f"{PAGE_PEOPLE:,} people, the rest asked {PAGE_REPEATS} times:")
# A report of two good weeks on the first tier, as the check-in form sends it.
GOOD_REPORT = {"progress_tier": "beginner", "progress_sessions_done": "6", "progress_pain_during_max": "1",
               "progress_next_morning": "same", "progress_sets_completed": "all"}
KB = 1024
# The languages whose pages are weighed: each page is as large as its words.
LANGUAGES = ("en", "es", "de")
LOAD_AT_START = os.getloadavg()[0]


@dataclass(frozen=True)
class Scenario:
    name: str
    request: str
    app_path: str
    floor_path: str
    bodies: str | None  # "json" or "form": POST intakes in that form
    budget: float | None  # the least share of the floor's requests/s
    repeated: bool = False  # the 14 fixed intakes in turn instead of new people each run


SCENARIOS = [
    Scenario("Form page", "GET /", "/", "/", None, 0.7),
    Scenario("API", "POST /api/v1/plan", "/api/v1/plan", "/echo", "json", 0.70),
    Scenario("Plan page", "POST /plan", "/plan", "/form", "form", 0.35),
    # What a cache of whole responses serves: a figure to compare with, never a budget.
    Scenario("API, repeated bodies", "POST /api/v1/plan", "/api/v1/plan", "/echo", "json", None, repeated=True),
    Scenario("Plan page, repeated bodies", "POST /plan", "/plan", "/form", "form", None, repeated=True),
]


@dataclass(frozen=True)
class Row:
    """One scenario: the app's and the floor's median runs, and the median of the rounds' ratios."""

    scenario: Scenario
    app: Load
    floor: Load
    ratios: list[float]
    most_requests: int  # in any one of the app's runs
    # The workers' CPU time per request in each round (µs): what each answer costs, which
    # other work on the machine moves less than it moves requests/s.
    app_cpu_us: list[float]
    floor_cpu_us: list[float]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    @property
    def app_cpu(self) -> float:
        """The app workers' CPU time per request (µs), median of the rounds."""
        return statistics.median(self.app_cpu_us)

    @property
    def floor_cpu(self) -> float:
        """The floor workers' CPU time per request (µs), median of the rounds."""
        return statistics.median(self.floor_cpu_us)

    @property
    def cpu_ratio(self) -> float:
        """The median of the rounds' floor CPU per request over the app's: 1.0 would be as cheap
        as the floor."""
        return statistics.median(f / a for a, f in zip(self.app_cpu_us, self.floor_cpu_us, strict=True))


@dataclass(frozen=True)
class Budget:
    name: str
    measured: str
    target: str
    met: bool | None  # None: not measured in this run

    @property
    def verdict(self) -> str:
        return "not measured" if self.met is None else "met" if self.met else "NOT MET"


@dataclass(frozen=True)
class PageTime:
    page: str
    request: str
    status: int
    size: int  # bytes of the answer
    ms: float  # median time to answer, in process


@dataclass(frozen=True)
class CacheRow:
    name: str
    hits: int
    misses: int
    entries: int
    bound: int
    hit_rate: float


def main() -> int:
    print(f"Machine: {os.cpu_count()} cores, load average {LOAD_AT_START:.2f} at the start "
          f"(measure on a quiet machine). Python {sys.version.split()[0]}.")
    print(f"Procfile: {PROCFILE_WEB}")
    print(f"wrk: -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s per run (after {WARM_UP_SECONDS}s to warm up), "
          f"{ROUNDS} rounds of floor and app in turn per scenario, from a second process, to 127.0.0.1 only.")
    budgets: list[Budget] = []

    people = distinct_intakes(max((ROUNDS + 1) * SPREAD, MEMORY_REQUESTS, ENGINE_INTAKES + ENGINE_WARM_UP,
                                  CACHE_API + CACHE_FORM))
    check_spread(people)
    print(f"People: {len(people):,} distinct intakes (seed {SEED}), each read by the API and the form alike; "
          f"each wrk run posts its own {SPREAD:,}, the same people as JSON and as the form.\n")

    # In processes of their own, so that neither sees plans the other (or this one) made.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as fresh:
        new, seen = fresh.submit(engine_microseconds, people[:ENGINE_INTAKES], people[-ENGINE_WARM_UP:]).result()
    print(f"Engine, Service.recommend in process (median over {ENGINE_INTAKES:,} people; the service opened "
          f"afresh and warmed on {ENGINE_WARM_UP:,} others): {new:.1f} µs for a new intake, {seen:.1f} µs for the "
          f"same intakes seen again.")
    budgets.append(Budget("Engine, new intake, in process (median)", f"{new:.1f} µs ({seen:.1f} µs seen again)",
                          "≤ 60 µs", new <= 60))
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as fresh:
        caches = fresh.submit(cache_hit_rates, people[:CACHE_API], people[CACHE_API:CACHE_API + CACHE_FORM]).result()
    print_caches(caches)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as fresh:
        pages = fresh.submit(page_milliseconds, people[:PAGE_PEOPLE]).result()
    print_pages(pages)

    starts = [cold_start() for _ in range(COLD_STARTS)]
    cold = statistics.median(starts)
    print(f"Cold start, Procfile command to first answer: {', '.join(f'{s:.2f}' for s in starts)} s "
          f"(median {cold:.2f} s)")
    budgets.append(Budget("Cold start (rules checked) to first answer", f"{cold:.2f} s", "≤ 0.5 s", cold <= 0.5))

    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        runs = [write_bodies(Path(folder), people[run * SPREAD:(run + 1) * SPREAD], f"run{run}")
                for run in range(ROUNDS + 1)]
        repeated = write_bodies(Path(folder))
        floor = start(floor_command(), {"PYTHONPATH": str(BENCH)})
        rows: list[Row] = []
        after_load: dict[str, float] = {}
        try:
            wait_until_answering(floor)
            # A fresh app for each scenario: the plan page's people are the API's, and a worker
            # that kept their plans from one scenario would serve the next from its caches.
            for scenario in SCENARIOS:
                app = start()
                try:
                    wait_until_answering(app)
                    rows.append(measure(scenario, app, floor,
                                        [repeated] * (ROUNDS + 1) if scenario.repeated else runs))
                    after_load[scenario.name] = max(rss_mb(pid) for pid in wait_for_workers(app, 1))
                finally:
                    app.stop()
            floor_memory = max(rss_mb(pid) for pid in wait_for_workers(floor, 1))
            app = start()
            try:
                wait_until_answering(app)
                forms = {language: page_weight(app, "GET", "/", language=language) for language in LANGUAGES}
                plans = {language: max((page_weight(app, "POST", "/plan", as_form(intake), language)
                                        for intake in INTAKES), key=lambda weight: weight.sent)
                         for language in LANGUAGES}
            finally:
                app.stop()
        finally:
            floor.stop()
    memory, sent, failed, seconds = memory_after(people[:MEMORY_REQUESTS])

    print()
    print_scenarios(rows)
    for row in rows:
        scenario = row.scenario
        if row.most_requests > SPREAD and not scenario.repeated:
            print(f"WARNING: a {scenario.name} run sent {row.most_requests:,} requests over {SPREAD:,} people, so "
                  f"some were sent twice: set BENCH_SPREAD higher.")
        if scenario.budget is None:
            continue
        budgets.append(Budget(f"{scenario.name} requests/s vs floor (`{scenario.request}`"
                              f"{', distinct intakes' if scenario.bodies else ''})",
                              f"{row.ratio:.2f} x (median of {len(row.ratios)} rounds; {row.app.per_second:,.0f} "
                              f"vs {row.floor.per_second:,.0f}/s)",
                              f"≥ {scenario.budget:.2f} x", row.ratio >= scenario.budget))
    print(f"\nResident memory of the largest worker after each scenario's wrk runs: "
          f"{', '.join(f'{name} {mb:.1f} MB' for name, mb in after_load.items())}; "
          f"floor worker {floor_memory:.1f} MB")
    worst = max(memory.values())
    print(f"Resident memory per worker after {sent:,} distinct API requests to a fresh server "
          f"({failed} failed, {sent / seconds:,.0f}/s): "
          f"{', '.join(f'{mb:.1f} MB (pid {pid})' for pid, mb in memory.items())}")
    whole = sent >= MEMORY_BUDGET_REQUESTS and not failed
    budgets.append(Budget(f"Worker RSS after {MEMORY_BUDGET_REQUESTS:,} distinct API requests (largest)",
                          f"{worst:.1f} MB" + ("" if whole else f" after {sent:,} answered"),
                          "≤ 150 MB", worst <= 150 if whole else None))
    for name, weights in (("form page", forms), ("largest plan page over the 14 fixed intakes", plans)):
        print(f"Bytes a browser downloads (HTML, CSS, JS), {name}: " + ", ".join(
            f"{language} {weight.sent / KB:.1f} KB ({weight.uncompressed / KB:.1f} KB uncompressed)"
            for language, weight in weights.items()))
    form_bytes = max(weight.uncompressed for weight in forms.values())
    plan_bytes = max(weight.uncompressed for weight in plans.values())
    form_third_party = [address for weight in forms.values() for address in weight.third_party]
    plan_third_party = [address for weight in plans.values() for address in weight.third_party]
    # The form page carries the script that shows it a step at a time (issue 14): 45 KB. Both
    # budgets count the bytes uncompressed, as they always have, in the language whose page is
    # largest; the lines above also say what comes over the wire, the stylesheets and scripts
    # compressed (pages never are).
    budgets.append(Budget("Form page download, largest language (HTML, CSS, JS)", f"{form_bytes / KB:.1f} KB",
                          "≤ 45 KB", form_bytes <= 45 * KB))
    budgets.append(Budget("Plan page download with figures, largest, largest language (HTML, CSS, JS)",
                          f"{plan_bytes / KB:.1f} KB", "≤ 120 KB", plan_bytes <= 120 * KB))
    figure_bytes = largest_figure()
    budgets.append(Budget("Figure, largest (start and end drawn)", f"{figure_bytes / KB:.1f} KB", "≤ 4 KB",
                          figure_bytes <= 4 * KB))
    third_party = sorted(set(form_third_party) | set(plan_third_party))
    print(f"Third-party URLs referenced: {', '.join(third_party) if third_party else 'none'}")
    budgets.append(Budget("Third-party URLs referenced", str(len(third_party)), "0", not third_party))

    print()
    print_budgets(budgets)
    print("\nMarkdown for docs/performance.md:\n")
    print(markdown(rows, caches, pages, budgets))
    return 0


def check_spread(people: list[dict[str, Any]]) -> None:
    """Stop unless the form reads each person as the API does: a form with a problem is answered
    with the questions again, much faster than a plan, which would flatter the plan page."""
    for intake in people:
        form = MultiDict(urllib.parse.parse_qsl(as_form(intake), keep_blank_values=True))
        if read_answers(form) != Intake.model_validate_json(as_json(intake)):
            raise SystemExit(f"The form does not read these answers as the API does: {as_json(intake)}")


# --- in process ---------------------------------------------------------------------------

def engine_microseconds(people: list[dict[str, Any]], others: list[dict[str, Any]]) -> tuple[float, float]:
    """Median time of Service.recommend over `people`, first as new answers and then seen again,
    in a service opened afresh and warmed on `others`."""
    # With the clinics, as the app opens it: the rules' stamp vouches for that, where the rules
    # alone would be checked in full first (a minute).
    service = open_service(clinics_dir=shipped("clinics"))
    for intake in others:
        service.recommend(Intake.model_validate_json(as_json(intake)))
    intakes = [Intake.model_validate_json(as_json(intake)) for intake in people]
    clock = time.perf_counter_ns
    new: list[int] = []
    for intake in intakes:
        began = clock()
        service.recommend(intake)
        new.append(clock() - began)
    seen: list[int] = []
    for _ in range(3):
        for intake in intakes:
            began = clock()
            service.recommend(intake)
            seen.append(clock() - began)
    return statistics.median(new) / 1000, statistics.median(seen) / 1000


def cache_hit_rates(api: list[dict[str, Any]], form: list[dict[str, Any]]) -> list[CacheRow]:
    """Each of the app's caches after `api` through the API and then `form` through the form,
    each person once."""
    app = create_app({"TESTING": True})
    client = app.test_client()
    for path, content_type, bodies in (("/api/v1/plan", CONTENT_TYPES["json"], [as_json(i) for i in api]),
                                       ("/plan", CONTENT_TYPES["form"], [as_form(i) for i in form])):
        for body in bodies:
            answer = client.post(path, data=body, content_type=content_type)
            if answer.status_code != 200:
                raise RuntimeError(f"{path} answered {answer.status_code} to {body}")
    return [CacheRow(name, stats.hits, stats.misses, stats.entries, stats.bound, stats.hit_rate)
            for name, stats in web_state(app).cache_stats().items()]


def page_milliseconds(people: list[dict[str, Any]]) -> list[PageTime]:
    """The pages wrk does not load, in process (Flask's test client), each the median time of
    its answers: those that are the same for everyone, each asked for PAGE_REPEATS times; a
    check-in's result, and a form and a check-in sent back with a message, once for each of
    `people` (their age left out, or their report)."""
    client = create_app({"TESTING": True}).test_client()
    form = CONTENT_TYPES["form"]

    def spoiled(intake: dict[str, Any], leave_out: str) -> str:
        return urllib.parse.urlencode([(name, value) for name, value in urllib.parse.parse_qsl(as_form(intake))
                                       if name != leave_out])

    asked: list[tuple[str, str, str, list[str | None]]] = [
        ("Check-in form", "GET", "/check-in", [None] * PAGE_REPEATS),
        ("Exercise library", "GET", "/exercises", [None] * PAGE_REPEATS),
        ("An exercise", "GET", "/exercises/dead-bug", [None] * PAGE_REPEATS),
        ("API documentation", "GET", "/api", [None] * PAGE_REPEATS),
        ("Form sent back with a message", "POST", "/plan", [spoiled(person, "age") for person in people]),
        ("Check-in result", "POST", "/check-in",
         [as_form(person) + "&" + urllib.parse.urlencode(GOOD_REPORT) for person in people]),
        ("Check-in sent back with a message", "POST", "/check-in", [as_form(person) for person in people]),
    ]
    found = []
    for name, method, path, bodies in asked:
        times, statuses, sizes = [], set(), []
        for body in [*bodies[:20], *bodies]:  # the first 20 again: warm-up, not timed
            began = time.perf_counter_ns()
            answer = (client.get(path) if body is None
                      else client.post(path, data=body, content_type=form))
            times.append(time.perf_counter_ns() - began)
            statuses.add(answer.status_code)
            sizes.append(len(answer.data))
        if len(statuses) != 1:
            raise RuntimeError(f"{method} {path} answered {sorted(statuses)}")
        found.append(PageTime(name, f"{method} {path}", statuses.pop(), int(statistics.median(sizes[20:])),
                              statistics.median(times[20:]) / 1e6))
    return found


# --- serving ------------------------------------------------------------------------------

def cold_start() -> float:
    server = start()
    try:
        return wait_until_answering(server)
    finally:
        server.stop()


def memory_after(people: list[dict[str, Any]]) -> tuple[dict[int, float], int, int, float]:
    """Each worker's resident memory after a fresh server answered each of `people` once through
    the API: (MB by pid, answered, failed, seconds)."""
    server = start()
    try:
        wait_until_answering(server)
        began = time.perf_counter()
        sent, failed = send_each(server, "/api/v1/plan", [as_json(intake) for intake in people],
                                 CONTENT_TYPES["json"])
        seconds = time.perf_counter() - began
        return {pid: rss_mb(pid) for pid in wait_for_workers(server, 1)}, sent, failed, seconds
    finally:
        server.stop()


def measure(scenario: Scenario, app: Server, floor: Server, bodies: list[dict[str, Path]]) -> Row:
    """Warm-up, then ROUNDS rounds of floor and app in turn; run k posts the bodies in bodies[k],
    the floor and the app the same ones in each round."""
    content_type = CONTENT_TYPES.get(scenario.bodies or "", "")

    def load(server: Server, path: str, seconds: int, run: int) -> tuple[Load, float]:
        """What wrk measured, and the workers' CPU time per request in µs."""
        body_file = bodies[run][scenario.bodies] if scenario.bodies else None
        workers = server.workers()
        before = cpu_seconds(workers)
        result = run_wrk(server.base + path, seconds, CONNECTIONS, THREADS, body_file, content_type)
        return result, (cpu_seconds(workers) - before) / max(result.requests, 1) * 1e6

    sides = {"floor": (floor, scenario.floor_path), "app": (app, scenario.app_path)}
    for server, path in sides.values():
        load(server, path, WARM_UP_SECONDS, 0)
    runs: dict[str, list[Load]] = {"floor": [], "app": []}
    cpu: dict[str, list[float]] = {"floor": [], "app": []}
    for round_ in range(ROUNDS):
        # Floor first in even rounds, app first in odd ones, so neither always runs second.
        for side in ("floor", "app") if round_ % 2 == 0 else ("app", "floor"):
            server, path = sides[side]
            result, cpu_us = load(server, path, SECONDS, round_ + 1)
            if result.errors:
                print(f"WARNING: {scenario.name} on the {side} had {result.errors} errors; its numbers are not "
                      f"comparable.")
            runs[side].append(result)
            cpu[side].append(cpu_us)
    ratios = [a.per_second / f.per_second for a, f in zip(runs["app"], runs["floor"], strict=True)]
    print(f"{scenario.name}: ratios by round {', '.join(f'{r:.2f}' for r in ratios)}; floor requests/s "
          f"{', '.join(f'{f.per_second:,.0f}' for f in runs['floor'])}; workers' CPU per request, app "
          f"{', '.join(f'{us:,.0f}' for us in cpu['app'])} µs, floor "
          f"{', '.join(f'{us:,.0f}' for us in cpu['floor'])} µs")
    return Row(scenario, _median_run(runs["app"]), _median_run(runs["floor"]), ratios,
               max(run.requests for run in runs["app"]), cpu["app"], cpu["floor"])


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


@dataclass(frozen=True)
class Weight:
    """Bytes of a page and everything it makes the browser fetch: as they come over the wire
    to a browser that asks for compression (pages are never compressed, the stylesheets and
    scripts are), and all of it uncompressed."""

    sent: int
    uncompressed: int
    third_party: list[str]


def page_weight(server: Server, method: str, path: str, form: str | None = None,
                language: str = "en") -> Weight:
    """What a browser in `language` downloads for the page; and any third-party addresses."""
    asked = {"Accept-Encoding": "gzip", "Accept-Language": language}

    def fetch(address: str, data: bytes | None = None, way: str = "GET") -> tuple[int, bytes]:
        request = urllib.request.Request(address, data=data, method=way, headers=asked)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
            gzipped = response.headers.get("Content-Encoding") == "gzip"
        return len(body), gzip.decompress(body) if gzipped else body

    sent, page = fetch(server.base + path, form.encode() if form is not None else None, method)
    parser = Addresses()
    parser.feed(page.decode("utf-8"))
    uncompressed, third_party = len(page), []
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
        size, body = fetch(address)
        sent += size
        uncompressed += len(body)
        if address.endswith(".css"):
            for found in re.findall(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""", body.decode("utf-8")):
                inner = next(part for part in found if part)
                if not inner.startswith("data:"):
                    pending.append(urllib.parse.urljoin(address, inner))
    return Weight(sent, uncompressed, third_party)


def is_third_party(address: str, server: Server) -> bool:
    parts = urllib.parse.urlsplit(address)
    return parts.scheme in ("http", "https") and parts.netloc != urllib.parse.urlsplit(server.base).netloc


# --- reports ------------------------------------------------------------------------------

def print_scenarios(rows: list[Row]) -> None:
    width = max(len(row.scenario.name) for row in rows)
    print(f"{'scenario':<{width}} {'request':<18} {'req/s':>9} {'p50 ms':>7} {'p99 ms':>7}   "
          f"{'floor req/s':>11} {'p50 ms':>7} {'p99 ms':>7}   {'ratio':>5}   {'CPU µs':>7} {'floor':>7} {'ratio':>5}")
    for row in rows:
        app, floor = row.app, row.floor
        print(f"{row.scenario.name:<{width}} {row.scenario.request:<18} {app.per_second:>9,.0f} "
              f"{app.p50_us / 1000:>7.2f} {app.p99_us / 1000:>7.2f}   {floor.per_second:>11,.0f} "
              f"{floor.p50_us / 1000:>7.2f} {floor.p99_us / 1000:>7.2f}   {row.ratio:>5.2f}   "
              f"{row.app_cpu:>7,.0f} {row.floor_cpu:>7,.0f} "
              f"{row.cpu_ratio:>5.2f}")
    print(f"(median runs; ratio = median of {ROUNDS} rounds' ratios, floor and app in turn. CPU µs: the workers' "
          f"CPU time per request, median of the rounds, and its ratio the floor's over the app's. API and plan "
          f"page: {SPREAD:,} new people per run. Repeated bodies: the 14 fixed intakes in turn, which a cache of "
          f"whole responses holds; shown for comparison, no budget.)")


def print_caches(caches: list[CacheRow]) -> None:
    print(f"Caches after {CACHE_API:,} people through the API and {CACHE_FORM:,} others through the form, each "
          f"once, in process (Flask test client):")
    width = max([len("cache"), *(len(cache.name) for cache in caches)])
    print(f"  {'cache':<{width}} {'hits':>8} {'misses':>8} {'entries':>8} {'bound':>8} {'hit rate':>8}")
    for cache in caches:
        print(f"  {cache.name:<{width}} {cache.hits:>8,} {cache.misses:>8,} {cache.entries:>8,} {cache.bound:>8,} "
              f"{cache.hit_rate:>8.1%}")


def print_pages(pages: list[PageTime]) -> None:
    print(PAGES_HEADING)
    width = max(len(page.page) for page in pages)
    for page in pages:
        print(f"  {page.page:<{width}} {page.request:<24} {page.status} {page.size / KB:>6.1f} KB {page.ms:>7.2f} ms")


def print_budgets(budgets: list[Budget]) -> None:
    width = max(len(budget.name) for budget in budgets)
    measured = max(len(budget.measured) for budget in budgets)
    for budget in budgets:
        print(f"{budget.name:<{width}}  {budget.measured:<{measured}}  {budget.target:<9}  {budget.verdict}")


def markdown(rows: list[Row], caches: list[CacheRow], pages: list[PageTime], budgets: list[Budget]) -> str:
    lines = [f"wrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s on {os.cpu_count()} cores, {ROUNDS} rounds of floor and "
             f"app in turn, load average {LOAD_AT_START:.2f} at the start; each ratio is the median of the "
             f"rounds' ratios. The API and the plan page post {SPREAD:,} new people in each run (seed {SEED}); "
             f"the repeated bodies are the 14 fixed intakes, all cache hits after warm-up, with no budget. "
             f"CPU per request is the workers' CPU time over the requests answered, median of the rounds; "
             f"its ratio is the floor's over the app's, median of the rounds.", "",
             "| scenario | requests/s | p50 | p99 | floor requests/s | floor p50 | floor p99 | ratio "
             "| CPU per request | floor CPU per request | CPU ratio |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        app, floor = row.app, row.floor
        lines.append(f"| {row.scenario.name} (`{row.scenario.request}`) | {app.per_second:,.0f} "
                     f"| {app.p50_us / 1000:.2f} ms | {app.p99_us / 1000:.2f} ms | {floor.per_second:,.0f} "
                     f"| {floor.p50_us / 1000:.2f} ms | {floor.p99_us / 1000:.2f} ms | {row.ratio:.2f} "
                     f"| {row.app_cpu:,.0f} µs | {row.floor_cpu:,.0f} µs "
                     f"| {row.cpu_ratio:.2f} |")
    if caches:
        lines += ["", f"Caches after {CACHE_API:,} people through the API and {CACHE_FORM:,} others through the "
                  f"form, each once:", "",
                  "| cache | hits | misses | entries | bound | hit rate |",
                  "| --- | ---: | ---: | ---: | ---: | ---: |"]
        lines += [f"| {c.name} | {c.hits:,} | {c.misses:,} | {c.entries:,} | "
                  f"{c.bound:,} | {c.hit_rate:.1%} |" for c in caches]
    if pages:
        lines += ["", PAGES_HEADING, "",
                  "| page | request | status | size | time |", "| --- | --- | ---: | ---: | ---: |"]
        lines += [f"| {p.page} | `{p.request}` | {p.status} | {p.size / KB:.1f} KB | {p.ms:.2f} ms |" for p in pages]
    lines += ["", "| budget | measured | target | |", "| --- | --- | --- | --- |"]
    lines += [f"| {b.name} | {b.measured} | {b.target} | {'**not met**' if b.met is False else b.verdict} |"
              for b in budgets]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
