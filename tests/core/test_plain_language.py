"""Plain language: every text from the rules that a person reads is easy to read, in every
language the rules speak, each graded with a formula made for its language (textstat):

- English: Flesch-Kincaid grade 8 or below (Kincaid et al., 1975, for US school grades).
- Spanish: Fernández-Huerta reading ease 60 or above, "normal" or easier on its scale, which
  puts 60-70 at about the 8th and 9th grade (Fernández Huerta, "Medidas sencillas de
  lecturabilidad", Consigna 214, 1959: Flesch's reading ease refitted for Spanish).
- German: Wiener Sachtextformel (the first of its four forms) grade 8 or below; it gives a
  school grade from 4 to 15 (Bamberger and Vanecek, "Lesen - Verstehen - Lernen - Schreiben",
  1984, fitted to German texts, where long compound words weigh more than in English).

The formulas count words per sentence and syllables (or long words) per word, and were made
for passages, not labels: on a text of a few words one long word decides the grade
("Intermediate" alone scores above 40, "None" below 0). So a text shorter than `SHORT_TEXT`
words is graded as it is read on the page, together with the words shown with it: an option
with its question, an equipment name with its help text, an exercise name with what it is for,
a title with the text under it. Every longer text is graded on its own, and so is every text
used as context here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
import textstat

from recommender.loading.figures import load_figures
from recommender.loading.rules import load_ruleset
from recommender.model.figures import FigureBook
from recommender.model.ruleset import Ruleset
from tests.conftest import RULES_DIR

SHORT_TEXT = 7  # words; shorter texts are labels and names, graded with their context


@dataclass(frozen=True)
class Gate:
    """A language's formula, what it says of a text, and whether that is easy enough."""

    formula: str
    score: Callable[[str], float]
    passes: Callable[[float], bool]
    limit: str


GATES = {
    "en": Gate("Flesch-Kincaid grade", textstat.flesch_kincaid_grade, lambda grade: grade <= 8, "8 or below"),
    "es": Gate("Fernández-Huerta reading ease", textstat.fernandez_huerta, lambda ease: ease >= 60, "60 or above"),
    "de": Gate("Wiener Sachtextformel grade", lambda text: textstat.wiener_sachtextformel(text, 1),
               lambda grade: grade <= 8, "8 or below"),
}


@dataclass(frozen=True)
class Reading:
    where: str  # file and place in it, e.g. "intake.yaml questions.age.label"
    text: str
    context: str = ""  # the words shown with a short text
    language: str = "en"

    def graded_text(self) -> str:
        if textstat.lexicon_count(self.text) >= SHORT_TEXT or not self.context:
            return self.text
        return f"{_as_sentence(self.text)} {self.context}"


def _as_sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def readings(rules: Ruleset, figures: FigureBook) -> list[Reading]:
    """Every text from the rules that the form, the plan page or the API shows a person, and
    what each figure's poses say in words (its text alternative, read aloud to a person who
    cannot see it)."""
    found: list[Reading] = []

    def add(where: str, text: str | None, context: str = "") -> None:
        if text:
            found.append(Reading(where, text, context, rules.language))

    for name, question in rules.wording.questions.items():
        where = f"intake.yaml questions.{name}"
        add(f"{where}.label", question.label)
        add(f"{where}.help", question.help)
        for option in question.options:
            add(f"{where}.options.{option.value}.label", option.label,
                f"{question.label} {option.help or ''}".strip())
            add(f"{where}.options.{option.value}.help", option.help)
            add(f"{where}.options.{option.value}.short_label", option.short_label, option.label)
    equipment_question = rules.wording.questions["equipment"].label
    for item in rules.equipment.values():
        add(f"equipment.yaml {item.id}.name", item.name, item.help or equipment_question)
        add(f"equipment.yaml {item.id}.help", item.help)

    for level in rules.levels.values():
        add(f"screening.yaml levels.{level.id}.title", level.title, level.action)
        add(f"screening.yaml levels.{level.id}.action", level.action)
    for rule in rules.screening_rules:
        add(f"screening.yaml rules.{rule.id}.finding", rule.finding)
    for action_id, text in rules.actions.items():
        add(f"screening.yaml actions.{action_id}.text", text)

    progression = rules.progression
    add("progression.yaml title", progression.title)
    for name, question in progression.questions.items():
        where = f"progression.yaml questions.{name}"
        add(f"{where}.label", question.label)
        add(f"{where}.help", question.help)
        for option in question.options:
            add(f"{where}.options.{option.value}.label", option.label, question.label)
    intermediate = rules.tier_title("intermediate")
    for decision in [*progression.decisions, progression.plan_withheld]:
        decided = getattr(decision, "id", "plan_withheld")
        title = decision.title.replace("{tier}", intermediate)
        add(f"progression.yaml decisions.{decided}.title", title, decision.advice)
        add(f"progression.yaml decisions.{decided}.advice", decision.advice.replace("{tier}", intermediate))
    add("progression.yaml referral.action", progression.referral.action)
    for progression_rule in progression.rules:
        add(f"progression.yaml rules.{progression_rule.id}.reason", progression_rule.reason)

    plan = rules.plan
    for limit in plan.plan_limits:
        add(f"plan.yaml plan_limits.{limit.id}.note", limit.note)
    for tier in plan.tiers:
        where = f"plan.yaml tiers.{tier.tier}"
        add(f"{where}.title", tier.title, tier.summary)
        add(f"{where}.summary", tier.summary)
        add(f"{where}.move_on_when", tier.move_on_when)
        add(f"{where}.step_back_when", tier.step_back_when)
        for slot in tier.slots:
            add(f"{where}.slots.{slot.id}.purpose", slot.purpose)
    for kind, session in plan.sessions.items():
        add(f"plan.yaml sessions.{kind}.title", session.title, session.description)
        add(f"plan.yaml sessions.{kind}.description", session.description)
    for part, text in plan.pain_monitoring.model_dump().items():
        add(f"plan.yaml pain_monitoring.{part}", text)
    for index, sign in enumerate(plan.stop_signs):
        add(f"plan.yaml stop_signs.{index}", sign)

    # Muscle names are left out: no page shows them, and they are names, not sentences.
    for exercise in rules.exercises.values():
        where = f"exercises.yaml {exercise.id}"
        add(f"{where}.name", exercise.name, exercise.benefit)
        add(f"{where}.benefit", exercise.benefit)
        for index, step in enumerate(exercise.steps):
            add(f"{where}.steps.{index}", step)
        for index, cue in enumerate(exercise.cues):
            add(f"{where}.cues.{index}", cue)
        add(f"{where}.common_mistake", exercise.common_mistake)
    for figure in figures.figures:
        for pose, says in figure.says.items():
            add(f"figures.yaml {figure.exercise}.says.{pose}", says)
    return found


RULES = load_ruleset(RULES_DIR)
FIGURES = load_figures(RULES_DIR, RULES.manifest.languages[1:])
READINGS = [reading for language in RULES.manifest.languages
            for reading in readings(RULES.in_language(language), FIGURES.in_language(language))]


def test_the_gate_reads_every_question_option_and_triage_level() -> None:
    places = {reading.where for reading in READINGS}
    assert {"intake.yaml questions.age.label", "intake.yaml questions.red_flags.options.saddle_numbness.label",
            "screening.yaml levels.emergency.action", "screening.yaml levels.clear.title"} <= places
    assert len(READINGS) > 500 * len(GATES)


def test_the_gate_reads_every_language_the_rules_speak() -> None:
    assert {reading.language for reading in READINGS} == set(RULES.manifest.languages) == set(GATES)


def test_the_gate_reads_what_every_pose_of_every_figure_says() -> None:
    places = {reading.where for reading in READINGS}
    figures = load_figures(RULES_DIR).book.figures
    assert {f"figures.yaml {figure.exercise}.says.{pose}" for figure in figures for pose in figure.says} <= places
    assert {"figures.yaml floor-rotation.says.end", "figures.yaml dead-bug.says.start"} <= places


@pytest.mark.parametrize("reading", READINGS, ids=[f"{reading.language} {reading.where}" for reading in READINGS])
def test_every_text_a_person_reads_is_easy_to_read_in_its_language(reading: Reading) -> None:
    text = reading.graded_text()
    gate = GATES[reading.language]
    # Syllables are counted with the language's own hyphenation patterns.
    textstat.set_lang(reading.language)
    try:
        score = gate.score(text)
    finally:
        textstat.set_lang("en")
    assert gate.passes(score), f"{gate.formula} {score:.1f} (must be {gate.limit}) for: {text}"
