"""Start the service exactly as the Procfile does, watch its workers, and load it with wrk.

Shared by bench/bench.py (the benchmark) and bench/load.py (load and fault runs). Everything
here talks to 127.0.0.1 only, and every wait has a deadline.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
PROCFILE_WEB = next(line.removeprefix("web:").strip()
                    for line in (PROJECT / "Procfile").read_text().splitlines() if line.startswith("web:"))
START_TIMEOUT = 60.0


def floor_command() -> str:
    """The Procfile's command with the app swapped for bench/floor.py: same gunicorn settings."""
    command, app = PROCFILE_WEB.rsplit(maxsplit=1)
    if "create_app" not in app:
        raise SystemExit(f"The Procfile's web command no longer ends with the app ({app}); update bench/serving.py.")
    # The floor has no rules to reload on HUP: it leaves out the hook that would import the app.
    return f"{command.replace('--config python:recommender.web.app.master ', '')} floor:app"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    stderr_path: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def workers(self) -> list[int]:
        """The pids of the gunicorn workers: the master's child processes."""
        children = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    status = (entry / "status").read_text()
                except OSError:
                    continue  # the process ended while we looked
                if f"\nPPid:\t{self.process.pid}\n" in status:
                    children.append(int(entry.name))
        return sorted(children)

    def stop(self) -> None:
        """Stop gunicorn (gracefully, then by force) and remove its error log: read it before."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.stderr_path.unlink(missing_ok=True)


def start(command: str = PROCFILE_WEB, environment: dict[str, str] | None = None, port: int | None = None) -> Server:
    """Run `command` as the Procfile would (through sh, PORT set), from the project folder."""
    port = port or free_port()
    # Local runs: a temporary key unless RECOMMENDER_SECRET_KEY is set.
    env = {**os.environ, "PORT": str(port), "RECOMMENDER_DEVELOPMENT": "1", **(environment or {})}
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    errors = Path(tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")[1])
    with errors.open("wb") as sink:
        process = subprocess.Popen(["sh", "-c", f"exec {command}"], cwd=PROJECT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=sink)
    return Server(process, port, errors)


def wait_until_answering(server: Server, timeout: float = START_TIMEOUT, poll: float = 0.005) -> float:
    """Seconds until GET / first answers 200; raises if the server stops or the time runs out."""
    started = time.perf_counter()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {server.process.returncode}):\n{server.stderr()[-3000:]}")
        try:
            with urllib.request.urlopen(server.base + "/", timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:  # not listening yet, or not yet answering 200
            pass
        time.sleep(poll)
    raise RuntimeError(f"the server did not answer within {timeout:.0f} s")


def wait_for_workers(server: Server, count: int, timeout: float = 30.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers = server.workers()
        if len(workers) >= count:
            return workers
        time.sleep(0.05)
    raise RuntimeError(f"expected {count} workers, found {server.workers()}")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pids: list[int]) -> float:
    """The user and system CPU time the processes `pids` have used so far, in seconds."""
    used = 0
    for pid in pids:
        # The fields after the command's name, which is in parentheses and may hold spaces:
        # utime and stime are the 14th and 15th of the whole line.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        used += int(fields[11]) + int(fields[12])
    return used / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Load:
    """What wrk measured (bench/wrk.lua prints it as JSON)."""

    requests: int
    duration_us: int
    bytes: int
    connect_errors: int
    read_errors: int
    write_errors: int
    timeouts: int
    status_4xx_5xx: int
    not_2xx: int
    p50_us: int
    p99_us: int
    max_us: int

    @property
    def per_second(self) -> float:
        return self.requests / (self.duration_us / 1e6)

    @property
    def socket_errors(self) -> int:
        return self.connect_errors + self.read_errors + self.write_errors + self.timeouts

    @property
    def errors(self) -> int:
        return self.socket_errors + max(self.status_4xx_5xx, self.not_2xx)


def run_wrk(url: str, seconds: int, connections: int, threads: int = 2, bodies: Path | None = None,
            content_type: str = "", count_status: bool = False) -> Load:
    """Load `url` for `seconds` with wrk from a second process; POST the lines of `bodies` if given."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("load only this machine's own service")
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
               "-s", str(BENCH / "wrk.lua"), url]
    if bodies is not None:
        command += ["--", str(bodies), content_type, str(threads)]
    env = {**os.environ, "BENCH_COUNT_STATUS": "1" if count_status else "0"}
    run = subprocess.run(command, capture_output=True, text=True, env=env, timeout=seconds + 60, check=False)
    results = [line for line in run.stdout.splitlines() if line.startswith("{")]
    if run.returncode != 0 or not results:
        raise RuntimeError(f"wrk failed ({run.returncode}): {run.stderr or run.stdout}")
    return Load(**json.loads(results[-1]))


def send_each(server: Server, path: str, bodies: list[str], content_type: str, connections: int = 8) -> tuple[int, int]:
    """POST every one of `bodies` exactly once, over `connections` kept-alive connections:
    (answered 2xx, answered otherwise or not at all). For a count that must be exact, which a
    timed wrk run cannot give."""
    counts = [0, 0]
    lock = threading.Lock()

    def send(share: list[str]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        ok = failed = 0
        for body in share:
            try:
                connection.request("POST", path, body.encode(), {"Content-Type": content_type})
                response = connection.getresponse()
                response.read()
                ok, failed = (ok + 1, failed) if 200 <= response.status < 300 else (ok, failed + 1)
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()  # opened again by the next request
        connection.close()
        with lock:
            counts[0] += ok
            counts[1] += failed

    senders = [threading.Thread(target=send, args=(bodies[i::connections],)) for i in range(connections)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    return counts[0], counts[1]
