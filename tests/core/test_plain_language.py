"""Plain language: every text from the rules that a person reads is at reading grade 8 or below.

The grade is Flesch-Kincaid (textstat). The formula counts words per sentence and syllables
per word, and was made for passages, not labels: on a text of a few words one long word decides
the grade ("Intermediate" alone scores above 40, "None" below 0). So a text shorter than
`SHORT_TEXT` words is graded as it is read on the page, together with the words shown with it:
an option with its question, an equipment name with its help text, an exercise name with what
it is for, a title with the text under it. Every longer text is graded on its own, and so is
every text used as context here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import textstat

from recommender.loading.figures import load_figures
from recommender.loading.rules import load_ruleset
from recommender.model.figures import FigureBook
from recommender.model.ruleset import Ruleset
from tests.conftest import RULES_DIR

MAX_GRADE = 8
SHORT_TEXT = 7  # words; shorter texts are labels and names, graded with their context


@dataclass(frozen=True)
class Reading:
    where: str  # file and place in it, e.g. "intake.yaml questions.age.label"
    text: str
    context: str = ""  # the words shown with a short text

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
            found.append(Reading(where, text, context))

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
    for decision in [*progression.decisions, progression.plan_withheld]:
        title = decision.title.replace("{tier}", "Intermediate")
        add(f"progression.yaml decisions.{title}.title", title, decision.advice)
        add(f"progression.yaml decisions.{title}.advice", decision.advice.replace("{tier}", "Intermediate"))
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


READINGS = readings(load_ruleset(RULES_DIR), load_figures(RULES_DIR).book)


def test_the_gate_reads_every_question_option_and_triage_level() -> None:
    places = {reading.where for reading in READINGS}
    assert {"intake.yaml questions.age.label", "intake.yaml questions.red_flags.options.saddle_numbness.label",
            "screening.yaml levels.emergency.action", "screening.yaml levels.clear.title"} <= places
    assert len(READINGS) > 500


def test_the_gate_reads_what_every_pose_of_every_figure_says() -> None:
    places = {reading.where for reading in READINGS}
    figures = load_figures(RULES_DIR).book.figures
    assert {f"figures.yaml {figure.exercise}.says.{pose}" for figure in figures for pose in figure.says} <= places
    assert {"figures.yaml floor-rotation.says.end", "figures.yaml dead-bug.says.start"} <= places


@pytest.mark.parametrize("reading", READINGS, ids=[reading.where for reading in READINGS])
def test_every_text_a_person_reads_is_at_reading_grade_8_or_below(reading: Reading) -> None:
    text = reading.graded_text()
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"reading grade {grade:.1f} for: {text}"
