"""The built wheel is the whole service: installed outside the checkout, it answers a plan."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PROJECT

SHIPPED_FOLDERS = ("rules", "clinics", "templates", "static")
DATA = "lower-back-recommender"

# Run by the installed wheel's Python, in a folder far from the checkout.
USE_THE_INSTALLED_PACKAGE = """
import json
import recommender
from recommender import create_app, open_service
from recommender.model.intake import Intake

answers = {"age": 42, "experience": "beginner", "pain_now": 0, "pain_duration": "none",
           "pain_below_knee": False, "back_surgery_or_injury": False, "red_flags": [],
           "health_flags": [], "equipment": ["mat"], "days_per_week": 3}
app = create_app({"TESTING": True})
response = app.test_client().post("/api/v1/plan", json=answers)
page = app.test_client().get("/")
library = open_service().recommend(Intake.model_validate_json(json.dumps(answers)))
print(json.dumps({"package": recommender.__file__, "rules": app.config["RULES_DIR"],
                  "status": response.status_code, "plan": response.get_json()["plan"]["start_tier"],
                  "page": page.status_code, "library": library.plan.start_tier if library.plan else None}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # No build isolation: the test environment has the build backend, so no network is needed.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(out), str(PROJECT)], check=True, capture_output=True, text=True)
    [built] = out.glob("*.whl")
    return built


def test_every_file_of_the_shipped_folders_is_in_the_wheel(wheel: Path) -> None:
    tracked = subprocess.run(["git", "ls-files", *SHIPPED_FOLDERS], cwd=PROJECT, check=True,
                             capture_output=True, text=True).stdout.split()
    assert len(tracked) > 30
    with zipfile.ZipFile(wheel) as archive:
        data = {name.split(f".data/data/share/{DATA}/", 1)[1] for name in archive.namelist()
                if f".data/data/share/{DATA}/" in name}
        assert any(name.endswith("licenses/LICENSE") for name in archive.namelist())
    assert set(tracked) <= data


def test_the_wheel_installed_in_a_fresh_venv_outside_the_checkout_serves_a_plan(
        wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    str(wheel)], check=True, capture_output=True, text=True)
    # The dependencies come from the test environment (a path after the venv's own, so the
    # checkout's editable install is not among them); the package itself only from the wheel.
    site_packages = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                        check=True, capture_output=True, text=True).stdout.strip())
    (site_packages / "test-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {name: value for name, value in os.environ.items() if not name.startswith(("RECOMMENDER_", "PYTHON"))}
    run = subprocess.run([str(python), "-c", USE_THE_INSTALLED_PACKAGE], cwd=elsewhere, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.splitlines()[-1])
    assert result["package"].startswith(str(venv))
    assert result["rules"] == str(venv / "share" / DATA / "rules")
    assert (result["status"], result["plan"], result["page"], result["library"]) == (200, "beginner", 200, "beginner")
