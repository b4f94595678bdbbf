"""Load and fault runs (run them with bench/load), against the service as the Procfile serves it.

1. Load: the API and the plan page, each for LOAD_SECONDS (default 60) at LOAD_CONNECTIONS (64)
   connections: passes with 0 errors (non-2xx answers, socket errors) and p99 under 100 ms.
2. A worker killed (SIGKILL) while the API is under load: passes when the master starts a new
   worker and the service answers every probe sent after the kill. The errors wrk saw (the
   connections the killed worker held) are reported.
3. A rules file corrupted on disk while running: passes when the running service keeps answering
   with the same rules_sha256, also from a worker started after the corruption, and the next start
   stops with `file:line: message`. The service runs from a copy of rules/ (RECOMMENDER_RULES_DIR).
5. `bench/load --proxy`: the load of step 1 through nginx, as deploy/run serves it with two
   instances.
4. The access log (gunicorn --access-logfile, given through GUNICORN_CMD_ARGS so the Procfile's
   command is unchanged) holds no answers: no query strings, no field names, no answer values.

Only 127.0.0.1 is loaded, and every run and wait is bounded. Exits 1 when a check fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from intakes import CONTENT_TYPES, INTAKES, answer_words, as_json, write_bodies
from serving import PROJECT, Server, free_port, run_wrk, start, wait_for_workers, wait_until_answering

LOAD_SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
LOAD_CONNECTIONS = int(os.environ.get("LOAD_CONNECTIONS", "64"))
FAULT_SECONDS = int(os.environ.get("FAULT_SECONDS", "10"))
THREADS = 2
P99_LIMIT_MS = 100
WORKERS = 2  # as the Procfile starts them
PROBES_AFTER_CORRUPTION = 20


@dataclass(frozen=True)
class Check:
    name: str
    detail: str
    passed: bool


def main() -> int:
    if sys.argv[1:] == ["--proxy"]:
        return proxy_main()
    print(f"Load: {LOAD_SECONDS} s at {LOAD_CONNECTIONS} connections per scenario; fault run {FAULT_SECONDS} s; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start.\n")
    checks: list[Check] = []
    with tempfile.TemporaryDirectory(prefix="bench-load-") as name:
        folder = Path(name)
        rules = folder / "rules"  # named rules/, so messages read rules/<file>:<line>
        shutil.copytree(PROJECT / "rules", rules)
        access_log = folder / "access.log"
        bodies = write_bodies(folder)
        environment = {"RECOMMENDER_RULES_DIR": str(rules), "GUNICORN_CMD_ARGS": f"--access-logfile {access_log}"}
        server = start(environment=environment)
        try:
            wait_until_answering(server)
            wait_for_workers(server, WORKERS)
            for check in [*under_load(server, bodies), worker_killed(server, bodies),
                          *rules_corrupted(server, rules, environment)]:
                report(check)
                checks.append(check)
        finally:
            server.stop()
        checks.append(report(access_log_holds_no_answers(access_log)))

    print("\nMarkdown for docs/performance.md:\n")
    print("| check | result | |\n| --- | --- | --- |")
    for check in checks:
        print(f"| {check.name} | {check.detail} | {'pass' if check.passed else '**FAIL**'} |")
    return 0 if all(check.passed for check in checks) else 1


def report(check: Check) -> Check:
    print(f"{'PASS' if check.passed else 'FAIL'}  {check.name}: {check.detail}")
    return check


# --- 1. load ------------------------------------------------------------------------------

def under_load(server: Server, bodies: dict[str, Path], where: str = "") -> list[Check]:
    checks = []
    for name, path, kind in ((f"API{where}", "/api/v1/plan", "json"), (f"Plan page{where}", "/plan", "form")):
        load = run_wrk(server.base + path, LOAD_SECONDS, LOAD_CONNECTIONS, THREADS, bodies[kind],
                       CONTENT_TYPES[kind], count_status=True)
        p99 = load.p99_us / 1000
        checks.append(Check(
            f"{name} under load ({LOAD_SECONDS} s, {LOAD_CONNECTIONS} connections)",
            f"{load.requests:,} requests ({load.per_second:,.0f}/s), {load.errors} errors "
            f"({load.not_2xx} not 2xx, {load.socket_errors} socket), p99 {p99:.1f} ms",
            load.errors == 0 and p99 < P99_LIMIT_MS))
    return checks


# --- 2. a worker killed mid-load ----------------------------------------------------------

def ask_api(server: Server) -> dict[str, object]:
    request = urllib.request.Request(server.base + "/api/v1/plan", data=as_json(INTAKES[1]).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        if response.status != 200:
            raise OSError(f"answered {response.status}")
        answer: dict[str, object] = json.load(response)
        return answer


def worker_killed(server: Server, bodies: dict[str, Path]) -> Check:
    before = wait_for_workers(server, WORKERS)
    victim = before[0]
    probes, failures, replaced_after = 0, 0, None
    with ThreadPoolExecutor(max_workers=1) as pool:
        loading = pool.submit(run_wrk, server.base + "/api/v1/plan", FAULT_SECONDS, LOAD_CONNECTIONS, THREADS,
                              bodies["json"], CONTENT_TYPES["json"], True)
        time.sleep(FAULT_SECONDS / 3)
        os.kill(victim, signal.SIGKILL)
        killed = time.monotonic()
        deadline = killed + FAULT_SECONDS + 60
        while not loading.done() and time.monotonic() < deadline and probes < 10_000:
            probes += 1
            try:
                ask_api(server)
            except OSError:
                failures += 1
            if replaced_after is None and set(server.workers()) - set(before):
                replaced_after = time.monotonic() - killed
            time.sleep(0.1)
        load = loading.result(timeout=max(1.0, deadline - time.monotonic()))
    after = wait_for_workers(server, WORKERS)
    new = sorted(set(after) - set(before))
    replaced = victim not in after and bool(new)
    when = f" after {replaced_after:.2f} s" if replaced_after is not None else ""
    return Check(
        "A worker killed (SIGKILL) mid-load is replaced and the service keeps answering",
        f"killed {victim}; new worker {', '.join(map(str, new)) or 'none'}{when}; "
        f"{probes - failures}/{probes} probes after the kill answered; wrk: {load.requests:,} requests, "
        f"{load.errors} errors ({load.not_2xx} not 2xx, {load.socket_errors} socket: "
        f"the killed worker's connections)",
        replaced and probes > 0 and failures == 0)


# --- 3. a rules file corrupted on disk ----------------------------------------------------

def rules_corrupted(server: Server, rules: Path, environment: dict[str, str]) -> list[Check]:
    digest = ask_api(server)["rules_sha256"]
    screening = rules / "screening.yaml"
    text = screening.read_text()
    screening.write_text(text[: len(text) // 2])  # as a half-finished write would leave it

    # A worker started now forks from the master, which checked the rules once, at start.
    victim = wait_for_workers(server, WORKERS)[0]
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while victim in server.workers() and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = wait_for_workers(server, WORKERS)
    digests = [ask_api(server)["rules_sha256"] for _ in range(PROBES_AFTER_CORRUPTION)]
    running = Check(
        "Rules corrupted on disk while running: the service keeps its rules",
        f"{len(digests)}/{PROBES_AFTER_CORRUPTION} answers with the same rules_sha256 {str(digest)[:12]} "
        f"after the corruption and a worker restart (workers {', '.join(map(str, workers))})",
        digests == [digest] * PROBES_AFTER_CORRUPTION)

    restart = start(environment=environment)
    with contextlib.suppress(subprocess.TimeoutExpired):  # still running: a failure, reported below
        restart.process.wait(timeout=60)
    exit_code = restart.process.poll()
    stopped_with = [line for line in restart.stderr().splitlines() if re.match(r"rules/\S+\.yaml:\d+: ", line)]
    restart.stop()
    next_start = Check(
        "Rules corrupted on disk: the next start stops with file:line: message",
        f"{'exit ' + str(exit_code) if exit_code is not None else 'still running after 60 s'}; "
        f"first message: {stopped_with[0] if stopped_with else 'none'}",
        exit_code not in (None, 0) and bool(stopped_with))
    return [running, next_start]


# --- 4. the access log --------------------------------------------------------------------

def access_log_holds_no_answers(access_log: Path) -> Check:
    lines = access_log.read_text().splitlines()
    targets = [match[1] for line in lines if (match := re.search(r'"[A-Z]+ (\S+) HTTP/[\d.]+"', line))]
    words = sorted(answer_words(), key=len, reverse=True)
    answers = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, words)) + r")(?![\w-])")
    found = sorted({match for line in lines for match in answers.findall(line)})
    queries = [target for target in targets if "?" in target]
    return Check(
        "After the load, the access log holds no answers",
        f"{len(lines):,} lines, {len(targets):,} requests; query strings: {len(queries)}; "
        f"answers found: {', '.join(found) or 'none'}",
        bool(lines) and len(targets) == len(lines) and not queries and not found)


# --- 5. the same load through deploy/run: nginx in front of two instances -----------------

def proxy_main() -> int:
    """bench/load --proxy: the load runs of step 1 through nginx (deploy/run, two instances).

    wrk sends everything from one address, which the API's per-client limit would answer
    with 429; the run lifts that limit (API_RATE) to measure what the proxy costs.
    """
    print(f"Through nginx: {LOAD_SECONDS} s at {LOAD_CONNECTIONS} connections per scenario; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start.\n")
    with tempfile.TemporaryDirectory(prefix="bench-proxy-") as name:
        folder = Path(name)
        bodies = write_bodies(folder)
        port = free_port()
        env = {**os.environ, "PORT": str(port), "INSTANCES": "2", "DEPLOY_RUNTIME": str(folder / "run"),
               "RECOMMENDER_SECRET_KEY": secrets.token_urlsafe(32), "API_RATE": "100000r/s",
               "RECOMMENDER_TRUSTED_HOSTS": "127.0.0.1"}
        errors = folder / "deploy.log"
        with errors.open("wb") as sink:
            process = subprocess.Popen([str(PROJECT / "deploy" / "run")], env=env, start_new_session=True,
                                       stdout=subprocess.DEVNULL, stderr=sink)
        server = Server(process, port, errors)
        try:
            wait_until_answering(server)
            checks = [report(check) for check in under_load(server, bodies, " through nginx, 2 instances")]
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
    print("\n| check | result | |\n| --- | --- | --- |")
    for check in checks:
        print(f"| {check.name} | {check.detail} | {'pass' if check.passed else '**FAIL**'} |")
    return 0 if all(check.passed for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
