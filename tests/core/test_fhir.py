"""The intake in FHIR R4: the Questionnaire, the answer check, and QuestionnaireResponses both ways.

fhir.resources (its R4 models are in `fhir.resources.R4B`) checks that each resource is well
formed; `check_response` checks what it cannot: that every answer fits the Questionnaire.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import pytest
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from recommender.engine.recommending import recommend
from recommender.fhir import (
    QUESTIONNAIRE_URL,
    Issue,
    ResponseRejected,
    answers_response,
    build_questionnaire,
    check_response,
    operation_outcome,
    read_response,
)
from recommender.fhir.check import answer_values, is_enabled
from recommender.fhir.questionnaire import code_system, question_of
from recommender.model.intake import (
    ASK_FOR_NONE,
    NONE_OF_THESE,
    PAIN_DURATIONS,
    PAIN_RANGE,
    Intake,
    Progress,
    contradictions,
)
from recommender.model.intake import explain_errors as api_messages
from recommender.model.ruleset import Ruleset
from tests.conftest import PROJECT, MakeIntake
from tests.json_tools import put_at
from tests.strategies import intakes, json_values

Json = dict[str, Any]
WHEN = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
SCHEMA = Intake.model_json_schema()


@pytest.fixture(scope="module")
def questionnaire(rules: Ruleset) -> Json:
    return build_questionnaire(rules)


def response_for(intake: Intake, rules: Ruleset) -> Json:
    return answers_response(intake, recommend(intake, rules), rules, WHEN)


def items_by_link_id(questionnaire: Json) -> dict[str, Json]:
    """Every question, those inside the check-in's group too."""
    found = {}
    for item in questionnaire["item"]:
        found[item["linkId"]] = item
        if item["type"] == "group":
            found |= {child["linkId"]: child for child in item["item"]}
    return found


# --- the Questionnaire ------------------------------------------------------------------

def test_the_fhir_mapping_is_domain_core_and_imports_no_flask() -> None:
    code = ("import sys, recommender.fhir; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'werkzeug', 'wtforms')))")
    printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             cwd=PROJECT).stdout.strip()
    assert printed == "[]"


def test_the_questionnaire_is_a_valid_r4_questionnaire(questionnaire: Json) -> None:
    parsed = Questionnaire.model_validate(questionnaire)
    assert parsed.status == "active"
    assert parsed.url == QUESTIONNAIRE_URL


def test_the_questionnaire_carries_the_rules_version(questionnaire: Json, rules: Ruleset) -> None:
    assert questionnaire["version"] == rules.version


def test_each_question_is_an_api_field_in_the_same_order_with_the_check_in_asked_before_its_report(
        questionnaire: Json) -> None:
    fields = [name for name in Intake.model_fields if name != "progress"]
    assert [item["linkId"] for item in questionnaire["item"]] == [*fields, "is_check_in", "progress"]


def test_question_texts_are_the_form_wording(questionnaire: Json, rules: Ruleset) -> None:
    for link_id, item in items_by_link_id(questionnaire).items():
        if item["type"] == "group":
            assert item["text"] == rules.progression.title
            continue
        if link_id == "is_check_in":
            continue  # the form has a page of its own for a check-in, so no question to word it
        question = question_of(link_id, rules)
        assert item["text"] == question.label
        help_items = [child for child in item.get("item", []) if child["linkId"] == f"{link_id}.help"]
        assert [child["text"] for child in help_items] == ([question.help] if question.help else [])


def _api_values(link_id: str) -> list[Any]:
    schema = SCHEMA["properties"][link_id]
    values: list[Any] = schema.get("items", schema).get("enum", [])
    return values


@pytest.mark.parametrize("link_id", [name for name in Intake.model_fields if _api_values(name)])
def test_answer_codes_are_the_api_values_with_the_form_labels(questionnaire: Json, rules: Ruleset,
                                                               link_id: str) -> None:
    options = [option["valueCoding"] for option in items_by_link_id(questionnaire)[link_id]["answerOption"]]
    extra = [{"code": "none", "display": NONE_OF_THESE}] if link_id in ASK_FOR_NONE else []
    assert [o["code"] for o in options] == [str(v) for v in _api_values(link_id)] + [e["code"] for e in extra]
    if link_id == "equipment":
        labels = [item.name for item in rules.equipment.values()]
    else:
        labels = [option.label for option in rules.wording.questions[link_id].options]
    assert [o["display"] for o in options] == labels + [e["display"] for e in extra]
    assert len({o["system"] for o in options}) == 1


@pytest.mark.parametrize("link_id", [name for name, field in SCHEMA["properties"].items() if "minimum" in field])
def test_number_questions_carry_the_api_range(questionnaire: Json, link_id: str) -> None:
    item = items_by_link_id(questionnaire)[link_id]
    assert item["type"] == "integer"
    bounds = {extension["url"].rsplit("/", 1)[1]: extension["valueInteger"] for extension in item["extension"]}
    assert bounds == {"minValue": SCHEMA["properties"][link_id]["minimum"],
                      "maxValue": SCHEMA["properties"][link_id]["maximum"]}


def is_a_list(field: Json) -> bool:
    return field.get("type") == "array" or any(choice.get("type") == "array" for choice in field.get("anyOf", []))


def test_lists_repeat_and_only_equipment_the_professional_check_the_follow_ups_and_the_check_in_may_be_left_blank(
        questionnaire: Json) -> None:
    items = items_by_link_id(questionnaire)
    assert {link_id for link_id, item in items.items() if item.get("repeats")} == {
        name for name, field in SCHEMA["properties"].items() if is_a_list(field)}
    assert [link_id for link_id, item in items.items() if not item["required"]] == [
        "professional_check", "heart_condition_details", "cancer_details", "equipment", "progress.weeks_on_tier"]
    # Required, but only where shown: at a check-in.
    assert items["progress"]["required"] and items["progress"]["enableWhen"]


def test_a_follow_up_is_asked_only_when_its_sign_is_ticked(questionnaire: Json) -> None:
    items = items_by_link_id(questionnaire)
    assert items["heart_condition_details"]["enableWhen"][0]["question"] == "health_flags"
    assert items["heart_condition_details"]["enableWhen"][0]["answerCoding"]["code"] == "heart_condition"
    assert items["cancer_details"]["enableWhen"][0]["answerCoding"]["code"] == "cancer_history"


def test_yes_no_questions_are_boolean(questionnaire: Json) -> None:
    items = items_by_link_id(questionnaire)
    assert {link_id for link_id, item in items.items() if item["type"] == "boolean"} == {
        name for name, field in SCHEMA["properties"].items() if field.get("type") == "boolean"} | {"is_check_in"}


def test_age_and_pain_now_carry_their_loinc_codes_and_no_other_question_has_one(questionnaire: Json) -> None:
    coded = {link_id: [(code["system"], code["code"]) for code in item["code"]]
             for link_id, item in items_by_link_id(questionnaire).items() if "code" in item}
    assert coded == {"age": [("http://loinc.org", "21612-7")], "pain_now": [("http://loinc.org", "72514-3")]}


@pytest.mark.parametrize("pain_now", range(PAIN_RANGE[0], PAIN_RANGE[1] + 1))
@pytest.mark.parametrize("pain_duration", PAIN_DURATIONS)
def test_the_contradiction_warning_shows_exactly_when_the_answers_contradict(
        questionnaire: Json, rules: Ruleset, make_intake: MakeIntake, pain_now: int, pain_duration: str) -> None:
    warnings = [child for item in questionnaire["item"] for child in item.get("item", [])
                if "enableWhen" in child]
    items = copy.deepcopy(response_for(make_intake(), rules)["item"])
    for item in items:
        if item["linkId"] == "pain_now":
            item["answer"] = [{"valueInteger": pain_now}]
        if item["linkId"] == "pain_duration":
            item["answer"] = [_coding("pain_duration", pain_duration)]
    answers = answer_values(questionnaire["item"], items)
    shown = [warning["text"] for warning in warnings if is_enabled(warning, answers)]
    assert shown == [str(c) for c in contradictions(pain_now, pain_duration)]


# --- QuestionnaireResponses made from answers ---------------------------------------------

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(intake=intakes())
def test_any_answers_make_a_valid_response_that_reads_back_the_same(
        intake: Intake, rules: Ruleset, questionnaire: Json) -> None:
    response = response_for(intake, rules)
    QuestionnaireResponse.model_validate(response)
    assert check_response(questionnaire, response) == []
    assert read_response(response, rules) == intake


def test_the_response_contains_the_triage_result(rules: Ruleset, make_intake: MakeIntake) -> None:
    intake = make_intake(red_flags={"night_pain"}, pain_now=3, pain_duration="under_6_weeks")
    response = response_for(intake, rules)
    [observation] = response["contained"]
    assert observation["resourceType"] == "Observation"
    assert observation["derivedFrom"] == [{"reference": "#"}]
    assert observation["valueCodeableConcept"]["coding"][0]["code"] == "urgent"
    assert "constant-night-pain" in [c["code"]["coding"][0]["code"] for c in observation["component"]]
    assert "No exercise plan was given." in observation["note"][1]["text"]
    assert response["questionnaire"] == f"{QUESTIONNAIRE_URL}|{rules.version}"


def test_no_signs_is_answered_with_none_of_these(rules: Ruleset, make_intake: MakeIntake) -> None:
    items = {item["linkId"]: item for item in response_for(make_intake(), rules)["item"]}
    for link_id in ASK_FOR_NONE:
        assert [a["valueCoding"]["display"] for a in items[link_id]["answer"]] == [NONE_OF_THESE]
    assert "equipment" not in items  # nothing ticked: left out, and read back as no equipment


# --- reading responses: every problem names its question -----------------------------------

def _change(response: Json, link_id: str, answer: Any) -> Json:
    changed = copy.deepcopy(response)
    for item in changed["item"]:
        if item["linkId"] == link_id:
            item["answer"] = answer
    return changed


def _coding(link_id: str, code: str) -> Json:
    return {"valueCoding": {"system": code_system(link_id), "code": code}}


@pytest.mark.parametrize(("link_id", "answer", "code"), [
    ("age", [{"valueInteger": 15}], "value"),
    ("age", [{"valueInteger": 101}], "value"),
    ("age", [{"valueString": "40"}], "structure"),
    ("age", [{"valueInteger": 40.5}], "structure"),
    ("age", [{"valueInteger": True}], "structure"),
    ("age", [{"valueInteger": 40}, {"valueInteger": 41}], "structure"),
    ("age", [], "required"),
    ("age", "forty", "structure"),
    ("pain_now", True, "structure"),
    ("pain_now", None, "structure"),
    ("experience", [_coding("experience", "expert")], "value"),
    ("experience", [{"valueCoding": {"system": "http://other.example", "code": "none"}}], "value"),
    ("experience", [{"valueCoding": {"code": 7}}], "structure"),
    ("pain_below_knee", [_coding("pain_below_knee", "yes")], "structure"),
    ("red_flags", [_coding("red_flags", "none"), _coding("red_flags", "night_pain")], "business-rule"),
    ("red_flags", [_coding("red_flags", "headache")], "value"),
    ("red_flags", [], "required"),
    ("health_flags", [{"valueCoding": {"code": "pregnant"}, "modifierExtension": []}], "not-supported"),
    ("days_per_week", [{"valueInteger": 5}], "value"),
    ("pain_duration", [{"valueCoding": {"code": "none"}, "item": []}], "structure"),
], ids=str)
def test_a_bad_answer_is_rejected_naming_its_question(rules: Ruleset, make_intake: MakeIntake,
                                                      link_id: str, answer: Any, code: str) -> None:
    response = _change(response_for(make_intake(), rules), link_id, answer)
    with pytest.raises(ResponseRejected) as rejected:
        read_response(response, rules)
    assert [(issue.link_id, issue.code) for issue in rejected.value.issues] == [(link_id, code)]
    assert rejected.value.issues[0].message


def test_the_same_bad_answer_gets_the_api_message(rules: Ruleset, make_intake: MakeIntake) -> None:
    response = _change(response_for(make_intake(), rules), "age", [{"valueInteger": 15}])
    with pytest.raises(ResponseRejected) as rejected:
        read_response(response, rules)
    try:
        Intake.model_validate({**make_intake().model_dump(), "age": 15})
    except ValidationError as error:
        assert rejected.value.issues[0].message == api_messages(error)[0].message


def test_pain_now_without_a_pain_bout_is_a_contradiction(rules: Ruleset, make_intake: MakeIntake) -> None:
    response = _change(response_for(make_intake(), rules), "pain_now", [{"valueInteger": 4}])
    with pytest.raises(ResponseRejected) as rejected:
        read_response(response, rules)
    assert [(i.link_id, i.code, i.message) for i in rejected.value.issues] == [
        ("pain_duration", "business-rule", str(contradictions(4, "none")[0]))]


@pytest.mark.parametrize(("change", "expected"), [
    ({"item": [{"linkId": "favourite_colour", "answer": [{"valueString": "blue"}]}]}, "favourite_colour"),
    ({"item": [{"linkId": "age.help"}]}, "age.help"),
])
def test_an_item_that_is_not_a_question_is_named(rules: Ruleset, make_intake: MakeIntake,
                                                  change: Json, expected: str) -> None:
    response = response_for(make_intake(), rules)
    response["item"] += change["item"]
    with pytest.raises(ResponseRejected) as rejected:
        read_response(response, rules)
    assert [issue.link_id for issue in rejected.value.issues] == [expected]


def test_a_question_answered_twice_is_named(rules: Ruleset, make_intake: MakeIntake) -> None:
    response = response_for(make_intake(), rules)
    response["item"].append(copy.deepcopy(response["item"][0]))
    with pytest.raises(ResponseRejected) as rejected:
        read_response(response, rules)
    assert [issue.link_id for issue in rejected.value.issues] == ["age"]


def test_every_missing_question_is_named_at_once(rules: Ruleset, make_intake: MakeIntake) -> None:
    response = response_for(make_intake(), rules)
    response["item"] = response["item"][:1]
    with pytest.raises(ResponseRejected) as rejected:
        read_response(response, rules)
    assert [issue.link_id for issue in rejected.value.issues] == [
        name for name in Intake.model_fields
        if name not in ("age", "professional_check", "heart_condition_details", "cancer_details", "equipment",
                        "progress")]
    assert {issue.code for issue in rejected.value.issues} == {"required"}


@pytest.mark.parametrize(("change", "element"), [
    ({"resourceType": "Questionnaire"}, "resourceType"),
    ({"questionnaire": "http://other.example/Questionnaire/back"}, "questionnaire"),
    ({"questionnaire": None}, "questionnaire"),
    ({"status": "in-progress"}, "status"),
    ({"status": None}, "status"),
    ({"modifierExtension": [{"url": "http://other.example/x", "valueBoolean": True}]}, "modifierExtension"),
    ({"implicitRules": "http://other.example/rules"}, "implicitRules"),
    ({"favourite_colour": "blue"}, "favourite_colour"),
    ({"item": {"linkId": "age"}}, "item"),
])
def test_a_response_to_something_else_is_rejected_before_its_answers(
        rules: Ruleset, make_intake: MakeIntake, change: Json, element: str) -> None:
    response = {key: value for key, value in {**response_for(make_intake(), rules), **change}.items()
                if value is not None}
    with pytest.raises(ResponseRejected) as rejected:
        read_response(response, rules)
    assert [issue.element for issue in rejected.value.issues] == [element]


def test_any_version_of_the_questionnaire_is_read(rules: Ruleset, make_intake: MakeIntake) -> None:
    # linkIds and codes are the API contract, which keeps them across rules versions.
    for canonical in (QUESTIONNAIRE_URL, f"{QUESTIONNAIRE_URL}|0.9.0"):
        response = {**response_for(make_intake(), rules), "questionnaire": canonical}
        assert read_response(response, rules) == make_intake()


def test_the_triage_inside_a_response_is_ignored_and_worked_out_again(rules: Ruleset,
                                                                       make_intake: MakeIntake) -> None:
    response = response_for(make_intake(red_flags={"saddle_numbness"}), rules)
    response["item"] = response_for(make_intake(), rules)["item"]  # the flag taken out, the "result" kept
    assert read_response(response, rules) == make_intake()


# --- hostile responses ------------------------------------------------------------------

any_json = json_values(max_text=12, max_key=12, max_children=3, max_leaves=8)
paths_in_a_response = st.sampled_from([
    ("item",), ("item", 0), ("item", 2, "answer"), ("item", 3, "answer", 0), ("item", 3, "answer", 0, "valueCoding"),
    ("item", 6, "answer", 0, "valueCoding", "code"), ("item", 1, "linkId"), ("questionnaire",), ("status",),
    ("item", 4, "answer", 0, "valueBoolean"), ("item", 9), ("item", 0, "answer", 0, "valueInteger"),
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(intake=intakes(), changes=st.lists(st.tuples(paths_in_a_response, any_json), max_size=3))
def test_a_damaged_response_is_read_or_rejected_with_named_problems(
        rules: Ruleset, intake: Intake, changes: list[tuple[tuple[Any, ...], Any]]) -> None:
    response = response_for(intake, rules)
    for path, value in changes:
        put_at(response, path, value)
    try:
        read = read_response(response, rules)
    except ResponseRejected as rejected:
        assert rejected.issues
        for issue in rejected.issues:
            assert issue.message
            assert issue.link_id or issue.element
        OperationOutcome.model_validate(operation_outcome(rejected.issues))
    else:
        assert check_response(build_questionnaire(rules), response) == []
        assert isinstance(read, Intake)


def test_an_operation_outcome_is_valid_r4_and_names_the_question() -> None:
    outcome = operation_outcome([Issue("value", "Choose a number from 16 to 100.", "age"),
                                 Issue("value", "Only finished answers can be used.", element="status")])
    OperationOutcome.model_validate(outcome)
    assert [issue["expression"] for issue in outcome["issue"]] == [
        ["QuestionnaireResponse.item.where(linkId='age')"], ["QuestionnaireResponse.status"]]
    assert {issue["severity"] for issue in outcome["issue"]} == {"error"}


def test_a_link_id_with_quotes_stays_one_fhirpath_string() -> None:
    assert Issue("structure", "x", "it's").expression == "QuestionnaireResponse.item.where(linkId='it\\'s')"


# --- the check-in ------------------------------------------------------------------------

REPORT = Progress(tier="beginner", sessions_done=6, pain_during_max=1, next_morning="same", sets_completed="all")


def test_the_check_in_report_is_shown_only_after_a_yes_and_its_questions_are_all_required_but_the_weeks(
        questionnaire: Json) -> None:
    items = items_by_link_id(questionnaire)
    group = items["progress"]
    assert items["is_check_in"]["type"] == "boolean" and items["is_check_in"]["required"] is True
    assert group["type"] == "group"
    assert group["enableWhen"] == [{"question": "is_check_in", "operator": "=", "answerBoolean": True}]
    assert not is_enabled(group, {})
    assert not is_enabled(group, {"is_check_in": [False]})
    assert is_enabled(group, {"is_check_in": [True]})
    assert [(child["linkId"], child["required"]) for child in group["item"]] == [
        (f"progress.{name}", name != "weeks_on_tier") for name in Progress.model_fields]


def check_in_answer(response: Json) -> list[Any]:
    [item] = [item for item in response["item"] if item["linkId"] == "is_check_in"]
    return [answer["valueBoolean"] for answer in item["answer"]]


def test_a_response_says_whether_it_is_a_check_in(rules: Ruleset, make_intake: MakeIntake) -> None:
    assert check_in_answer(response_for(make_intake(), rules)) == [False]
    assert check_in_answer(response_for(make_intake(progress=REPORT), rules)) == [True]


def without_check_in_question(response: Json) -> Json:
    return {**response, "item": [item for item in response["item"] if item["linkId"] != "is_check_in"]}


def test_a_response_that_does_not_say_is_a_check_in_exactly_when_it_gives_a_report(
        rules: Ruleset, make_intake: MakeIntake) -> None:
    # As responses written before the question was asked always read.
    for intake in (make_intake(), make_intake(progress=REPORT)):
        assert read_response(without_check_in_question(response_for(intake, rules)), rules) == intake


def test_a_check_in_without_its_report_names_the_report(rules: Ruleset, make_intake: MakeIntake) -> None:
    response = response_for(make_intake(progress=REPORT), rules)
    response["item"] = [item for item in response["item"] if item["linkId"] != "progress"]
    with pytest.raises(ResponseRejected) as rejected:
        read_response(response, rules)
    assert [(issue.link_id, issue.code) for issue in rejected.value.issues] == [("progress", "required")]


def test_a_report_on_a_first_visit_is_refused_rather_than_read_as_a_check_in(
        rules: Ruleset, make_intake: MakeIntake) -> None:
    response = _change(response_for(make_intake(progress=REPORT), rules), "is_check_in", [{"valueBoolean": False}])
    with pytest.raises(ResponseRejected) as rejected:
        read_response(response, rules)
    assert [(issue.link_id, issue.code) for issue in rejected.value.issues] == [("progress", "business-rule")]


def test_a_check_in_reads_back_to_the_same_report(rules: Ruleset, make_intake: MakeIntake) -> None:
    intake = make_intake(progress=REPORT)
    assert read_response(response_for(intake, rules), rules) == intake


def test_a_check_in_with_an_answer_missing_names_it(rules: Ruleset, make_intake: MakeIntake) -> None:
    response = response_for(make_intake(progress=REPORT), rules)
    [group] = [item for item in response["item"] if item["linkId"] == "progress"]
    group["item"] = [child for child in group["item"] if child["linkId"] != "progress.next_morning"]
    with pytest.raises(ResponseRejected) as rejected:
        read_response(response, rules)
    assert [issue.link_id for issue in rejected.value.issues] == ["progress.next_morning"]


def test_the_check_in_decision_is_in_the_triage_observation(rules: Ruleset, make_intake: MakeIntake) -> None:
    response = response_for(make_intake(progress=REPORT), rules)
    [component] = [c for c in response["contained"][0]["component"]
                   if c["code"]["coding"][0]["code"] == "check-in"]
    assert component["valueCodeableConcept"]["coding"][0]["code"] == "move_up"
    assert component["valueCodeableConcept"]["text"] == "Move up to Intermediate"
