"""Check a QuestionnaireResponse against its Questionnaire, and report problems as FHIR does.

FHIR libraries check that a resource is well formed, but not that its answers fit the
questionnaire. This does: every linkId names a question, each answer has the question's type
and is one of its allowed answers and inside its range, single-answer questions have one,
required questions are answered and "None of these" stands alone. Resources are FHIR JSON:
plain dicts and lists, exactly as parsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]

# The value[x] each item type is answered with, and how to describe it in a message.
VALUE_KEYS = {
    "boolean": ("valueBoolean", "true or false"),
    "integer": ("valueInteger", "a whole number"),
    "choice": ("valueCoding", "a code from the question's answer options"),
    "string": ("valueString", "text"),
    "text": ("valueString", "text"),
}
QUESTIONNAIRE_RESPONSE_ELEMENTS = frozenset({
    "resourceType", "id", "meta", "implicitRules", "language", "text", "contained", "extension",
    "modifierExtension", "identifier", "basedOn", "partOf", "questionnaire", "status", "subject",
    "encounter", "authored", "author", "source", "item",
})
ITEM_ELEMENTS = frozenset({"id", "extension", "modifierExtension", "linkId", "definition", "text", "answer", "item"})
ANSWER_ELEMENTS = frozenset({"id", "extension", "modifierExtension", "item"})
FINISHED = ("completed", "amended")
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"


@dataclass(frozen=True)
class Issue:
    """One problem, as an OperationOutcome issue: a FHIR issue type, a plain message, and where.

    `link_id` names the question; problems with the resource as a whole name an `element`.
    """

    code: str
    message: str
    link_id: str | None = None
    element: str | None = None

    @property
    def expression(self) -> str:
        if self.link_id is not None:
            quoted = self.link_id.replace("\\", "\\\\").replace("'", "\\'")
            return f"QuestionnaireResponse.item.where(linkId='{quoted}')"
        return "QuestionnaireResponse" + (f".{self.element}" if self.element else "")


def operation_outcome(issues: list[Issue]) -> Json:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": issue.code, "diagnostics": issue.message,
                   "expression": [issue.expression]} for issue in issues],
    }


def check_response(questionnaire: Json, response: Json) -> list[Issue]:
    """Every problem with `response` as answers to `questionnaire`; [] when there is none."""
    issues = _check_resource(questionnaire, response)
    items = response.get("item", [])
    if not isinstance(items, list):
        return [*issues, Issue("structure", "The answers must be a list of items.", element="item")]
    answers = answer_values(questionnaire.get("item", []), items)
    return issues + _check_items(questionnaire.get("item", []), items, answers)


def answer_values(questions: list[Json], items: list[Any]) -> dict[str, list[Any]]:
    """The values given for each linkId, from well-formed items only; into groups, not deeper."""
    groups = {question["linkId"]: question for question in questions if question["type"] == "group"}
    found: dict[str, list[Any]] = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("linkId"), str):
            continue
        answers = item.get("answer")
        if isinstance(answers, list):
            found.setdefault(item["linkId"], []).extend(
                value for answer in answers if isinstance(answer, dict)
                for key, value in answer.items() if key.startswith("value"))
        group = groups.get(item["linkId"])
        if group is not None and isinstance(item.get("item"), list):
            found.update(answer_values(group.get("item", []), item["item"]))
    return found


def is_enabled(item: Json, answers: dict[str, list[Any]]) -> bool:
    """Whether an item is shown, from its enableWhen conditions and the answers given."""
    conditions = item.get("enableWhen") or []
    if not conditions:
        return True
    results = [_holds(condition, answers.get(condition["question"], [])) for condition in conditions]
    return all(results) if item.get("enableBehavior") == "all" else any(results)


def _holds(condition: Json, values: list[Any]) -> bool:
    operator = condition["operator"]
    expected = next(value for key, value in condition.items() if key.startswith("answer"))
    if operator == "exists":
        return bool(values) is bool(expected)
    return any(_compare(value, operator, expected) for value in values)


def _compare(actual: Any, operator: str, expected: Any) -> bool:
    if isinstance(expected, dict):  # a Coding: equal when the codes and systems agree
        same = (isinstance(actual, dict) and actual.get("code") == expected.get("code")
                and actual.get("system", expected.get("system")) == expected.get("system"))
        return {"=": same, "!=": not same}.get(operator, False)
    if type(actual) is not type(expected):
        return False
    comparisons: dict[str, bool] = {"=": actual == expected, "!=": actual != expected}
    if isinstance(expected, int | float) and not isinstance(expected, bool):
        comparisons.update({">": actual > expected, "<": actual < expected,
                            ">=": actual >= expected, "<=": actual <= expected})
    return comparisons.get(operator, False)


def _check_resource(questionnaire: Json, response: Json) -> list[Issue]:
    if response.get("resourceType") != "QuestionnaireResponse":
        return [Issue("structure", "Send a QuestionnaireResponse: resourceType must be \"QuestionnaireResponse\".",
                      element="resourceType")]
    issues = _unknown_elements(response, QUESTIONNAIRE_RESPONSE_ELEMENTS, None)
    url = questionnaire["url"]
    canonical = response.get("questionnaire")
    if canonical is None:
        issues.append(Issue("required", f"Name the questionnaire these answers are for: {url}",
                            element="questionnaire"))
    elif not isinstance(canonical, str) or canonical.split("|")[0] != url:
        issues.append(Issue("value", f"These answers are for another questionnaire. This service reads "
                                     f"answers to {url} only.", element="questionnaire"))
    status = response.get("status")
    if status not in FINISHED:
        issues.append(Issue("value" if status is not None else "required",
                            "Only finished answers can be used: set status to \"completed\".", element="status"))
    if "implicitRules" in response:
        issues.append(Issue("not-supported", "Answers made under other rules (implicitRules) cannot be read.",
                            element="implicitRules"))
    return issues


def _unknown_elements(found: Json, known: frozenset[str], link_id: str | None, where: str = "") -> list[Issue]:
    issues = []
    for key in found:
        if key == "modifierExtension":
            issues.append(Issue("not-supported", f"{where}modifierExtension cannot be read here: it may change "
                                                 f"what the answers mean.", link_id=link_id,
                                element=None if link_id else "modifierExtension"))
        elif key.removeprefix("_") not in known:
            issues.append(Issue("structure", f"{where}'{key}' is not part of a QuestionnaireResponse.",
                                link_id=link_id, element=None if link_id else key))
    return issues


def _check_items(questions: list[Json], items: list[Any], answers: dict[str, list[Any]]) -> list[Issue]:
    by_link_id = {question["linkId"]: question for question in questions}
    issues: list[Issue] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        link_id = item.get("linkId") if isinstance(item, dict) else None
        if not isinstance(item, dict) or not isinstance(link_id, str) or not link_id:
            issues.append(Issue("structure", "Each item must be an object with a linkId that names its question.",
                                element=f"item[{index}]"))
            continue
        question = by_link_id.get(link_id)
        if question is None:
            issues.append(Issue("structure", f"'{link_id}' is not a question in this questionnaire.", link_id))
            continue
        if question["type"] == "display":
            issues.append(Issue("structure", "This is text to read, not a question: leave it out.", link_id))
            continue
        if link_id in seen:
            issues.append(Issue("structure", "This question is in more than one item. "
                                             "Put all of its answers in one item.", link_id))
            continue
        seen.add(link_id)
        issues += _unknown_elements(item, ITEM_ELEMENTS, link_id, "An item's ")
        if question["type"] == "group":
            if not is_enabled(question, answers):
                issues.append(Issue("business-rule", "Leave these questions out: another answer says they do not "
                                                     "apply.", link_id))
                continue
            nested = item.get("item", [])
            if isinstance(nested, list):
                issues += _check_items(question.get("item", []), nested, answers)
            continue
        if "item" in item:
            issues.append(Issue("structure", "This question has no follow-up questions.", link_id))
        issues += _check_answers(question, item.get("answer", []), answers)
    for question in questions:
        if (question.get("required") and question["linkId"] not in seen and question["type"] != "display"
                and is_enabled(question, answers)):
            issues.append(Issue("required", _required_message(question), question["linkId"]))
    return issues


def _required_message(question: Json) -> str:
    if question["type"] == "group":
        return "Answer these questions too: another answer says they apply."
    exclusive = [option for option in question.get("answerOption", []) if _is_exclusive(option)]
    if exclusive:
        return f"Choose every answer that applies, or \u201c{exclusive[0]['valueCoding']['display']}\u201d."
    return "This answer is required."


def _check_answers(question: Json, answers: Any, given: dict[str, list[Any]]) -> list[Issue]:
    link_id = question["linkId"]
    if not isinstance(answers, list) or not all(isinstance(answer, dict) for answer in answers):
        return [Issue("structure", "The answers to a question must be a list of objects.", link_id)]
    if not answers:
        return [Issue("required", _required_message(question), link_id)] if question.get("required") else []
    if not is_enabled(question, given):
        return [Issue("business-rule", "Leave this question out: other answers say it does not apply.", link_id)]
    if len(answers) > 1 and not question.get("repeats"):
        return [Issue("structure", "Give only one answer to this question.", link_id)]
    key, kind = VALUE_KEYS.get(question["type"], (None, None))
    issues = []
    for answer in answers:
        values = [name for name in answer if name.startswith("value")]
        issues += _unknown_elements(answer, ANSWER_ELEMENTS.union(values), link_id, "An answer's ")
        if "item" in answer:
            issues.append(Issue("structure", "This question has no follow-up questions.", link_id))
        if key is None or values != [key] or not _has_type(answer[key], question["type"]):
            issues.append(Issue("structure", f"Give each answer as {key} ({kind}).", link_id))
            continue
        problem = _not_allowed(question, answer[key])
        if problem:
            issues.append(Issue("value", problem, link_id))
    exclusive = [answer for answer in answers if _chosen_option_is_exclusive(question, answer)]
    if exclusive and len(answers) > 1:
        display = exclusive[0]["valueCoding"].get("display") or exclusive[0]["valueCoding"]["code"]
        issues.append(Issue("business-rule", f"\u201c{display}\u201d cannot be chosen along with other answers. "
                                             f"Please check the answer.", link_id))
    return issues


def _has_type(value: Any, item_type: str) -> bool:
    if item_type == "boolean":
        return isinstance(value, bool)
    if item_type == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if item_type == "choice":
        return (isinstance(value, dict) and isinstance(value.get("code"), str)
                and all(isinstance(value.get(name, ""), str) for name in ("system", "display", "version")))
    return isinstance(value, str)


def _not_allowed(question: Json, value: Any) -> str | None:
    options = question.get("answerOption")
    if options and question["type"] == "choice":
        codings = [option["valueCoding"] for option in options]
        if not any(_compare(value, "=", coding) for coding in codings):
            return (f"'{value['code']}' is not an allowed answer. "
                    f"Allowed: {', '.join(coding['code'] for coding in codings)}.")
    low = _extension_value(question, MIN_VALUE)
    high = _extension_value(question, MAX_VALUE)
    if (low is not None and value < low) or (high is not None and value > high):
        if low is not None and high is not None:
            return f"Choose a number from {low} to {high}."
        return f"Choose a number of at least {low}." if low is not None else f"Choose a number of at most {high}."
    return None


def _extension_value(question: Json, url: str) -> Any:
    return next((value for extension in question.get("extension", []) if extension["url"] == url
                 for key, value in extension.items() if key.startswith("value")), None)


def _is_exclusive(option: Json) -> bool:
    return any(extension["url"] == OPTION_EXCLUSIVE and extension.get("valueBoolean")
               for extension in option.get("extension", []))


def _chosen_option_is_exclusive(question: Json, answer: Json) -> bool:
    value = answer.get("valueCoding")
    return any(_is_exclusive(option) and _compare(value, "=", option["valueCoding"])
               for option in question.get("answerOption", []))
