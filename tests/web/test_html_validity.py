"""Every page is valid HTML, as the W3C Nu validator (the npm package vnu-jar) reads it.

scripts/test installs the validator into .cache/vnu when it is missing; it runs on Java 17+.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from tests.conftest import PROJECT
from tests.web.conftest import FORM_BASELINE, TWO_GOOD_WEEKS_FORM

VNU_JAR = PROJECT / ".cache" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# A run of a few seconds ends before Java's optimising compiler pays for itself: its quick
# compiler alone takes half the time. Its frames are larger, so the validator's deep walk of
# the HTML schema is given a larger stack than the 512 KB it asks for (without one it stops
# with a StackOverflowError at the first fault it meets).
JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-Xss4m"]

# A page with one known fault, checked with ours: the validator must find it, so a validator
# that checked nothing cannot pass our pages.
KNOWN_FAULT = '<!doctype html><html lang="en"><head><title>Fault</title></head><body><p>Text</div></body></html>'

# A plan page for each triage level, and the form as it is sent to be answered.
LEVEL_ANSWERS: dict[str, dict[str, Any]] = {
    "emergency": {"red_flags": ["saddle_numbness"], "no_red_flags": None},
    "same_day": {"red_flags": ["worsening_leg_weakness"], "no_red_flags": None},
    "urgent": {"red_flags": ["cancer_history"], "no_red_flags": None, "pain_now": "2",
               "pain_duration": "6_to_12_weeks"},
    "soon": {"red_flags": ["morning_stiffness"], "no_red_flags": None},
    "soon_health_gate": {"health_flags": ["heart_condition"], "no_health_flags": None},
    "caution": {"pain_now": "2", "pain_duration": "under_6_weeks"},
    "clear": {},
    "clear_advanced_full_gym_4_days": {
        "experience": "advanced", "days_per_week": "4",
        "equipment": ["mat", "stability_ball", "bosu", "dowel", "bench", "back_extension_bench",
                      "reverse_hyper", "resistance_band", "kettlebell", "dumbbells", "barbell", "power_rack"],
    },
}


def pages(client: FlaskClient) -> dict[str, tuple[int, str]]:
    """Every page a person can see, by name: (status, HTML)."""
    def answered(changes: dict[str, Any]) -> dict[str, Any]:
        return {name: value for name, value in {**FORM_BASELINE, **changes}.items() if value is not None}

    responses = {
        "form": client.get("/"),
        "form_with_errors": client.post("/plan", data={"age": "9", "red_flags": ["saddle_numbness"],
                                                       "no_red_flags": "y"}),
        "form_with_nothing_answered": client.post("/plan", data={}),
        **{f"plan_{level}": client.post("/plan", data=answered(changes))
           for level, changes in LEVEL_ANSWERS.items()},
        "plan_emergency_so_far": client.post("/plan/so-far", data={
            **answered(LEVEL_ANSWERS["emergency"]), "asked": ["age", "experience", "pain_now", "pain_duration",
                                                              "pain_below_knee", "back_surgery_or_injury",
                                                              "red_flags"]}),
        "api": client.get("/api"),
        "embed_form": client.get("/embed/demo"),
        "embed_plan": client.post("/embed/demo/plan", data=answered(LEVEL_ANSWERS["caution"])),
        "embed_snippet": client.get("/embed/demo/snippet"),
        "library": client.get("/exercises"),
        "library_entry": client.get("/exercises/bird-dog"),
        "embed_library": client.get("/embed/demo/exercises"),
        "embed_library_entry": client.get("/embed/demo/exercises/deadlift"),
        "library_narrowed": client.get("/exercises?group=intermediate&equipment=kettlebell"),
        "library_matching_nothing": client.get("/exercises?group=warm_up&equipment=barbell"),
        "check_in_form": client.get("/check-in"),
        "check_in_with_errors": client.post("/check-in", data={"progress_sessions_done": "31"}),
        "check_in_plan": client.post("/check-in", data=answered(TWO_GOOD_WEEKS_FORM)),
        "check_in_referral": client.post("/check-in", data=answered({**TWO_GOOD_WEEKS_FORM,
                                                                      "progress_next_morning": "worse_again"})),
        "check_in_withheld": client.post("/check-in", data=answered({**TWO_GOOD_WEEKS_FORM,
                                                                      **LEVEL_ANSWERS["emergency"]})),
        # In Spanish and German: the form, a plan, an emergency, a check-in, the library, an error.
        **{f"{page}_{language}": response for language in ("es", "de") for page, response in {
            "form": client.get(f"/?lang={language}"),
            "plan_clear": client.post(f"/plan?lang={language}", data=answered(LEVEL_ANSWERS["clear"])),
            "plan_emergency": client.post(f"/plan?lang={language}", data=answered(LEVEL_ANSWERS["emergency"])),
            "form_with_errors": client.post(f"/plan?lang={language}", data={"age": "9"}),
            "check_in_plan": client.post(f"/check-in?lang={language}", data=answered(TWO_GOOD_WEEKS_FORM)),
            "library": client.get(f"/exercises?lang={language}"),
            "error_404": client.get(f"/nowhere?lang={language}"),
        }.items()},
        "error_404": client.get("/nowhere"),
        "error_405": client.put("/"),
        "error_413": client.post("/plan", data={"padding": "x" * (70 * 1024)}),
    }
    return {name: (response.status_code, response.get_data(as_text=True)) for name, response in responses.items()}


def test_the_pages_checked_are_the_ones_named(client: FlaskClient) -> None:
    checked = pages(client)
    for level in ("emergency", "same_day", "urgent", "soon", "caution", "clear"):
        status, page = checked[f"plan_{level}"]
        assert status == 200
        assert f'class="triage triage-{level}"' in page
    assert 'class="triage triage-emergency"' in checked["plan_emergency_so_far"][1]
    assert checked["form_with_errors"][0] == 422
    assert [checked[name][0] for name in ("api", "embed_form", "embed_plan", "embed_snippet", "library",
                                          "library_entry", "embed_library", "embed_library_entry",
                                          "library_narrowed", "library_matching_nothing")] == [200] * 10
    assert "Nothing in the library matches" in checked["library_matching_nothing"][1]
    assert [checked[f"error_{code}"][0] for code in (404, 405, 413)] == [404, 405, 413]
    assert [checked[name][0] for name in ("check_in_form", "check_in_with_errors", "check_in_plan",
                                          "check_in_referral", "check_in_withheld")] == [200, 422, 200, 200, 200]
    assert 'class="check-in check-in-move-up"' in checked["check_in_plan"][1]
    assert 'class="check-in check-in-see-professional"' in checked["check_in_referral"][1]
    assert 'class="triage triage-emergency"' in checked["check_in_withheld"][1]
    for language in ("es", "de"):
        assert [checked[f"{name}_{language}"][0] for name in (
            "form", "plan_clear", "plan_emergency", "form_with_errors", "check_in_plan", "library", "error_404",
        )] == [200, 200, 200, 422, 200, 200, 404]
        assert all(f'<html lang="{language}">' in checked[f"{name}_{language}"][1]
                   for name in ("form", "plan_clear", "plan_emergency", "library", "error_404"))


def test_every_page_is_valid_html_to_the_w3c_validator(client: FlaskClient, tmp_path: Path) -> None:
    java = shutil.which("java")
    assert java, "the W3C validator needs Java 17 or newer on the PATH"
    assert VNU_JAR.is_file(), f"the W3C validator is missing: run ./scripts/test, which installs it at {VNU_JAR}"
    fault = tmp_path / "known-fault.html"
    fault.write_text(KNOWN_FAULT, encoding="utf-8")
    files = [fault]
    for name, (_, page) in pages(client).items():
        files.append(tmp_path / f"{name}.html")
        files[-1].write_text(page, encoding="utf-8")
    run = subprocess.run([java, *JAVA_OPTIONS, "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
                          *map(str, files)], capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr)["messages"]
    found = [m for m in messages if Path(m.get("url", "")).name == fault.name]
    assert [m.get("message") for m in found] == ["Stray end tag “div”."], messages
    problems = [f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m.get('message')} "
                f"[{m.get('extract', '').strip()}]" for m in messages if m not in found]
    assert not problems, "\n".join(problems)
    assert run.returncode == 1  # it found a fault: the known one, and no other
