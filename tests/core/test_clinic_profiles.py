"""Clinic profiles: checked like the rules, with file and line, and narrowing that stays safe."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommender.checking.coverage import unfillable_slots
from recommender.checking.safety import broken_promises
from recommender.engine.recommending import Recommender, recommend
from recommender.loading.clinics import load_clinics
from recommender.model.intake import Intake
from recommender.model.problems import RulesError
from recommender.model.ruleset import Ruleset
from recommender.service import load_checked_clinics
from tests.conftest import PROJECT, MakeIntake
from tests.strategies import intakes

CLINICS_DIR = PROJECT / "clinics"


@pytest.fixture
def clinics_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "clinics"
    shutil.copytree(CLINICS_DIR, folder)
    return folder


def edit(folder: Path, old: str, new: str, file: str = "demo.yaml") -> int:
    """Replace `old` (which must appear exactly once) and return the line it is on."""
    path = folder / file
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} appears {text.count(old)} times in {file}"
    path.write_text(text.replace(old, new))
    return text[: text.index(old)].count("\n") + 1


def problems_of(folder: Path, rules: Ruleset) -> list[str]:
    with pytest.raises(RulesError) as raised:
        load_checked_clinics(folder, rules)
    assert str(raised.value).startswith(f"{len(raised.value.problems)} problem")
    assert "in the clinic profiles" in str(raised.value)
    return [str(problem) for problem in raised.value.problems]


def test_the_shipped_demo_clinic_loads(rules: Ruleset) -> None:
    demo = load_clinics(CLINICS_DIR, rules)["demo"]
    assert demo.profile.name == "Riverside Physiotherapy (demo)"
    assert demo.logo is not None and demo.logo.media_type == "image/svg+xml"
    assert "http://localhost:*" in demo.profile.embed_origins
    assert demo.never_prescribe == {"kettlebell-swing"}
    assert demo.profile.offer_booking_for == ("soon", "caution")


# Each broken profile: (what is written, what it becomes, the message expected on that line).
BROKEN = [
    pytest.param('accent_colour: "#5b3f8c"', 'acent_colour: "#5b3f8c"',
                 "unknown key 'acent_colour' (did you mean 'accent_colour'?)", id="misspelt-key"),
    pytest.param('accent_colour: "#5b3f8c"', 'accent_colour: "#ffd700"',
                 "accent_colour: '#ffd700' is too light for the white text on buttons (contrast 1.4:1",
                 id="pale-colour"),
    pytest.param('accent_colour: "#5b3f8c"', "accent_colour: #5b3f8c",
                 "accent_colour: put the colour in quotes", id="unquoted-colour-is-a-comment"),
    pytest.param('  - "https://clinic.example"\n', '  - "http://clinic.example"\n',
                 "embed_origins.0: 'http://clinic.example' must start with https:// "
                 "(plain http is only for localhost)", id="plain-http"),
    pytest.param('  - "https://clinic.example"\n', '  - "https://clinic.example/embed/"\n',
                 "embed_origins.0: 'https://clinic.example/embed/' is not an origin", id="origin-with-a-path"),
    pytest.param('  - "https://clinic.example"\n', '  - "https://*.clinic.example"\n',
                 "embed_origins.0: 'https://*.clinic.example': a wildcard in the host", id="host-wildcard"),
    pytest.param('  - "https://clinic.example"\n', '  - "https://clinic.example:*"\n',
                 "embed_origins.0: 'https://clinic.example:*': a port wildcard (:*) is only for localhost",
                 id="port-wildcard"),
    pytest.param('  - "https://clinic.example"\n', '  - "https://clinic.example:443"\n',
                 "embed_origins.0: 'https://clinic.example:443': leave out the default port", id="default-port"),
    pytest.param("offer_booking_for: [soon, caution]", "offer_booking_for: [soon, emergency]",
                 "offer_booking_for: a booking link is never offered for 'emergency'", id="booking-in-emergency"),
    pytest.param("never_prescribe: [kettlebell-swing]", "never_prescribe: [kettlebell-swingg]",
                 "there is no exercise 'kettlebell-swingg' (did you mean 'kettlebell-swing'?)",
                 id="unknown-exercise"),
    pytest.param("never_prescribe: [kettlebell-swing]", "never_prescribe: [cat-camel]",
                 "'cat-camel' is a stretch: only exercises can be left out", id="not-an-exercise"),
    pytest.param("never_prescribe: [kettlebell-swing]", "never_prescribe: [side-plank]",
                 "leaving out 'side-plank' leaves the slot 'intermediate-side-hold' of the intermediate tier "
                 "with nothing for a person who has no equipment", id="narrowing-empties-a-slot"),
    pytest.param("never_prescribe: [kettlebell-swing]", "never_prescribe: [kettlebell-swing, single-leg-bridge]",
                 "leaving out 'single-leg-bridge' leaves the slot 'intermediate-hips'", id="narrowing-empties-hips"),
    pytest.param("paper: A4", "paper: no", "'no' is ambiguous", id="yaml-1.1-no"),
    pytest.param("slug: demo", "slug: riverside",
                 "the file is named 'demo.yaml' but the slug is 'riverside': name the file after the slug",
                 id="slug-not-the-file-name"),
    pytest.param("logo: demo-logo.svg", "logo: missing.svg",
                 "there is no file 'missing.svg' beside the profile", id="missing-logo"),
    pytest.param("logo: demo-logo.svg", "logo: demo-logo.gif",
                 "the logo must be an .svg or .png file, not 'demo-logo.gif'", id="logo-type"),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN)
def test_a_broken_profile_names_the_file_line_and_mistake(clinics_copy: Path, rules: Ruleset,
                                                          old: str, new: str, message: str) -> None:
    line = edit(clinics_copy, old, new)
    found = problems_of(clinics_copy, rules)
    assert any(p.startswith(f"clinics/demo.yaml:{line}: {message}") for p in found), found


def test_every_problem_in_every_profile_is_reported_at_once(clinics_copy: Path, rules: Ruleset) -> None:
    shutil.copy(clinics_copy / "demo.yaml", clinics_copy / "second.yaml")
    edit(clinics_copy, "slug: demo", "slug: second", file="second.yaml")
    edit(clinics_copy, "never_prescribe: [kettlebell-swing]", "never_prescribe: [nope]", file="second.yaml")
    edit(clinics_copy, 'accent_colour: "#5b3f8c"', 'accent_colour: "#eeeeee"')
    found = problems_of(clinics_copy, rules)
    assert [p.split(":")[0] for p in found] == ["clinics/demo.yaml", "clinics/second.yaml"]


def test_a_missing_clinics_folder_stops_the_start(tmp_path: Path, rules: Ruleset) -> None:
    assert problems_of(tmp_path / "nowhere", rules) == ["nowhere: the clinics folder does not exist"]


def test_the_demo_plan_never_holds_what_the_clinic_never_prescribes(rules: Ruleset, make_intake: MakeIntake) -> None:
    intake = make_intake(experience="advanced", equipment={"kettlebell", "bench", "barbell"})
    everyone = recommend(intake, rules)
    demo = recommend(intake, rules, frozenset({"kettlebell-swing"}))
    assert everyone.plan is not None and demo.plan is not None
    advanced = {tier.tier: tier for tier in demo.plan.tiers}["advanced"]
    assert "kettlebell-swing" in {e.id for tier in everyone.plan.tiers for e in tier.exercises}
    assert "kettlebell-swing" not in {e.id for e in advanced.exercises}
    assert "hip-thrust" in {e.id for e in advanced.exercises}  # the slot's next choice
    assert len(advanced.exercises) == len(rules.plan.tiers[2].slots)


def test_screening_is_never_narrowed(rules: Ruleset, make_intake: MakeIntake) -> None:
    intake = make_intake(red_flags={"saddle_numbness"})
    assert recommend(intake, rules, frozenset({"kettlebell-swing"})).triage == recommend(intake, rules).triage


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(intake=intakes(), data=st.data())
def test_narrowing_that_passes_the_check_keeps_every_slot_filled_and_every_promise(
        intake: Intake, data: st.DataObject, rules: Ruleset, keeping_nothing: Recommender) -> None:
    exercises = sorted(e.id for e in rules.exercises.values() if e.kind == "exercise")
    never = frozenset(data.draw(st.lists(st.sampled_from(exercises), max_size=8)))
    if unfillable_slots(rules, never):
        return  # the loader refuses this profile
    result = keeping_nothing.recommend(intake, never)
    assert broken_promises(intake, result, rules) == []
    if result.plan is not None:
        designs = {design.tier: design for design in rules.plan.tiers}
        for tier in result.plan.tiers:
            assert len(tier.exercises) == len(designs[tier.tier].slots), (tier.tier, sorted(never))
            assert not never & {e.id for e in tier.exercises}


def test_the_check_finds_a_slot_left_empty_for_a_person_with_no_equipment(rules: Ruleset,
                                                                        make_intake: MakeIntake) -> None:
    never = frozenset({"single-leg-rdl", "good-morning"})
    assert {slot for _, slot, _ in unfillable_slots(rules, never)} == {
        "intermediate-hinge", "advanced-main-lift", "advanced-second-hinge"}
    plan = recommend(make_intake(experience="advanced", equipment=frozenset()), rules, never).plan
    assert plan is not None
    advanced = {tier.tier: tier for tier in plan.tiers}["advanced"]
    assert len(advanced.exercises) < len(rules.plan.tiers[2].slots)

