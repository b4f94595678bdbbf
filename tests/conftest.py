from __future__ import annotations

import fcntl
import os
import pickle
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from recommender.checking.verification import Verification, verify
from recommender.engine.recommending import Recommender
from recommender.loading.clinics import load_clinics
from recommender.loading.rules import load_ruleset
from recommender.model.intake import Intake
from recommender.model.ruleset import Ruleset

PROJECT = Path(__file__).resolve().parent.parent
RULES_DIR = PROJECT / "rules"

# A person with no pain, no flags and no equipment; each test changes only what it is about.
BASELINE: dict[str, Any] = {
    "age": 35,
    "experience": "none",
    "pain_now": 0,
    "pain_duration": "none",
    "pain_below_knee": False,
    "back_surgery_or_injury": False,
    "red_flags": frozenset(),
    "health_flags": frozenset(),
    "equipment": frozenset(),
    "days_per_week": 3,
}

MakeIntake = Callable[..., Intake]


def copy_of_the_rules(folder: Path, *, every_language: bool = False) -> Path:
    """A copy of the shipped rules for a test to change, at `folder`. Unless `every_language`, in
    English only: a test of what the rules decide changes the English alone, which the other
    languages' words files would then no longer match (tests/core/test_languages.py checks that
    they must)."""
    shutil.copytree(RULES_DIR, folder)
    if not every_language:
        manifest = folder / "ruleset.yaml"
        manifest.write_text(re.sub(r"^languages: .*$", 'languages: ["en"]', manifest.read_text(), flags=re.M))
        for other in load_ruleset(RULES_DIR).manifest.languages[1:]:
            shutil.rmtree(folder / other)
    return folder


def copy_of_the_clinics(folder: Path) -> Path:
    """The shipped clinic profiles, at `folder`, offering whatever languages the rules speak: to
    serve beside an English-only `copy_of_the_rules`, which the profiles' lists would name
    languages it lacks."""
    shutil.copytree(PROJECT / "clinics", folder)
    for profile in folder.glob("*.yaml"):
        profile.write_text(re.sub(r"^languages: .*\n", "", profile.read_text(), flags=re.M))
    return folder


@pytest.fixture(scope="session")
def rules() -> Ruleset:
    return load_ruleset(RULES_DIR)


@pytest.fixture(scope="session")
def keeping_nothing(rules: Ruleset) -> Recommender:
    """Recommendations exactly as `recommend` gives them, keeping nothing from one person to the
    next, with the rules compiled once a run rather than on every call: for the property tests
    that ask thousands of generated people."""
    return Recommender(rules, caching=False)


def shipped_narrowings() -> list[frozenset[str]]:
    """What the shipped clinic profiles leave out of their plans, as the exhaustive check reads them."""
    return [clinic.never_prescribe for clinic in load_clinics(PROJECT / "clinics", load_ruleset(RULES_DIR)).values()]


@pytest.fixture(scope="session")
def shipped_proof(rules: Ruleset, tmp_path_factory: pytest.TempPathFactory) -> Verification:
    """The exhaustive check of the shipped rules with the shipped clinics' narrowing, exactly as
    `recommender rules check` runs it: about 40 s, so worked out once a run and read by every
    test about the shipped rules' proof."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return verify(rules, shipped_narrowings())
    # Each xdist worker has a session of its own: the first to need the proof works it out and
    # leaves it in the run's temporary folder (the workers' common parent) for the others.
    shared = tmp_path_factory.getbasetemp().parent / "shipped-proof.pickle"
    with shared.with_suffix(".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not shared.exists():
            shared.write_bytes(pickle.dumps(verify(rules, shipped_narrowings())))
        proof = pickle.loads(shared.read_bytes())
    assert isinstance(proof, Verification)
    return proof


@pytest.fixture
def make_intake() -> MakeIntake:
    def make(**changes: Any) -> Intake:
        answers = {**BASELINE, **changes}
        for name in ("red_flags", "health_flags", "equipment"):
            answers[name] = frozenset(answers[name])
        return Intake(**answers)

    return make
