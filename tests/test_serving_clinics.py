"""A broken clinic profile stops the deploy, like broken rules do (gunicorn --preload)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import PROJECT
from tests.test_serving import free_port, start


def test_an_invalid_clinic_profile_stops_the_start_with_file_and_line(tmp_path: Path) -> None:
    clinics = tmp_path / "clinics"
    shutil.copytree(PROJECT / "clinics", clinics)
    profile = clinics / "demo.yaml"
    text, origin = profile.read_text(), '  - "https://clinic.example"\n'
    line = text[: text.index(origin)].count("\n") + 1
    profile.write_text(text.replace(origin, '  - "http://clinic.example"\n'))
    process = start(free_port(), RECOMMENDER_CLINICS_DIR=str(clinics))
    _, errors = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "1 problem in the clinic profiles" in errors
    assert f"clinics/demo.yaml:{line}: embed_origins.0: 'http://clinic.example' must start with https://" in errors
