"""The production shape as deploy/run starts it: nginx in front of two gunicorn instances.

Every request goes to 127.0.0.1 or to the instances' unix sockets; every loop is bounded in
count and time. The latency bounds are the ones the service promises under these faults.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import PROJECT
from tests.test_serving import free_port
from tests.web.conftest import FORM_BASELINE

pytestmark = pytest.mark.skipif(shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
                                reason="needs nginx (scripts/_setup.sh installs it with apt as root)")

KEY = "a deploy test key, never used in production"
TRUSTED_HOSTS = "127.0.0.1,localhost"
FORM = urllib.parse.urlencode(FORM_BASELINE).encode()
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}


class UnixConnection(http.client.HTTPConnection):
    """HTTP to one instance directly, on its unix socket."""

    def __init__(self, path: Path, timeout: float = 10) -> None:
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(str(self.path))


@dataclass
class Deployment:
    process: subprocess.Popen[bytes]
    port: int
    runtime: Path
    tls_port: int | None = None

    def connection(self, timeout: float = 10) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def socket_of(self, instance: int) -> Path:
        return self.runtime / f"instance-{instance}.sock"

    def pids(self) -> list[int]:
        """Every process deploy/run started: the instances' masters and workers, and nginx."""
        masters = [int((self.runtime / name).read_text()) for name in ("instance-1.pid", "instance-2.pid",
                                                                        "nginx.pid")
                   if (self.runtime / name).exists()]
        return [pid for master in masters for pid in (master, *children(master))]


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def request(connection: http.client.HTTPConnection, method: str, path: str,
            body: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, bytes, float]:
    started = time.monotonic()
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), time.monotonic() - started
    finally:
        connection.close()


def answers_token(page: bytes) -> str:
    found = re.search(rb'name="answers" value="([^"]+)"', page)
    assert found is not None, "the plan page carries the sealed answers"
    return found[1].decode()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for localhost, as deploy/README.md makes one."""
    certificate, key = folder / "localhost.crt", folder / "localhost.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out",
                    str(certificate)], check=True, capture_output=True, timeout=60)
    return certificate, key


def _as_from_a_terminal() -> None:
    """Ctrl+C and TERM reach deploy/run as they would from a person's terminal, whatever the
    test process has done with them: a signal ignored when a shell starts can never be trapped
    by it, and a blocked one is held (the test runner's processes may have done either)."""
    for stopping in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stopping, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def start_deployment(runtime: Path, instances: int = 2, tls: tuple[Path, Path] | None = None) -> Deployment:
    port = free_port()
    environment = {**os.environ, "PORT": str(port), "INSTANCES": str(instances), "DEPLOY_RUNTIME": str(runtime),
                   "RECOMMENDER_SECRET_KEY": KEY, "RECOMMENDER_TRUSTED_HOSTS": TRUSTED_HOSTS}
    tls_port = None
    if tls is not None:
        tls_port = free_port()
        environment |= {"TLS_PORT": str(tls_port), "TLS_CERT": str(tls[0]), "TLS_KEY": str(tls[1])}
    # Its own session, so that whatever happens the test can stop what it started. What it says
    # goes to a file: a pipe no one reads while it runs would fill, and nginx would stop to wait.
    # Appended to, as supervisord opens /dev/stderr again for itself and the processes it runs.
    with (runtime / "deploy-run.log").open("ab") as said:
        process = subprocess.Popen([str(PROJECT / "deploy" / "run")], env=environment, start_new_session=True,
                                   stdout=subprocess.DEVNULL, stderr=said, preexec_fn=_as_from_a_terminal)
    deployment = Deployment(process, port, runtime, tls_port)
    deadline = time.monotonic() + 90
    while True:
        try:
            if request(deployment.connection(timeout=2), "GET", "/healthz")[0] == 200:
                return deployment
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"deploy/run did not start: {stop(deployment)[-3000:]}")
        time.sleep(0.2)


def stop(deployment: Deployment) -> str:
    """Ctrl+C, as a person would stop it; anything left after 30 s is killed. Returns what it
    wrote to stderr."""
    if deployment.process.poll() is None:
        deployment.process.send_signal(signal.SIGINT)
    try:
        deployment.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(deployment.process.pid, signal.SIGKILL)
        deployment.process.wait(timeout=10)
    return (deployment.runtime / "deploy-run.log").read_text(errors="replace")


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    runtime = tmp_path_factory.mktemp("deploy")
    deployment = start_deployment(runtime, tls=self_signed_certificate(runtime))
    try:
        yield deployment
    finally:
        stop(deployment)


def healthz_seconds(deployment: Deployment) -> float:
    status, _, seconds = request(deployment.connection(timeout=5), "GET", "/healthz")
    assert status == 200
    return seconds


def test_with_64_half_open_connections_healthz_still_answers_within_a_second(deployed: Deployment) -> None:
    idle = []
    try:
        for _ in range(64):
            held = socket.create_connection(("127.0.0.1", deployed.port), timeout=5)
            held.sendall(b"POST /plan HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n")
            idle.append(held)
        time.sleep(0.5)  # the held connections are now waiting for the rest of their headers
        assert max(healthz_seconds(deployed) for _ in range(5)) < 1
    finally:
        for held in idle:
            held.close()


def test_2000_slow_senders_from_one_address_leave_healthz_answering_within_a_second(deployed: Deployment) -> None:
    # Each sends its headers, then its body a byte every 2 s: client_body_timeout alone never
    # ends that. They come from 127.0.0.2, so that /healthz, from 127.0.0.1, is another client.
    slow = []
    try:
        for _ in range(2000):
            held = socket.socket()
            slow.append(held)
            held.settimeout(5)
            held.bind(("127.0.0.2", 0))
            held.connect(("127.0.0.1", deployed.port))
            held.sendall(b"POST /plan HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n"
                         b"Content-Type: application/x-www-form-urlencoded\r\n\r\na")
        for _ in range(2):
            time.sleep(2)
            for held in slow:
                with contextlib.suppress(OSError):  # refused and closed already
                    held.send(b"a")
        assert max(healthz_seconds(deployed) for _ in range(5)) < 1
        answers = [first_bytes(held) for held in slow]
    finally:
        for held in slow:
            held.close()
    refused = sum(answer.startswith(b"HTTP/1.1 429") for answer in answers)
    still_sending = answers.count(b"")
    assert still_sending <= 64, "one address holds at most 64 requests in progress"
    assert refused >= 2000 - 64


def first_bytes(held: socket.socket) -> bytes:
    """What the proxy has answered on a connection so far (nothing yet: b"")."""
    held.setblocking(False)
    try:
        return held.recv(64)
    except BlockingIOError:
        return b""
    except OSError:
        return b"(reset)"


@pytest.mark.parametrize(("path", "headers", "status", "says"), [
    ("/" + "a" * 4500, {}, 414, b"The address is too long"),
    ("/" + "a" * 9000, {}, 414, b"The address is too long"),
    ("/", {"X-Large": "a" * 5000}, 431, b"The request is too large"),
], ids=["line-over-4k", "line-over-gunicorns-8k", "header-over-4k"])
def test_a_request_too_large_to_read_gets_our_own_page_with_the_security_headers(
        deployed: Deployment, path: str, headers: dict[str, str], status: int, says: bytes) -> None:
    connection = deployed.connection()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    page = response.read()
    connection.close()
    assert response.status == status
    assert says in page
    assert "frame-ancestors" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Server"] is None


def test_what_the_proxy_passes_on_is_within_what_the_instances_read(deployed: Deployment) -> None:
    # Just under nginx's limits: a 4 KB line and 300 header fields reach the service's own pages,
    # never gunicorn's bare 400 or 414 (whose defaults are 4,094 bytes and 100 fields).
    connection = deployed.connection()
    connection.request("GET", "/exercises/" + "a" * 4000, headers={f"X-Field-{n}": "1" for n in range(300)})
    response = connection.getresponse()
    page = response.read()
    connection.close()
    assert response.status == 404
    assert b"There is no page at this address." in page


def test_a_malformed_chunked_body_through_the_proxy_is_a_400_page_with_the_security_headers(
        deployed: Deployment) -> None:
    with socket.create_connection(("127.0.0.1", deployed.port), timeout=10) as connection:
        connection.sendall(b"POST /plan HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                           b"Content-Type: application/x-www-form-urlencoded\r\n\r\nzz\r\nage=30\r\n0\r\n\r\n")
        response = http.client.HTTPResponse(connection)
        response.begin()
        page = response.read()
    assert response.status == 400
    assert b"The request could not be read" in page
    assert "frame-ancestors" in response.headers["Content-Security-Policy"]


def test_of_32_pdfs_at_once_the_excess_is_refused_quickly_while_healthz_answers_within_a_second(
        deployed: Deployment) -> None:
    status, page, _ = request(deployed.connection(), "POST", "/plan", FORM, FORM_HEADERS)
    assert status == 200
    body = urllib.parse.urlencode({"answers": answers_token(page)}).encode()

    def pdf() -> tuple[int, bytes, float]:
        return request(deployed.connection(timeout=120), "POST", "/plan.pdf", body, FORM_HEADERS)

    with ThreadPoolExecutor(max_workers=32) as pool:
        pending = [pool.submit(pdf) for _ in range(32)]
        health = [healthz_seconds(deployed) for _ in range(5)]
        answers = [future.result(timeout=180) for future in pending]
    statuses = sorted(status for status, _, _ in answers)
    refused = [(status, seconds) for status, _, seconds in answers if status != 200]
    assert set(statuses) <= {200, 429, 503}, statuses
    assert 200 in statuses, "some PDFs are made"
    assert refused, "not all 32 are rendered at once"
    assert max(seconds for _, seconds in refused) < 1, refused
    assert max(health) < 1, health


def test_the_refusal_says_when_to_try_again_and_carries_the_security_headers(deployed: Deployment) -> None:
    connection = deployed.connection()
    body = urllib.parse.urlencode({"answers": "x"}).encode()
    for _ in range(20):  # over the PDF limit (1 a second, 3 more at once) within the first few
        connection.request("POST", "/plan.pdf", body=body, headers=FORM_HEADERS)
        response = connection.getresponse()
        response.read()
        if response.status == 429:
            break
    connection.close()
    assert response.status == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors" in response.headers["Content-Security-Policy"]
    assert response.headers["Server"] is None


def test_deploy_run_refuses_to_start_without_our_public_origin_and_says_what_to_set(tmp_path: Path) -> None:
    environment = {name: value for name, value in os.environ.items()
                   if name not in {"RECOMMENDER_PUBLIC_BASE_URL", "RECOMMENDER_TRUSTED_HOSTS", "ANY_HOST"}}
    finished = subprocess.run([str(PROJECT / "deploy" / "run")], capture_output=True, text=True, timeout=30,
                              env={**environment, "RECOMMENDER_SECRET_KEY": KEY, "DEPLOY_RUNTIME": str(tmp_path)})
    assert finished.returncode != 0
    assert "set RECOMMENDER_PUBLIC_BASE_URL" in finished.stderr
    assert "RECOMMENDER_TRUSTED_HOSTS" in finished.stderr
    assert "ANY_HOST=1" in finished.stderr


def test_a_deploy_whose_instances_cannot_start_is_given_up_and_says_why(tmp_path: Path) -> None:
    # The instances refuse a weak key; supervisord tries the start once more (START_RETRIES; 3 by
    # default, each a second later than the last), then gives up.
    finished = subprocess.run([str(PROJECT / "deploy" / "run")], capture_output=True, text=True, timeout=120,
                              env={**os.environ, "RECOMMENDER_SECRET_KEY": "a" * 40, "INSTANCES": "1",
                                   "START_RETRIES": "1",
                                   "RECOMMENDER_TRUSTED_HOSTS": TRUSTED_HOSTS, "PORT": str(free_port()),
                                   "DEPLOY_RUNTIME": str(tmp_path)})
    assert finished.returncode != 0
    assert "RECOMMENDER_SECRET_KEY is too easy to guess" in finished.stderr
    assert "deploy/run: instance 1 did not start (see the messages above)" in finished.stderr


def test_a_same_origin_post_on_a_port_of_our_own_through_the_proxy_is_accepted(deployed: Deployment) -> None:
    # nginx passes the browser's Host with its port, so the Origin the browser sends matches it.
    status, page, _ = request(deployed.connection(), "POST", "/plan", FORM,
                              {**FORM_HEADERS, "Origin": f"http://127.0.0.1:{deployed.port}",
                               "Sec-Fetch-Site": "same-origin"})
    assert status == 200, page[:300]
    status, _, _ = request(deployed.connection(), "POST", "/plan", FORM,
                           {**FORM_HEADERS, "Origin": "http://127.0.0.1:1", "Sec-Fetch-Site": "same-site"})
    assert status == 403


@pytest.mark.parametrize("path", ["/", "/exercises//dead-bug", "/exercises/dead-bug"])
def test_a_forged_host_through_the_proxy_never_reaches_a_page_or_a_redirect(deployed: Deployment, path: str) -> None:
    status, body, _ = request(deployed.connection(), "GET", path, headers={"Host": "evil.example"})
    assert status == 400
    assert b"evil.example" not in body


def test_through_the_proxy_a_redirect_stays_on_our_origin_and_host_names_are_read_without_case(
        deployed: Deployment) -> None:
    connection = deployed.connection()
    connection.request("GET", "/exercises//dead-bug", headers={"Host": f"LOCALHOST:{deployed.port}"})
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 308
    assert response.headers["Location"] == "/exercises/dead-bug"


def test_no_response_through_the_proxy_names_the_server(deployed: Deployment) -> None:
    connection = deployed.connection()
    connection.request("GET", "/")
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 200
    assert response.headers["Server"] is None


def https_get(deployment: Deployment, path: str) -> http.client.HTTPResponse:
    assert deployment.tls_port is not None
    context = ssl.create_default_context(cafile=str(deployment.runtime / "localhost.crt"))
    connection = http.client.HTTPSConnection("localhost", deployment.tls_port, timeout=10, context=context)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_https_ends_at_the_proxy_and_every_answer_there_carries_hsts(deployed: Deployment) -> None:
    for path, status in [("/", 200), ("/static/style.css", 200), ("/nowhere", 404)]:
        response = https_get(deployed, path)
        assert response.status == status
        assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains", path
    plain = deployed.connection()
    plain.request("GET", "/")
    assert plain.getresponse().headers["Strict-Transport-Security"] is None
    plain.close()


def test_static_files_under_fingerprinted_names_are_cached_for_a_year_and_compressed(deployed: Deployment) -> None:
    connection = deployed.connection()
    connection.request("GET", "/", headers={"Accept-Encoding": "gzip"})
    page = connection.getresponse().read().decode()
    connection.close()
    found = re.search(r'href="(/static/style\.[0-9a-f]{12}\.css)"', page)
    assert found is not None, "pages link the stylesheet under a fingerprinted name"
    connection = deployed.connection()
    connection.request("GET", found[1], headers={"Accept-Encoding": "gzip"})
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "gzip"


def test_a_token_made_by_one_instance_is_accepted_by_the_other(deployed: Deployment) -> None:
    status, page, _ = request(UnixConnection(deployed.socket_of(1)), "POST", "/plan", FORM, FORM_HEADERS)
    assert status == 200
    body = urllib.parse.urlencode({"answers": answers_token(page)}).encode()
    status, resource, _ = request(UnixConnection(deployed.socket_of(2)), "POST", "/plan/fhir", body, FORM_HEADERS)
    assert status == 200
    assert json.loads(resource)["resourceType"] == "QuestionnaireResponse"


def test_with_one_instance_killed_under_load_requests_go_on_succeeding_within_a_second(
        deployed: Deployment) -> None:
    results: list[tuple[float, int]] = []
    stop_at = time.monotonic() + 4

    def keep_asking() -> None:
        for _ in range(2000):  # bounded in count as well as in time
            if time.monotonic() > stop_at:
                return
            try:
                status = request(deployed.connection(timeout=5), "GET", "/")[0]
            except (OSError, http.client.HTTPException):  # cut off mid-answer by the kill
                status = 0
            results.append((time.monotonic(), status))

    load = [threading.Thread(target=keep_asking) for _ in range(4)]
    for thread in load:
        thread.start()
    time.sleep(1)
    master = int((deployed.runtime / "instance-1.pid").read_text())
    for pid in (*children(master), master):
        os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()
    for thread in load:
        thread.join(timeout=30)
    after = [status for at, status in results if at > killed_at + 1]
    assert not alive(master)
    assert len(after) >= 10, "the load went on after the kill"
    assert set(after) == {200}, sorted(set(after))


def test_a_killed_instance_is_started_again_and_serves_within_5_seconds(deployed: Deployment) -> None:
    master = int((deployed.runtime / "instance-2.pid").read_text())
    for pid in (*children(master), master):
        os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()
    while not serves_again(deployed, 2, master) and time.monotonic() < killed_at + 5:
        time.sleep(0.1)
    assert not alive(master)
    assert serves_again(deployed, 2, master), "a new instance 2 answers within 5 s of the kill"


def serves_again(deployment: Deployment, instance: int, killed_master: int) -> bool:
    """Whether a new master for this instance, not the killed one, answers /healthz on its socket."""
    try:
        started = int((deployment.runtime / f"instance-{instance}.pid").read_text())
        healthy = request(UnixConnection(deployment.socket_of(instance), timeout=1), "GET", "/healthz")[0] == 200
    except (OSError, ValueError, http.client.HTTPException):
        return False
    return started != killed_master and healthy


def test_ctrl_c_stops_nginx_and_every_instance(tmp_path: Path) -> None:
    deployment = start_deployment(tmp_path, instances=2)
    started = deployment.pids()
    assert len(started) >= 2 + 2 * 2  # nginx's master, two instances' masters and their workers
    # Which signals deploy/run ignores and blocks, to say why if Ctrl+C does not stop it.
    status = Path(f"/proc/{deployment.process.pid}/status").read_text()
    signals = [line for line in status.splitlines() if line.startswith(("SigIgn", "SigBlk"))]
    said = stop(deployment)
    assert deployment.process.returncode == 0, (signals, said[-1500:])
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in started if alive(pid)] == []
