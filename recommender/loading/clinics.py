"""Read the clinic profiles: one YAML file per clinic in the clinics folder, named after its slug.

Profiles are read and checked once at start-up, like the rules and with the same
`file:line: message` problems, so a mistake stops the start instead of showing a clinic's
patients a broken or unsafe page. Whether a clinic's narrowing could leave a slot empty is
checked above this layer (`recommender.checking.coverage`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from recommender.loading.validation import did_you_mean, validate_document
from recommender.loading.yamlfile import read_yaml
from recommender.model.clinic import LOGO_MAX_BYTES, LOGO_TYPES, Clinic, ClinicProfile, Logo
from recommender.model.problems import Problem, RulesError, SourceLines
from recommender.model.ruleset import Ruleset

# Adds a problem at a location in the profile being read.
Report = Callable[[tuple[Any, ...], str], None]


def load_clinics(folder: Path, rules: Ruleset) -> dict[str, Clinic]:
    """Read and check every `*.yaml` profile in `folder`; raise RulesError listing all problems."""
    if not folder.is_dir():
        raise RulesError([Problem(folder.name, None, "the clinics folder does not exist")],
                         subject="the clinic profiles")
    problems: list[Problem] = []
    clinics: dict[str, Clinic] = {}
    for path in sorted(folder.glob("*.yaml")):
        clinic = _load_one(path, f"{folder.name}/{path.name}", rules, problems)
        if clinic is not None:
            clinics[clinic.slug] = clinic
    if problems:
        raise RulesError(problems, subject="the clinic profiles")
    return clinics


def _load_one(path: Path, display: str, rules: Ruleset, problems: list[Problem]) -> Clinic | None:
    before = len(problems)
    document, found = read_yaml(path, display)
    problems += found
    if document is None or found:
        return None
    profile = validate_document(document, ClinicProfile, display, problems)
    if profile is None:
        return None

    def problem(location: tuple[Any, ...], message: str) -> None:
        problems.append(Problem(display, document.line_of(location), message))

    if profile.slug != path.stem:
        problem(("slug",), f"the file is named '{path.name}' but the slug is '{profile.slug}': "
                           f"name the file after the slug")
    logo = _read_logo(path.parent, profile, problem)
    _check_never_prescribe(profile, rules, problem)
    _check_languages(profile, rules, problem)
    if len(problems) != before:
        return None
    return Clinic(profile=profile, logo=logo, file=path.name,
                  lines=SourceLines(path.parent.name, {path.name: document.lines}))


def _read_logo(folder: Path, profile: ClinicProfile, problem: Report) -> Logo | None:
    if profile.logo is None:
        return None
    media_type = LOGO_TYPES.get(Path(profile.logo).suffix.lower())
    if media_type is None:
        problem(("logo",), f"the logo must be an .svg or .png file, not '{profile.logo}'")
        return None
    try:
        content = (folder / profile.logo).read_bytes()
    except OSError:
        problem(("logo",), f"there is no file '{profile.logo}' beside the profile")
        return None
    if len(content) > LOGO_MAX_BYTES:
        problem(("logo",), f"the logo is {len(content) // 1024} KB: keep it under {LOGO_MAX_BYTES // 1024} KB, "
                           f"it goes into every printed plan")
        return None
    return Logo(file_name=profile.logo, media_type=media_type, content=content)


def _check_never_prescribe(profile: ClinicProfile, rules: Ruleset, problem: Report) -> None:
    exercises = rules.exercises
    seen: set[str] = set()
    for index, exercise_id in enumerate(profile.never_prescribe):
        where = ("never_prescribe", index)
        if exercise_id in seen:
            problem(where, f"'{exercise_id}' is listed twice")
        seen.add(exercise_id)
        if exercise_id not in exercises:
            problem(where, f"there is no exercise '{exercise_id}'{did_you_mean(exercise_id, sorted(exercises))}")
        elif exercises[exercise_id].kind != "exercise":
            problem(where, f"'{exercise_id}' is a {exercises[exercise_id].kind.replace('_', '-')}: "
                           f"only exercises can be left out, warm-ups and stretches stay")


def _check_languages(profile: ClinicProfile, rules: Ruleset, problem: Report) -> None:
    spoken = rules.manifest.languages
    for index, language in enumerate(profile.languages):
        if language not in spoken:
            problem(("languages", index), f"the rules do not speak '{language}': choose from {', '.join(spoken)}")
        elif language in profile.languages[:index]:
            problem(("languages", index), f"'{language}' is listed twice")
