"""The service as the Procfile runs it: gunicorn, gthread workers, PORT from the environment."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from recommender.checking.verification import write_stamp
from recommender.service import load_checked_clinics, load_checked_rules
from tests.conftest import PROJECT, copy_of_the_clinics, copy_of_the_rules
from tests.leaks import DISTINCTIVE_API, DISTINCTIVE_FORM, leaked_answers

PROCFILE_WEB = next(line.removeprefix("web:").strip()
                    for line in (PROJECT / "Procfile").read_text().splitlines() if line.startswith("web:"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# As production runs it: a shared key from the environment; the demo clinic switched on to try it.
SERVING_ENVIRONMENT = {"RECOMMENDER_SECRET_KEY": "a test key, never used in production, 32+ bytes",
                       "RECOMMENDER_DEMO_CLINIC": "true"}


def start(port: int, **environment: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PORT": str(port), **SERVING_ENVIRONMENT, **environment}
    env = {name: value for name, value in env.items() if value}  # "" leaves a variable out
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    return subprocess.Popen(["sh", "-c", f"exec {PROCFILE_WEB}"], cwd=PROJECT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def access_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("served") / "access.log"


@contextmanager
def serving(**environment: str) -> Iterator[str]:
    """The Procfile's command, started on a free port and answering; stopped afterwards. A port
    free when probed may be taken by another test's server before gunicorn binds it: then it is
    started again on another."""
    for _ in range(3):
        port = free_port()
        process = start(port, **environment)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    said = process.communicate()[1]
                    if "Address already in use" in said:
                        break
                    raise RuntimeError(f"gunicorn did not start: {said[-2000:]}") from None
                time.sleep(0.2)
        if process.poll() is None:
            break
    else:
        raise RuntimeError("gunicorn found no free port in three tries")
    try:
        yield base
    finally:
        process.terminate()
        process.communicate(timeout=30)


@pytest.fixture(scope="module")
def served(access_log: Path) -> Iterator[str]:
    # The Procfile's command as it is, with gunicorn's access log turned on from the environment.
    with serving(GUNICORN_CMD_ARGS=f"--access-logfile {access_log}") as base:
        yield base


def test_the_procfile_serves_the_form_with_gthread_workers(served: str) -> None:
    assert "--worker-class gthread" in PROCFILE_WEB
    assert "--preload" in PROCFILE_WEB
    assert "${PORT" in PROCFILE_WEB
    with urllib.request.urlopen(served + "/", timeout=5) as response:
        assert response.status == 200
        assert "How old are you?" in response.read().decode()
        assert response.headers.get("Set-Cookie") is None


def test_the_served_api_answers_a_plan(served: str) -> None:
    body = json.dumps({"age": 30, "experience": "beginner", "pain_now": 0, "pain_duration": "none",
                       "pain_below_knee": False, "back_surgery_or_injury": False, "red_flags": [],
                       "health_flags": [], "equipment": ["mat"], "days_per_week": 2}).encode()
    request = urllib.request.Request(served + "/api/v1/plan", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.load(response)["plan"]["start_tier"] == "beginner"


def test_https_seen_through_the_local_proxy_gets_strict_transport_security(served: str) -> None:
    # gunicorn trusts X-Forwarded-Proto from --forwarded-allow-ips, by default 127.0.0.1.
    through_proxy = urllib.request.Request(served + "/", headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(through_proxy, timeout=5) as response:
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    with urllib.request.urlopen(served + "/", timeout=5) as response:
        assert response.headers["Strict-Transport-Security"] is None


def test_the_access_log_holds_no_answers(served: str, access_log: Path) -> None:
    form = urllib.parse.urlencode(DISTINCTIVE_FORM, doseq=True).encode()
    api = json.dumps(DISTINCTIVE_API).encode()
    for request in (urllib.request.Request(served + "/plan", data=form),
                    urllib.request.Request(served + "/api/v1/plan", data=api,
                                           headers={"Content-Type": "application/json"})):
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
    expected = ['"POST /plan HTTP/1.1" 200', '"POST /api/v1/plan HTTP/1.1" 200']
    deadline = time.monotonic() + 10  # each worker writes its line just after answering
    while not all(line in access_log.read_text() for line in expected) and time.monotonic() < deadline:
        time.sleep(0.1)
    logged = access_log.read_text()
    assert all(line in logged for line in expected), logged
    assert leaked_answers(logged) == []


@pytest.mark.parametrize("body", [
    b"zz\r\nage=30\r\n0\r\n\r\n",  # a size line that is not a number
    b"6\r\nage=30XX0\r\n\r\n",  # a chunk not ended by CRLF
], ids=["bad-size-line", "missing-terminator"])
def test_a_malformed_chunked_body_is_a_400_page_with_our_headers_never_a_500(served: str, body: bytes) -> None:
    port = int(served.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(b"POST /plan HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                           b"Content-Type: application/x-www-form-urlencoded\r\n\r\n" + body)
        response = http.client.HTTPResponse(connection)
        response.begin()
        page = response.read().decode()
    assert response.status == 400
    assert "The request could not be read." in page
    assert "frame-ancestors" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] is not None


def test_invalid_rules_stop_the_start_with_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "rules"
    copy_of_the_rules(broken)
    plan = broken / "plan.yaml"
    plan.write_text(plan.read_text().replace("choose_first_of: [dead-bug]", "choose_first_of: [dead-bugg]"))
    process = start(free_port(), RECOMMENDER_RULES_DIR=str(broken))
    _, errors = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "rules/plan.yaml:" in errors
    assert "there is no exercise 'dead-bugg' (did you mean 'dead-bug'?)" in errors


def test_on_hup_edited_rules_are_served_if_they_pass_and_broken_ones_are_logged_while_the_old_serve(
        tmp_path: Path) -> None:
    rules = copy_of_the_rules(tmp_path / "rules")
    log = tmp_path / "error.log"
    clinics = copy_of_the_clinics(tmp_path / "clinics")
    with serving(RECOMMENDER_RULES_DIR=str(rules), RECOMMENDER_CLINICS_DIR=str(clinics),
                 GUNICORN_CMD_ARGS=f"--error-logfile {log}") as base:
        master = int(next(line for line in log.read_text().splitlines() if "Listening at" in line)
                     .rsplit("(", 1)[1].rstrip(")"))
        intake = rules / "intake.yaml"
        intake.write_text(intake.read_text().replace('"How old are you?"', '"How old are you today?"'))
        # As `recommender rules check` stamps rules that keep every promise (a label cannot
        # break one): the reload then needs no 25 s proof.
        ruleset = load_checked_rules(rules)
        profiles = load_checked_clinics(clinics, ruleset)
        write_stamp(rules, ruleset, [clinic.never_prescribe for clinic in profiles.values()])
        os.kill(master, signal.SIGHUP)
        assert eventually(lambda: "How old are you today?" in page(base + "/")), log.read_text()[-2000:]
        plan = rules / "plan.yaml"
        plan.write_text(plan.read_text().replace("choose_first_of: [dead-bug]", "choose_first_of: [dead-bugg]"))
        os.kill(master, signal.SIGHUP)
        assert eventually(lambda: "Rules not reloaded" in log.read_text())
        logged = log.read_text()
        assert "rules/plan.yaml:" in logged
        assert "there is no exercise 'dead-bugg' (did you mean 'dead-bug'?)" in logged
        assert "How old are you today?" in page(base + "/")


def page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode())


def eventually(condition: Callable[[], bool], seconds: float = 30) -> bool:
    """Whether `condition` holds within `seconds` (a reload forks new workers: not at once)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_the_procfile_without_a_key_refuses_to_start_and_says_what_to_set() -> None:
    process = start(free_port(), RECOMMENDER_SECRET_KEY="", RECOMMENDER_DEVELOPMENT="")
    _, errors = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "RECOMMENDER_SECRET_KEY must be set to a secret string of at least 32 bytes" in errors


def test_the_procfile_with_a_numeric_key_refuses_to_start_rather_than_answer_500() -> None:
    process = start(free_port(), RECOMMENDER_SECRET_KEY="12345")
    _, errors = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "RECOMMENDER_SECRET_KEY must be set" in errors
