"""Load the rules folder: read and check every file and every reference between them, and
compile the result into a `Ruleset`.

All problems are collected before failing, so a clinician editing the rules sees every
mistake at once, each as `file:line: message`. What the rules mean (rules that never fire,
tiers some equipment leaves empty, the safety promises) is checked above this layer, in
`recommender.checking`, on the compiled ruleset.
"""

from __future__ import annotations

import gettext
import hashlib
import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from recommender.loading.validation import did_you_mean, validate_document
from recommender.loading.words import read_words, reworded
from recommender.loading.yamlfile import YamlDocument, read_yaml
from recommender.model.intake import (
    CANCER_DETAILS,
    DAYS_RANGE,
    EQUIPMENT,
    EXPERIENCE_LEVELS,
    HEALTH_FLAGS,
    HEART_DETAILS,
    NEXT_MORNINGS,
    PAIN_DURATIONS,
    PROFESSIONAL_CHECKS,
    RED_FLAGS,
    SETS_COMPLETED,
    TIERS,
)
from recommender.model.problems import Problem, RulesError, SourceLines
from recommender.model.rules import (
    DECISIONS,
    LEVELS,
    SPINAL_LOADS,
    WEEKDAYS,
    Catalogue,
    EquipmentList,
    Exercise,
    IntakeWording,
    Manifest,
    PlanDesign,
    Progression,
    Question,
    Screening,
)
from recommender.model.ruleset import Ruleset

FILES: dict[str, type[BaseModel]] = {
    "ruleset.yaml": Manifest,
    "intake.yaml": IntakeWording,
    "equipment.yaml": EquipmentList,
    "exercises.yaml": Catalogue,
    "screening.yaml": Screening,
    "plan.yaml": PlanDesign,
    "progression.yaml": Progression,
}

# The options each question must offer, in the API's own values.
QUESTION_OPTIONS: dict[str, tuple[Any, ...]] = {
    "age": (),
    "experience": EXPERIENCE_LEVELS,
    "pain_now": (),
    "pain_duration": PAIN_DURATIONS,
    "pain_below_knee": (True, False),
    "back_surgery_or_injury": (True, False),
    "professional_check": PROFESSIONAL_CHECKS,
    "red_flags": RED_FLAGS,
    "health_flags": HEALTH_FLAGS,
    "heart_condition_details": HEART_DETAILS,
    "cancer_details": CANCER_DETAILS,
    "equipment": (),  # the equipment list names the options
    "days_per_week": tuple(range(DAYS_RANGE[0], DAYS_RANGE[1] + 1)),
}
# The check-in's questions, in progression.yaml.
PROGRESS_OPTIONS: dict[str, tuple[Any, ...]] = {
    "tier": TIERS,
    "sessions_done": (),
    "pain_during_max": (),
    "next_morning": NEXT_MORNINGS,
    "sets_completed": SETS_COMPLETED,
    "weeks_on_tier": (),
}

M = TypeVar("M", bound=BaseModel)


def load_ruleset(folder: Path, sentences: Path | None = None) -> Ruleset:
    """Read and check every rules file in `folder`, and the words files of each other language
    the manifest lists; raise RulesError listing all problems. `sentences` is the folder of the
    gettext catalogues that hold the engine's own sentences in each language (translations/);
    without it, those sentences stay in English in every language."""
    problems: list[Problem] = []
    documents, models = _read(folder, problems)
    if problems or len(models) != len(FILES):
        raise RulesError(problems)

    lines = SourceLines(folder.name, {name: document.lines for name, document in documents.items()})
    checker = _CrossChecks(lines, problems)
    manifest = _get(models, "ruleset.yaml", Manifest)
    screening = _get(models, "screening.yaml", Screening)
    plan = _get(models, "plan.yaml", PlanDesign)
    checker.run(manifest, _get(models, "intake.yaml", IntakeWording), _get(models, "equipment.yaml", EquipmentList),
                _get(models, "exercises.yaml", Catalogue), screening, plan)
    checker.check_progression(_get(models, "progression.yaml", Progression), plan, screening, manifest)
    digest = _digest(models)
    translations = {}
    for language in manifest.languages[1:]:
        in_words = {}
        for name, part in models.items():
            words = read_words(folder, language, name, part, lines, problems) if name != "ruleset.yaml" else {}
            if words is not None:
                in_words[name] = reworded(part, words)
        catalogue = _sentences(sentences, language, problems)
        if len(in_words) == len(models):
            translations[language] = _compiled(in_words, lines, digest, language, catalogue)
    if problems:
        raise RulesError(problems)
    return _compiled(models, lines, digest, manifest.languages[0], gettext.NullTranslations(), translations)


def _read(folder: Path, problems: list[Problem]) -> tuple[dict[str, YamlDocument], dict[str, BaseModel]]:
    documents: dict[str, YamlDocument] = {}
    models: dict[str, BaseModel] = {}
    for name, model in FILES.items():
        display = f"{folder.name}/{name}"
        document, found = read_yaml(folder / name, display)
        problems += found
        if document is None:
            continue
        documents[name] = document
        parsed = validate_document(document, model, display, problems)
        if parsed is not None:
            models[name] = parsed
    return documents, models


def english_files(folder: Path) -> dict[str, BaseModel]:
    """Each rules file of `folder` as written, in English, by its name: what a language's words
    files translate. Raises RulesError when a file cannot be read."""
    problems: list[Problem] = []
    _, models = _read(folder, problems)
    if problems or len(models) != len(FILES):
        raise RulesError(problems)
    return models


def _sentences(folder: Path | None, language: str, problems: list[Problem]) -> gettext.NullTranslations:
    """The engine's own sentences in `language`, from the compiled gettext catalogue."""
    if folder is None:
        return gettext.NullTranslations()
    try:
        return gettext.translation("messages", str(folder), [language])
    except OSError:
        problems.append(Problem(f"{folder.name}/{language}/LC_MESSAGES/messages.mo", None,
                                "the compiled catalogue is missing: run `pybabel compile -d translations` "
                                "(scripts/_setup.sh does)"))
        return gettext.NullTranslations()


def _compiled(models: dict[str, BaseModel], lines: SourceLines, digest: str, language: str,
              sentences: gettext.NullTranslations, translations: dict[str, Ruleset] | None = None) -> Ruleset:
    equipment = _get(models, "equipment.yaml", EquipmentList)
    catalogue = _get(models, "exercises.yaml", Catalogue)
    screening = _get(models, "screening.yaml", Screening)
    plan = _get(models, "plan.yaml", PlanDesign)
    return Ruleset(
        manifest=_get(models, "ruleset.yaml", Manifest),
        # The English rules' in every language: their words change nothing the rules decide.
        digest=digest,
        wording=_get(models, "intake.yaml", IntakeWording),
        equipment={item.id: item for item in equipment.equipment},
        exercises={exercise.id: exercise for exercise in catalogue.exercises},
        levels={level.id: level for level in screening.levels},
        screening_rules=tuple(screening.rules),
        actions={action.id: action.text for action in screening.actions},
        plan_limits={limit.id: limit for limit in plan.plan_limits},
        plan=plan,
        progression=_get(models, "progression.yaml", Progression),
        lines=lines,
        language=language,
        sentences=sentences,
        translations=translations or {},
    )


def _get(models: dict[str, BaseModel], name: str, model: type[M]) -> M:
    found = models[name]
    assert isinstance(found, model)
    return found


def _digest(models: dict[str, BaseModel]) -> str:
    # Of the validated content, so comments, quoting and layout do not change it; and of the
    # English alone: which languages the rules are also given in changes nothing they decide,
    # as the words files' words do not, so neither is part of what the proof's stamp names.
    content = {name: model.model_dump(mode="json", exclude={"languages"} if name == "ruleset.yaml" else None)
               for name, model in sorted(models.items())}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class _CrossChecks:
    """Checks that span files: ids that must exist, lists that must be complete."""

    def __init__(self, lines: SourceLines, problems: list[Problem]):
        self.lines = lines
        self.problems = problems

    def problem(self, file: str, location: tuple[Any, ...], message: str) -> None:
        self.problems.append(self.lines.problem(file, location, message))

    def run(self, manifest: Manifest, wording: IntakeWording, equipment: EquipmentList,
            catalogue: Catalogue, screening: Screening, plan: PlanDesign) -> None:
        sources = self.unique("ruleset.yaml", ("sources",), [s.id for s in manifest.sources])
        self.check_wording(wording)
        self.complete("equipment.yaml", ("equipment",), [e.id for e in equipment.equipment],
                      EQUIPMENT, "equipment items")
        self.check_catalogue(catalogue, sources)
        limits = self.unique("plan.yaml", ("plan_limits",), [limit.id for limit in plan.plan_limits])
        self.check_screening(screening, limits, sources)
        self.check_plan(plan, {e.id: e for e in catalogue.exercises})

    def unique(self, file: str, location: tuple[Any, ...], ids: list[str]) -> set[str]:
        seen: set[str] = set()
        for index, item in enumerate(ids):
            if item in seen:
                self.problem(file, location + (index, "id"), f"the id '{item}' is used twice")
            seen.add(item)
        return seen

    def known(self, file: str, location: tuple[Any, ...], item: str, ids: set[str], what: str) -> bool:
        if item in ids:
            return True
        self.problem(file, location, f"there is no {what} '{item}'{did_you_mean(item, sorted(ids))}")
        return False

    def complete(self, file: str, location: tuple[Any, ...], given: list[Any],
                 expected: tuple[Any, ...], what: str) -> None:
        self.unique(file, location, [str(g) for g in given])
        missing = [value for value in expected if value not in given]
        if missing:
            self.problem(file, location, f"{what}: missing {', '.join(map(str, missing))}")
        if [value for value in given if value in expected] != [v for v in expected if v in given]:
            self.problem(file, location, f"{what}: list them in this order: "
                                         f"{', '.join(map(str, expected))}")

    def check_wording(self, wording: IntakeWording) -> None:
        self.check_questions("intake.yaml", wording.questions, QUESTION_OPTIONS)

    def check_questions(self, file: str, questions: dict[str, Question], options: dict[str, tuple[Any, ...]]) -> None:
        for name in options:
            if name not in questions:
                self.problem(file, ("questions",), f"no wording for the question '{name}'")
        for name, question in questions.items():
            if name not in options:
                self.problem(file, ("questions", name),
                             f"there is no question '{name}'{did_you_mean(name, list(options))}")
                continue
            expected = options[name]
            given = [option.value for option in question.options]
            location = ("questions", name, "options")
            if not expected and given:
                self.problem(file, location, f"'{name}' takes no options here")
            for index, value in enumerate(given):
                if expected and value not in expected:
                    self.problem(file, location + (index, "value"),
                                 f"'{value}' is not an answer to '{name}'; allowed: "
                                 f"{', '.join(map(str, expected))}")
            if expected:
                self.complete(file, location, given, expected, f"options of '{name}'")

    def check_progression(self, progression: Progression, plan: PlanDesign, screening: Screening,
                          manifest: Manifest) -> None:
        file = "progression.yaml"
        given = [decision.id for decision in progression.decisions]
        if given != list(DECISIONS):
            self.problem(file, ("decisions",), f"word every decision once, most cautious first: {', '.join(DECISIONS)}")
        for index, decision in enumerate(progression.decisions):
            if decision.id != "see_professional" and "{tier}" not in decision.title:
                self.problem(file, ("decisions", index, "title"), "name the tier with {tier}")
        limits = {limit.id: limit for limit in plan.plan_limits}
        referral = progression.referral
        if self.known(file, ("referral", "plan"), referral.plan, set(limits), "plan limit") \
                and not limits[referral.plan].shows_plan:
            self.problem(file, ("referral", "plan"), "the referral's action points to exercises below, "
                                                     "so its plan limit must show a plan")
        if LEVELS.index(referral.level) > LEVELS.index("soon"):
            self.problem(file, ("referral", "level"), "seeing a professional needs a level of 'soon' or more urgent")
        self.check_questions(file, progression.questions, PROGRESS_OPTIONS)
        self.unique(file, ("rules",), [rule.id for rule in progression.rules])
        screening_ids = {rule.id for rule in screening.rules}
        sources = {source.id for source in manifest.sources}
        for index, rule in enumerate(progression.rules):
            where = ("rules", index)
            if rule.id in screening_ids:
                self.problem(file, where + ("id",), f"'{rule.id}' is also a screening rule's id")
            self.known(file, where + ("source",), rule.source, sources, "source")

    def check_catalogue(self, catalogue: Catalogue, sources: set[str]) -> None:
        exercises = self.unique("exercises.yaml", ("exercises",), [e.id for e in catalogue.exercises])
        for index, exercise in enumerate(catalogue.exercises):
            where = ("exercises", index)
            for field in ("easier", "harder"):
                target = getattr(exercise, field)
                if target is not None:
                    self.known("exercises.yaml", where + (field,), target, exercises, "exercise")
            for position, source in enumerate(exercise.sources):
                self.known("exercises.yaml", where + ("sources", position), source, sources, "source")
            if exercise.kind == "exercise":
                for tier in TIERS[TIERS.index(exercise.tier):]:
                    if exercise.dose.for_tier(tier) is None:
                        self.problem("exercises.yaml", where + ("dose",),
                                     f"'{exercise.id}' needs a dose for the {tier} tier")
            elif exercise.dose.all_tiers is None:
                self.problem("exercises.yaml", where + ("dose",),
                             f"a {exercise.kind.replace('_', '-')} is dosed the same in every tier: "
                             f"use all_tiers")

    def check_screening(self, screening: Screening, limits: set[str], sources: set[str]) -> None:
        given = [level.id for level in screening.levels]
        if given != list(LEVELS):
            self.problem("screening.yaml", ("levels",),
                         f"list every level once, most urgent first: {', '.join(LEVELS)}")
        for index, level in enumerate(screening.levels):
            self.known("screening.yaml", ("levels", index, "plan"), level.plan, limits, "plan limit")
        actions = self.unique("screening.yaml", ("actions",), [action.id for action in screening.actions])
        self.unique("screening.yaml", ("rules",), [rule.id for rule in screening.rules])
        used: set[str] = set()
        for index, rule in enumerate(screening.rules):
            where = ("rules", index)
            if rule.plan is not None:
                self.known("screening.yaml", where + ("plan",), rule.plan, limits, "plan limit")
            if rule.action is not None:
                self.known("screening.yaml", where + ("action",), rule.action, actions, "action")
                used.add(rule.action)
            self.known("screening.yaml", where + ("source",), rule.source, sources, "source")
            if rule.level == "clear":
                self.problem("screening.yaml", where + ("level",),
                             "a finding cannot make the level 'clear': clear is what no finding leaves")
        for index, action in enumerate(screening.actions):
            if action.id not in used:
                self.problem("screening.yaml", ("actions", index, "id"),
                             f"no rule gives the action '{action.id}'")

    def check_plan(self, plan: PlanDesign, catalogue: dict[str, Exercise]) -> None:
        exercises = set(catalogue)
        self.complete("plan.yaml", ("tiers",), [t.tier for t in plan.tiers], TIERS, "tiers")
        for experience in EXPERIENCE_LEVELS:
            if experience not in plan.start_tier_by_experience:
                self.problem("plan.yaml", ("start_tier_by_experience",),
                             f"no starting tier for experience '{experience}'")
        slot_ids: set[str] = set()
        for tier_index, design in enumerate(plan.tiers):
            for slot_index, slot in enumerate(design.slots):
                where = ("tiers", tier_index, "slots", slot_index)
                if slot.id in slot_ids:
                    self.problem("plan.yaml", where + ("id",), f"the slot id '{slot.id}' is used twice")
                slot_ids.add(slot.id)
                for position, exercise_id in enumerate(slot.choose_first_of):
                    spot = where + ("choose_first_of", position)
                    if not self.known("plan.yaml", spot, exercise_id, exercises, "exercise"):
                        continue
                    exercise = catalogue[exercise_id]
                    if exercise.kind != "exercise":
                        self.problem("plan.yaml", spot, f"'{exercise_id}' is a {exercise.kind}, not an exercise")
                    elif TIERS.index(exercise.tier) > TIERS.index(design.tier):
                        self.problem("plan.yaml", spot, f"'{exercise_id}' is a {exercise.tier} exercise "
                                                        f"and cannot be used in the {design.tier} tier")
        for part in ("warm_up", "cool_down"):
            for position, exercise_id in enumerate(getattr(plan, part)):
                place = (part, position)
                if (self.known("plan.yaml", place, exercise_id, exercises, "exercise")
                        and catalogue[exercise_id].kind == "exercise"):
                    self.problem("plan.yaml", place, f"'{exercise_id}' is an exercise, "
                                                    f"not a warm-up or stretch")
        for kind in ("full", "light"):
            if kind not in plan.sessions:
                self.problem("plan.yaml", ("sessions",), f"no description of the '{kind}' session")
        self.check_schedule(plan)

    def check_schedule(self, plan: PlanDesign) -> None:
        expected = tuple(range(DAYS_RANGE[0], DAYS_RANGE[1] + 1))
        given = [week.days_per_week for week in plan.weekly_schedule]
        self.complete("plan.yaml", ("weekly_schedule",), given, expected, "weeks (days_per_week)")
        for index, week in enumerate(plan.weekly_schedule):
            where = ("weekly_schedule", index)
            days = [WEEKDAYS.index(d.day) for d in week.days]
            if len(days) != week.days_per_week:
                self.problem("plan.yaml", where + ("days",),
                             f"a {week.days_per_week}-day week needs {week.days_per_week} days, "
                             f"not {len(days)}")
            if days != sorted(set(days)):
                self.problem("plan.yaml", where + ("days",), "list each day once, Monday first")
            full = [WEEKDAYS.index(d.day) for d in week.days if d.session == "full"]
            # 48 hours between strength sessions, counting across the weekend into next week.
            for first, second in zip(full, full[1:] + [full[0] + 7] if full else [], strict=True):
                if second - first < 2:
                    self.problem("plan.yaml", where + ("days",),
                                 f"two full sessions less than 48 hours apart "
                                 f"({WEEKDAYS[first]} and {WEEKDAYS[second % 7]})")
        for kind, session in plan.sessions.items():
            if kind == "light" and SPINAL_LOADS.index(session.max_spinal_load) > 0:
                self.problem("plan.yaml", ("sessions", kind, "max_spinal_load"),
                             "a light session keeps to low spinal load, so it can sit between "
                             "strength days")
