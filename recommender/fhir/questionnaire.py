"""The intake as a FHIR R4 Questionnaire, built from the Intake model and the rules' wording.

Every question's linkId is its API field name and every answer code is its API value, so a
clinic's form tool and our JSON API speak about the same things by the same names. Types,
ranges and choices come from `Intake`; the words come from rules/intake.yaml and equipment.yaml.
"""

from __future__ import annotations

import html
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from annotated_types import Ge, Le
from pydantic.fields import FieldInfo

from recommender.model.intake import (
    ASK_FOR_NONE,
    FOLLOW_UP_QUESTIONS,
    NONE_OF_THESE,
    Intake,
    Progress,
    contradictions,
    english,
)
from recommender.model.rules import Question
from recommender.model.ruleset import Ruleset

Json = dict[str, Any]

# The questionnaire's identity. A canonical URL names it; it need not be where it is served.
BASE = "https://stronger-lower-back.example/fhir"
QUESTIONNAIRE_ID = "lower-back-intake"
QUESTIONNAIRE_URL = f"{BASE}/Questionnaire/{QUESTIONNAIRE_ID}"
TITLE = english("Stronger lower back: a safe starting plan")

# The answer code for "None of these apply to me" on the safety questions.
NONE_CODE = "none"

MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
RENDERING_XHTML = "http://hl7.org/fhir/StructureDefinition/rendering-xhtml"
SDC_QUESTIONNAIRE = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"

ItemType = Literal["integer", "boolean", "choice"]

LOINC = "http://loinc.org"
# Standard codes, only where one means exactly what the question asks, so that a clinic's
# system files the answer where it files the same fact from elsewhere. Age is the person's own
# report, in years; pain now is the 0 to 10 numeric rating scale, reported by the person.
ITEM_CODES: dict[str, tuple[str, str, str]] = {
    "age": (LOINC, "21612-7", "Age - Reported"),
    "pain_now": (LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
}

# A check-in's report is a group of its own, answered only at a check-in; its questions are
# named "progress.<field>", as the API names the same answers in its messages.
PROGRESS_GROUP = "progress"
# A form shows the report only after this question is answered "yes", so a first visit never
# meets it. It is not an answer the API takes: there a check-in is known by its report, and so
# is it in a response that leaves this question out (one written before it was asked).
CHECK_IN_QUESTION = "is_check_in"
CHECK_IN_TEXT = english("Are you checking in after following your exercise plan?")
ANSWER_LINK_IDS = tuple(name for name in Intake.model_fields if name != PROGRESS_GROUP)
PROGRESS_LINK_IDS = tuple(f"{PROGRESS_GROUP}.{name}" for name in Progress.model_fields)


def _field(link_id: str) -> FieldInfo:
    if link_id.startswith(f"{PROGRESS_GROUP}."):
        return Progress.model_fields[link_id.removeprefix(f"{PROGRESS_GROUP}.")]
    return Intake.model_fields[link_id]


def question_of(link_id: str, rules: Ruleset) -> Question:
    if link_id.startswith(f"{PROGRESS_GROUP}."):
        return rules.progression.questions[link_id.removeprefix(f"{PROGRESS_GROUP}.")]
    return rules.wording.questions[link_id]


def code_system(link_id: str) -> str:
    """Each question's answer codes live in a code system of their own, so that 'none' as an
    experience level and 'none' as a pain duration are never confused."""
    return f"{BASE}/CodeSystem/{link_id}"


def _answer_type(link_id: str) -> tuple[Any, list[Any]]:
    """The type of an answer, and its constraints, with "or null" (an optional answer) and
    annotations taken off."""
    annotation, metadata = _field(link_id).annotation, list(_field(link_id).metadata)
    if get_origin(annotation) in (Union, types.UnionType):
        annotation = next(arg for arg in get_args(annotation) if arg is not type(None))
    if get_origin(annotation) is Annotated:
        annotation, *more = get_args(annotation)
        for extra in more:
            metadata += getattr(extra, "metadata", [extra])
    return annotation, metadata


def item_type(link_id: str) -> ItemType:
    annotation, _ = _answer_type(link_id)
    if annotation is bool:
        return "boolean"
    if annotation is int:
        return "integer"
    return "choice"


def repeats(link_id: str) -> bool:
    return get_origin(_answer_type(link_id)[0]) is frozenset


def has_none_option(link_id: str) -> bool:
    return link_id in ASK_FOR_NONE or link_id in FOLLOW_UP_QUESTIONS


def answer_range(link_id: str) -> tuple[int, int] | None:
    """The lowest and highest whole number allowed, as the Intake model declares them."""
    _, metadata = _answer_type(link_id)
    lows = [m.ge for m in metadata if isinstance(m, Ge)]
    highs = [m.le for m in metadata if isinstance(m, Le)]
    return (int(lows[0]), int(highs[0])) if lows and highs else None  # type: ignore[call-overload]


def is_required(link_id: str) -> bool:
    # Ticking no equipment is an answer (a plan that needs none); every other question must be
    # answered, the safety questions with their "None of these" option if nothing applies.
    # A question the API lets clients leave out (it has a cautious default) is optional here too.
    return (not repeats(link_id) and _field(link_id).is_required()) or link_id in ASK_FOR_NONE


def choices(link_id: str, rules: Ruleset) -> list[tuple[str, str, str | None]]:
    """(code, label, help) for each allowed answer, in the order the form shows them."""
    if link_id == "equipment":
        return [(item.id, item.name, item.help) for item in rules.equipment.values()]
    return [(str(option.value), option.label, option.help) for option in question_of(link_id, rules).options]


def coding(link_id: str, code: str, display: str) -> Json:
    return {"system": code_system(link_id), "code": code, "display": display}


def build_questionnaire(rules: Ruleset) -> Json:
    """The Questionnaire as FHIR JSON (plain dicts and lists): in the rules' own language, with
    every text a person reads also given in each other language the rules speak (FHIR's
    translation extension), so one resource serves a form in any of them."""
    english = rules.in_language(rules.manifest.languages[0])
    questionnaire = _in_language(english)
    for language in rules.manifest.languages[1:]:
        _add_translation(questionnaire, _in_language(english.in_language(language)), language)
    return questionnaire


def _in_language(rules: Ruleset) -> Json:
    say = rules.say
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        # Written to be rendered by Structured Data Capture form tools.
        "meta": {"profile": [SDC_QUESTIONNAIRE]},
        "language": rules.language,
        "url": QUESTIONNAIRE_URL,
        "version": rules.version,
        "name": "LowerBackIntake",
        "title": say(TITLE),
        "status": "active",
        "subjectType": ["Patient"],
        "description": say("The questions a person answers to find out whether they should see a health "
                           "professional before they start, and which exercises are safe for them to start with."),
        "item": [*(_item(link_id, rules) for link_id in ANSWER_LINK_IDS), _check_in_question(rules),
                 _progress_group(rules)],
    }


# The elements a person reads, which carry translations; codes, ids and links never differ.
# (An option's XHTML rendering, an extension's valueString, stays in English: R4 validators
# refuse an extension on it.)
_WORDS = ("title", "description", "text", "display")


def _add_translation(base: Any, translated: Any, language: str) -> None:
    """Give each text of `base` that `translated` (the same resource in `language`) words
    otherwise, as a translation extension on the element's `_` twin."""
    if isinstance(base, list):
        # Translations added for an earlier language are not in `translated`.
        own = [item for item in base if not (isinstance(item, dict) and item.get("url") == TRANSLATION)]
        for mine, theirs in zip(own, translated, strict=True):
            _add_translation(mine, theirs, language)
        return
    if not isinstance(base, dict):
        return
    for name in list(base):
        if name.startswith("_") and name.removeprefix("_") in _WORDS:
            continue
        mine, theirs = base[name], translated[name]
        if name in _WORDS and isinstance(mine, str):
            if theirs != mine:
                twin = base.setdefault(f"_{name}", {})
                twin.setdefault("extension", []).append({"url": TRANSLATION, "extension": [
                    {"url": "lang", "valueCode": language}, {"url": "content", "valueString": theirs}]})
        else:
            _add_translation(mine, theirs, language)



def _check_in_question(rules: Ruleset) -> Json:
    return {"linkId": CHECK_IN_QUESTION, "text": rules.say(CHECK_IN_TEXT), "type": "boolean", "required": True}


def _progress_group(rules: Ruleset) -> Json:
    # Shown, and then required with each of its questions, only at a check-in.
    return {"linkId": PROGRESS_GROUP, "text": rules.progression.title, "type": "group", "required": True,
            "enableWhen": [{"question": CHECK_IN_QUESTION, "operator": "=", "answerBoolean": True}],
            "item": [_item(link_id, rules) for link_id in PROGRESS_LINK_IDS]}


def _item(link_id: str, rules: Ruleset) -> Json:
    question = question_of(link_id, rules)
    kind = item_type(link_id)
    item: Json = {"linkId": link_id, "text": question.label, "type": kind, "required": is_required(link_id)}
    if link_id in ITEM_CODES:
        system, code, display = ITEM_CODES[link_id]
        item["code"] = [{"system": system, "code": code, "display": display}]
    if repeats(link_id):
        item["repeats"] = True
    if (bounds := answer_range(link_id)) is not None:
        item["extension"] = [{"url": MIN_VALUE, "valueInteger": bounds[0]},
                             {"url": MAX_VALUE, "valueInteger": bounds[1]}]
    if kind == "choice":
        item["answerOption"] = [_option(link_id, code, label, help_text)
                                for code, label, help_text in choices(link_id, rules)]
        if has_none_option(link_id):
            none = _option(link_id, NONE_CODE, rules.say(NONE_OF_THESE), None)
            none["extension"] = [{"url": OPTION_EXCLUSIVE, "valueBoolean": True}]
            item["answerOption"].append(none)
    if link_id in FOLLOW_UP_QUESTIONS:
        ticks, sign = FOLLOW_UP_QUESTIONS[link_id]
        item["enableWhen"] = [{"question": ticks, "operator": "=",
                               "answerCoding": {"system": code_system(ticks), "code": sign}}]
    children = [_help(link_id, question.help)] if question.help else []
    children += _contradiction_warnings(link_id, rules)
    if children:
        item["item"] = children
    return item


def _option(link_id: str, code: str, label: str, help_text: str | None) -> Json:
    value = coding(link_id, code, label)
    if help_text:
        # The plain display stays the label; forms that render XHTML also show the explanation.
        value["_display"] = {"extension": [{
            "url": RENDERING_XHTML,
            "valueString": f"{html.escape(label)}<br/>{html.escape(help_text)}",
        }]}
    return {"valueCoding": value}


def _help(link_id: str, text: str) -> Json:
    return {
        "linkId": f"{link_id}.help",
        "text": text,
        "type": "display",
        "extension": [{"url": ITEM_CONTROL, "valueCodeableConcept": {"coding": [{
            "system": "http://hl7.org/fhir/questionnaire-item-control", "code": "help", "display": "Help-Button",
        }]}}],
    }


def _contradiction_warnings(link_id: str, rules: Ruleset) -> list[Json]:
    """A message shown when answers contradict each other, worded as in `contradictions()`.

    The intake knows one contradiction: pain right now, but "I have no back pain" as its
    duration. The form asks every question whatever the answers (a person without pain now
    may still have had a recent bout), so the dependency is a warning, not a hidden question.
    """
    [warning] = contradictions(1, "none", rules.say)
    if link_id != warning.field:
        return []
    return [{
        "linkId": f"{link_id}.check",
        "text": str(warning),
        "type": "display",
        "enableWhen": [
            {"question": "pain_now", "operator": ">", "answerInteger": 0},
            {"question": "pain_duration", "operator": "=",
             "answerCoding": {"system": code_system("pain_duration"), "code": "none"}},
        ],
        "enableBehavior": "all",
    }]
