"""The intake form. Its wording comes from rules/intake.yaml; its checks from the Intake model."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cached_property
from typing import Any, ClassVar, Self

from pydantic import ValidationError
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, Form, IntegerField, RadioField, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from recommender.model.intake import (
    AGE_RANGE,
    NONE_OF_THESE,
    SESSIONS_RANGE,
    WEEKS_RANGE,
    Intake,
    Progress,
    contradictions,
    explain_errors,
    valid_on_their_own,
)
from recommender.model.rules import Option, Question
from recommender.model.ruleset import Ruleset
from recommender.web.app.words import LazyString, gettext, lazy_gettext

# Quick picks that tick the equipment boxes (the person can then change them): a name and the
# equipment it ticks, None for every piece there is. They only save taps: the ticks are sent.
EQUIPMENT_PRESETS: dict[str, tuple[LazyString, frozenset[str] | None]] = {
    "nothing": (lazy_gettext("Nothing"), frozenset()),
    "home": (lazy_gettext("Things at home"), frozenset({"mat", "dowel"})),
    "gym": (lazy_gettext("A gym"), None),
}

# The box that says no sign applies: the model's NONE_OF_THESE, in the page's language.
NONE_OF_THESE_LABEL = lazy_gettext("None of these apply to me")
assert str(NONE_OF_THESE_LABEL._args[0]) == NONE_OF_THESE

# Safety questions answered by ticks, each with its explicit "none of these" box.
NONE_BOXES = {"red_flags": "no_red_flags", "health_flags": "no_health_flags"}
# Follow-up questions, asked only when a sign is ticked: (the ticks, the sign) that asks each,
# and its "none of these" box. Not asked, they stay unanswered (None).
FOLLOW_UPS = {"heart_condition_details": ("health_flags", "heart_condition", "no_heart_condition_details"),
              "cancer_details": ("red_flags", "cancer_history", "no_cancer_details")}


def _in_full(option: Option) -> str:
    """An option's help; for a shortened option, its whole label before it."""
    if option.short_label is None:
        return option.help or ""
    return " ".join(part for part in (f"{option.label}.", option.help) if part)


_DIGITS = re.compile(r"[0-9]{1,6}")


def whole_number(value: object) -> int:
    """ASCII digits only, as the API's JSON numbers: int() alone would also read "٧٧", "７７",
    "7_7" and "+77" as 77."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip(" \t")
    if not _DIGITS.fullmatch(text):
        raise ValueError("not a whole number written in the digits 0-9")
    return int(text)


class WholeNumberField(IntegerField):
    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        try:
            self.data = whole_number(valuelist[0])
        except ValueError as error:
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value.")) from error


class OptionalWholeNumberField(WholeNumberField):
    """A whole number a person may leave empty: empty is None, not a mistake."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and not str(valuelist[0]).strip():
            self.data = None
            return
        super().process_formdata(valuelist)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class IntakeForm(Form):
    """The questionnaire. Build it with `IntakeForm.for_rules(ruleset, formdata)`."""

    age = WholeNumberField()
    experience = RadioField(validate_choice=False)
    pain_now = RadioField(coerce=whole_number, validate_choice=False)
    pain_duration = RadioField(validate_choice=False)
    pain_below_knee = RadioField(validate_choice=False)
    back_surgery_or_injury = RadioField(validate_choice=False)
    # Optional, as in the API: left blank it is read as "no", the cautious answer. Nothing is
    # ticked for a person: a health question is theirs to answer.
    professional_check = RadioField(validate_choice=False)
    red_flags = MultiCheckboxField(validate_choice=False)
    no_red_flags = BooleanField(NONE_OF_THESE_LABEL)
    health_flags = MultiCheckboxField(validate_choice=False)
    no_health_flags = BooleanField(NONE_OF_THESE_LABEL)
    heart_condition_details = MultiCheckboxField(validate_choice=False)
    no_heart_condition_details = BooleanField(NONE_OF_THESE_LABEL)
    cancer_details = MultiCheckboxField(validate_choice=False)
    no_cancer_details = BooleanField(NONE_OF_THESE_LABEL)
    equipment = MultiCheckboxField(validate_choice=False)
    days_per_week = RadioField(coerce=whole_number, validate_choice=False)

    # The least and most a number may be, for the browser (the Intake model checks them too).
    number_ranges: ClassVar[dict[str, tuple[int, int]]] = {"age": AGE_RANGE}

    # The rules the form is worded from, in the page's language.
    rules: Ruleset
    help_text: dict[str, str]
    option_help: dict[str, dict[str | int, str]]
    option_presets: dict[str, str]
    browser_checks: dict[str, dict[str, str]]

    @classmethod
    def for_rules(cls, rules: Ruleset, formdata: Any = None) -> Self:
        form = cls._worded(rules, formdata)
        form.browser_checks = _browser_checks(rules, cls)
        return form

    @cached_property
    def usual_checks(self) -> dict[str, str]:
        """What the server says of most questions left blank (`missing`) and of most lists with
        both a sign and "none of these" ticked (`both`): said once, on the form, rather than on
        each question. A question that says something else carries its own."""
        usual = {}
        for key in ("missing", "both"):
            said = Counter(checks[key] for checks in self.browser_checks.values() if key in checks)
            if said:
                usual[key] = said.most_common(1)[0][0]
        return usual

    @classmethod
    def _worded(cls, rules: Ruleset, formdata: Any = None) -> Self:
        form = cls(formdata)
        form.rules = rules
        form.help_text, form.option_help = {}, {}
        for name, question in form._questions(rules).items():
            field: Any = form[name]
            field.label.text = question.label
            form.help_text[name] = question.help or ""
            if question.options:
                field.choices = [(_form_value(o.value), o.short_label or o.label) for o in question.options]
                form.option_help[name] = {_form_value(o.value): _in_full(o) for o in question.options}
        form._scales()
        form.equipment.choices = [(item.id, item.name) for item in rules.equipment.values()]
        form.option_help["equipment"] = {item.id: item.help or "" for item in rules.equipment.values()}
        form.option_presets = {item.id: " ".join(key for key, (_, items) in EQUIPMENT_PRESETS.items()
                                                 if items is None or item.id in items)
                               for item in rules.equipment.values()}
        return form

    def _questions(self, rules: Ruleset) -> dict[str, Question]:
        """Each field's question, by the field's name."""
        return rules.wording.questions

    def _scales(self) -> None:
        self.pain_now.choices = [(n, str(n)) for n in range(0, 11)]

    def check(self) -> Intake | None:
        """The answers as an Intake, or None with each problem added to its field."""
        self.validate()  # only conversions here: every rule on the answers is in Intake
        for field in self:
            if field.process_errors:
                field.errors = [_conversion_message(field)]
        for ticks, none_box in NONE_BOXES.items():
            self._ask_for_a_definite_answer(ticks, none_box)
        for details, (ticks, sign, none_box) in FOLLOW_UPS.items():
            # A follow-up left blank stays unanswered, which screening reads cautiously: it must
            # never stand between a person and an urgent result. Ticks with "None of these" are
            # a contradiction to put right.
            if sign in (self[ticks].data or ()) and self[details].data and self[none_box].data:
                self._ask_for_a_definite_answer(details, none_box)
        try:
            intake = self.to_intake()
        except ValidationError as error:
            say = self.rules.say
            problems = [(p.field, p.message) for p in explain_errors(error, say)]
            problems += [(c.field, str(c)) for c in contradictions(self.pain_now.data, self.pain_duration.data, say)]
            for name, message in problems:
                field = self[name.replace(".", "_")]  # progress.tier is the field progress_tier
                if not field.errors:
                    field.errors = [*field.errors, message]
            return None
        return None if self.errors else intake

    def to_intake(self) -> Intake:
        """Convert the answers explicitly; an unanswered question stays None and is reported."""
        return Intake.model_validate(self.answers())

    def answers(self) -> dict[str, Any]:
        return {
            "age": self.age.data,
            "experience": self.experience.data,
            "pain_now": self.pain_now.data,
            "pain_duration": self.pain_duration.data,
            "pain_below_knee": _yes_no(self.pain_below_knee.data),
            "back_surgery_or_injury": _yes_no(self.back_surgery_or_injury.data),
            "professional_check": self.professional_check.data or "no",
            "red_flags": frozenset(self.red_flags.data or ()),
            "health_flags": frozenset(self.health_flags.data or ()),
            **{details: _follow_up(self[details].data, bool(self[none_box].data), sign in (self[ticks].data or ()))
               for details, (ticks, sign, none_box) in FOLLOW_UPS.items()},
            "equipment": frozenset(self.equipment.data or ()),
            "days_per_week": self.days_per_week.data,
        }

    def answers_so_far(self, asked: Iterable[str]) -> dict[str, Any]:
        """The answers to the questions `asked` so far that are valid on their own. A safety
        question with neither a tick nor its "none of these" box counts as not answered."""
        self.validate()
        answers = self.answers()
        given = {name: answers[name] for name in set(asked) & answers.keys()}
        for ticks, none_box in NONE_BOXES.items():
            if ticks in given and bool(self[ticks].data) == bool(self[none_box].data):
                del given[ticks]
        return valid_on_their_own(given)

    @property
    def error_list(self) -> list[tuple[str, str, str]]:
        """(field id, question, message) for the summary at the top of the page."""
        return [(name, str(self[name].label.text), message)
                for name, messages in self.errors.items() for message in messages]

    @property
    def equipment_presets(self) -> list[tuple[str, str]]:
        return [(key, str(label)) for key, (label, _) in EQUIPMENT_PRESETS.items()]

    def _ask_for_a_definite_answer(self, ticks: str, none_box: str) -> None:
        # A safety question left blank is not the same as "no": ask the person to say so.
        ticked, none = bool(self[ticks].data), bool(self[none_box].data)
        if not ticked and not none:
            self[ticks].errors = [*self[ticks].errors, gettext(
                "Tick each one that applies to you, or tick \u201c%(none)s\u201d.", none=NONE_OF_THESE_LABEL)]
        elif ticked and none:
            self[ticks].errors = [*self[ticks].errors, gettext(
                "You ticked some of these and also \u201c%(none)s\u201d. Please check your answer.",
                none=NONE_OF_THESE_LABEL)]


class CheckInForm(IntakeForm):
    """The questionnaire at a check-in: the same questions, and first how the last two weeks
    went. Its fields are named progress_<answer>, for the API's progress.<answer>."""

    progress_tier = RadioField(validate_choice=False)
    progress_sessions_done = WholeNumberField()
    progress_pain_during_max = RadioField(coerce=whole_number, validate_choice=False)
    progress_next_morning = RadioField(validate_choice=False)
    progress_sets_completed = RadioField(validate_choice=False)
    progress_weeks_on_tier = OptionalWholeNumberField()

    number_ranges: ClassVar[dict[str, tuple[int, int]]] = {**IntakeForm.number_ranges,
                                                           "progress_sessions_done": SESSIONS_RANGE,
                                                           "progress_weeks_on_tier": WEEKS_RANGE}

    def _questions(self, rules: Ruleset) -> dict[str, Question]:
        return {**rules.wording.questions,
                **{f"progress_{name}": question for name, question in rules.progression.questions.items()}}

    def _scales(self) -> None:
        super()._scales()
        self.progress_pain_during_max.choices = [(n, str(n)) for n in range(0, 11)]

    def answers(self) -> dict[str, Any]:
        report = {name: self[f"progress_{name}"].data for name in Progress.model_fields}
        return {**super().answers(), "progress": report}


def _conversion_message(field: Any) -> str:
    raw = (field.raw_data or [""])[0].strip()
    if not raw:
        return gettext("Please answer this question.")
    if field.name == "age":
        return gettext("Enter your age in years, as a whole number, for example 42.")
    return gettext("Please choose one of the answers.")


def _form_value(value: str | int | bool) -> str | int:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _follow_up(ticked: Any, none: bool, asked: bool) -> frozenset[str] | None:
    """A follow-up's answer: the ticks, [] for "None of these", None when not asked or left blank."""
    if not asked or (not ticked and not none):
        return None
    return frozenset(ticked or ())


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


# By the rules and the language they (and the page's own words) are in, and the form.
_checks_for: dict[tuple[str, str, type[IntakeForm]], dict[str, dict[str, str]]] = {}


# The fields `read_answers` reads, by how `IntakeForm` converts each (see its field classes).
_TEXT_ANSWERS = ("experience", "pain_duration")
_YES_NO_ANSWERS = ("pain_below_knee", "back_surgery_or_injury")
_NUMBER_ANSWERS = ("age", "pain_now", "days_per_week")
_TICKED_ANSWERS = ("red_flags", "health_flags", "equipment", *FOLLOW_UPS)


def read_answers(formdata: MultiDict[str, str]) -> Intake | None:
    """The answers as `IntakeForm.check()` reads them when nothing is wrong, without building
    the form; None when anything is, and the form then says what.

    Every form post is read this way first: building the WTForms form with its worded
    questions is most of the time a post takes, and is needed only to show the questions
    again with their problems. Each answer is converted as the form's field does it
    (first value, ASCII digits for numbers, every ticked value), and tests/web hold the two
    readings to the same result for any form data.
    """
    given = formdata.to_dict(flat=False)  # every value of each name, read once
    first = {name: values[0] for name, values in given.items() if values}
    answers: dict[str, Any] = {}
    for name in _NUMBER_ANSWERS:
        try:
            answers[name] = whole_number(first[name]) if name in first else None
        except ValueError:
            return None
    for name in _TEXT_ANSWERS:
        answers[name] = first.get(name)
    for name in _YES_NO_ANSWERS:
        answers[name] = _yes_no(first.get(name))
    answers["professional_check"] = first.get("professional_check") or "no"
    for name in _TICKED_ANSWERS:
        answers[name] = frozenset(given.get(name, ()))
    for ticks, none_box in NONE_BOXES.items():
        none = none_box in first and first[none_box] not in BooleanField.false_values
        if bool(answers[ticks]) == none:  # neither answered, or both: the form asks again
            return None
    for details, (ticks, sign, none_box) in FOLLOW_UPS.items():
        if sign not in answers[ticks]:
            answers[details] = None  # not asked
            continue
        none = none_box in first and first[none_box] not in BooleanField.false_values
        if answers[details] and none:
            return None  # ticks and "None of these": the form asks again
        answers[details] = _follow_up(answers[details], none, asked=True)
    try:
        return Intake.model_validate(answers)
    except ValidationError:
        return None




def _browser_checks(rules: Ruleset, form_class: type[IntakeForm]) -> dict[str, dict[str, str]]:
    """What the browser checks as a person leaves each step, in the server's own words.

    Each message is what `check()` says for an example of that mistake, so the browser can
    never word a problem differently from the server. Per question: `missing` (left blank),
    `both` (signs ticked with "none of these"), `whole`, `low` and `high` for a number, and
    `refuse` / `refuse-when` / `refuse-message` for an answer that other answers rule out.
    """
    found = _checks_for.get((rules.digest, rules.language, form_class))
    if found is not None:
        return found

    def messages(**answers: str) -> dict[str, str]:
        form = form_class._worded(rules, MultiDict(answers))
        form.check()
        return {name: str(form[name].errors[0]) for name in form.errors}

    checks: dict[str, dict[str, str]] = {}
    for name, message in messages().items():
        checks.setdefault(name, {})["missing"] = message
    for ticks, none_box in NONE_BOXES.items():
        field: Any = form_class._worded(rules)[ticks]
        first = str(field.choices[0][0])
        checks.setdefault(ticks, {})["both"] = messages(**{ticks: first, none_box: "y"})[ticks]
    for details, (ticks, sign, none_box) in FOLLOW_UPS.items():
        field = form_class._worded(rules)[details]
        both = messages(**{ticks: sign, details: str(field.choices[0][0]), none_box: "y"})
        checks.setdefault(details, {})["both"] = both[details]
    for name, (low, high) in form_class.number_ranges.items():
        checks.setdefault(name, {}).update({
            "whole": messages(**{name: f"{low}.5"})[name],
            "low": messages(**{name: str(low - 1)})[name],
            "high": messages(**{name: str(high + 1)})[name],
        })
    for contradiction in contradictions(1, "none", rules.say):
        checks.setdefault(contradiction.field, {}).update({
            "refuse": "none", "refuse-when": "pain_now", "refuse-message": str(contradiction)})
    _checks_for[(rules.digest, rules.language, form_class)] = checks
    return checks
