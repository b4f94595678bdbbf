"""The OpenAPI 3.1 description of the JSON API, generated from the models that do the work.

The request schema is `Intake`'s, the answer schema `Recommendation`'s, the error schema
`Errors`'s, so the description cannot drift from what the API checks and sends. OpenAPI 3.1
uses JSON Schema 2020-12, which is what pydantic writes; only the place of the shared
definitions changes, from `$defs` to `components/schemas`. The rules add the words: each
field's description is the question a person is asked on the form.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.json_schema import models_json_schema

from recommender.engine.recommending import recommend
from recommender.fhir import QUESTIONNAIRE_ID, QUESTIONNAIRE_URL
from recommender.fhir.check import FINISHED, QUESTIONNAIRE_RESPONSE_ELEMENTS
from recommender.model.intake import FieldError, Intake, Progress, explain_errors
from recommender.model.outcome import Recommendation
from recommender.model.ruleset import Ruleset
from recommender.web.responses import MAX_BODY_BYTES

Json = dict[str, Any]
REF = "#/components/schemas/{model}"
PLAN_PATH = "/api/v1/plan"
QUESTIONNAIRE_PATH = f"/fhir/Questionnaire/{QUESTIONNAIRE_ID}"
FHIR_PLAN_PATH = "/fhir/QuestionnaireResponse/$plan"

# The README's example: a beginner with mild, recent back pain, a mat and a kettlebell.
EXAMPLE_INTAKE = Intake(
    age=42, experience="beginner", pain_now=2, pain_duration="under_6_weeks", pain_below_knee=False,
    back_surgery_or_injury=False, red_flags=frozenset(), health_flags=frozenset(),
    equipment=frozenset({"mat", "kettlebell"}), days_per_week=3,
)
# A check-in's report after two good weeks on the beginner tier.
EXAMPLE_REPORT = Progress(tier="beginner", sessions_done=6, pain_during_max=1, next_morning="same",
                          sets_completed="all")
# The same person with two mistakes, to show what an error answer looks like.
EXAMPLE_MISTAKES = {"age": 15, "experience": "expert"}


class Errors(BaseModel):
    """Why the answers could not be used: every problem at once, each naming its field
    ("body" when the request as a whole is the problem)."""

    model_config = ConfigDict(frozen=True)

    errors: list[FieldError]


def example_request() -> Json:
    return EXAMPLE_INTAKE.model_dump(mode="json")


def example_errors() -> Json:
    try:
        Intake.model_validate({**EXAMPLE_INTAKE.model_dump(), **EXAMPLE_MISTAKES})
    except ValidationError as error:
        return Errors(errors=explain_errors(error)).model_dump(mode="json")
    raise AssertionError("the example mistakes passed validation")


def example_answer(rules: Ruleset) -> Json:
    return recommend(EXAMPLE_INTAKE, rules).model_dump(mode="json")


# Built once per ruleset; the result is shared, so treat it as read-only.
@lru_cache(maxsize=4)
def build_openapi(rules: Ruleset) -> Json:
    _, schema = models_json_schema(
        [(Intake, "validation"), (Recommendation, "serialization"), (Errors, "serialization")],
        ref_template=REF,
    )
    schemas: Json = schema["$defs"]
    _describe_questions(schemas["Intake"], rules)
    _describe_check_in(schemas["Progress"], rules)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Stronger lower back: a safe starting plan",
            "version": "1",
            "summary": "Triage and a tiered exercise plan for the lower back, from one person's answers.",
            "description": (
                "Send one person's answers; get back whether they should see a health professional "
                "first and how soon, and, when it is safe, a beginner, intermediate and advanced "
                f"exercise plan. Nothing is stored. The answers follow rules version {rules.version}. "
                "At a check-in, two weeks on, add `progress` (how the last two weeks went): the "
                "answer then says whether to move up a tier, stay, step back or see a professional "
                "(`check_in`), after the same screening as a first visit. "
                f"The same questions are a FHIR R4 Questionnaire at {QUESTIONNAIRE_PATH}, and "
                f"POST {FHIR_PLAN_PATH} gives the same answer for a completed QuestionnaireResponse."
            ),
        },
        "paths": {
            PLAN_PATH: {"post": _plan_operation(rules)},
            QUESTIONNAIRE_PATH: {"get": _questionnaire_operation(rules)},
            FHIR_PLAN_PATH: {"post": _fhir_plan_operation()},
        },
        "components": {"schemas": schemas},
    }


def _describe_questions(intake: Json, rules: Ruleset) -> None:
    for name, field in intake["properties"].items():
        if name == "progress":
            field["description"] = (f"Only at a check-in: {rules.progression.title} Leave it out on a "
                                    f"first visit.")
            continue
        question = rules.wording.questions[name]
        field["description"] = " ".join(part for part in (question.label, question.help) if part)


def _describe_check_in(progress: Json, rules: Ruleset) -> None:
    progress["examples"] = [EXAMPLE_REPORT.model_dump(mode="json")]
    for name, field in progress["properties"].items():
        question = rules.progression.questions[name]
        field["description"] = " ".join(part for part in (question.label, question.help) if part)


def _errors(description: str, example: Json | None = None) -> Json:
    content: Json = {"schema": {"$ref": REF.format(model="Errors")}}
    if example is not None:
        content["example"] = example
    return {"description": description, "content": {"application/json": content}}


def _plan_operation(rules: Ruleset) -> Json:
    return {
        "operationId": "plan",
        "summary": "Get the triage result and an exercise plan for one person's answers",
        "requestBody": {
            "required": True,
            "content": {"application/json": {
                "schema": {"$ref": REF.format(model="Intake")},
                "example": example_request(),
            }},
        },
        "responses": {
            "200": {
                "description": "The triage result and, when it is safe to exercise, the plan "
                               "(plan is null when it is withheld).",
                "content": {"application/json": {
                    "schema": {"$ref": REF.format(model="Recommendation")},
                    "example": example_answer(rules),
                }},
            },
            "400": _errors("The body is not valid JSON."),
            "413": _errors(f"The body is larger than {MAX_BODY_BYTES // 1024} KB."),
            "415": _errors("The body was not sent with Content-Type: application/json."),
            "422": _errors("Some answers are missing, not allowed or contradict each other. "
                           "Each error names its field.", example_errors()),
        },
    }


def _questionnaire_operation(rules: Ruleset) -> Json:
    return {
        "operationId": "questionnaire",
        "summary": "Get the questions as a FHIR R4 Questionnaire",
        "description": "linkIds are the field names of the plan request, and answer codes are its values.",
        "responses": {
            "200": {
                "description": "The Questionnaire, in FHIR JSON.",
                "content": {"application/fhir+json": {"schema": {
                    "type": "object",
                    "required": ["resourceType", "url", "version", "status", "item"],
                    "properties": {
                        "resourceType": {"const": "Questionnaire"},
                        "url": {"const": QUESTIONNAIRE_URL},
                        "version": {"const": rules.version},
                        "status": {"const": "active"},
                        "item": {"type": "array", "items": {
                            "type": "object", "required": ["linkId", "type"],
                            "properties": {"linkId": {"enum": list(Intake.model_fields)}},
                        }},
                    },
                }}},
            },
        },
    }


# What the operation checks of a QuestionnaireResponse before its answers: which elements it
# may have, that it is finished, and that its items name their questions. Which answers are
# allowed is the Questionnaire's to say, so a response that fits this schema may still be
# answered 422, each issue naming the question.
_QUESTIONNAIRE_RESPONSE: Json = {
    "type": "object",
    "required": ["resourceType", "questionnaire", "status"],
    "properties": {
        **{element: {} for element in sorted(QUESTIONNAIRE_RESPONSE_ELEMENTS)
           if element not in ("modifierExtension", "implicitRules")},
        "resourceType": {"const": "QuestionnaireResponse"},
        "questionnaire": {"type": "string", "description": f"{QUESTIONNAIRE_URL}, optionally with |version"},
        "status": {"enum": list(FINISHED)},
        "item": {"type": "array", "items": {"type": "object", "required": ["linkId"],
                                            "properties": {"linkId": {"type": "string", "minLength": 1}}}},
    },
    # FHIR's extensions of a primitive element: "_status" beside "status".
    "patternProperties": {"^_": {}},
    "additionalProperties": False,
}
_OPERATION_OUTCOME: Json = {
    "type": "object",
    "required": ["resourceType", "issue"],
    "properties": {
        "resourceType": {"const": "OperationOutcome"},
        "issue": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["severity", "code", "diagnostics"],
            "properties": {"severity": {"const": "error"}, "code": {"type": "string"},
                           "diagnostics": {"type": "string"},
                           "expression": {"type": "array", "items": {"type": "string"}}},
        }},
    },
}


def _outcome(description: str) -> Json:
    return {"description": description, "content": {"application/fhir+json": {"schema": _OPERATION_OUTCOME}}}


def _fhir_plan_operation() -> Json:
    return {
        "operationId": "fhirPlan",
        "summary": "Get the same answer as the plan request, for a completed FHIR QuestionnaireResponse",
        "description": (f"The answers follow the Questionnaire at {QUESTIONNAIRE_PATH}: each item's linkId "
                        "names a question, and a check-in's report is the group \"progress\"."),
        "requestBody": {"required": True,
                        "content": {"application/fhir+json": {"schema": _QUESTIONNAIRE_RESPONSE}}},
        "responses": {
            "200": {"description": "The same JSON as the plan request's answer.",
                    "content": {"application/json": {"schema": {"$ref": REF.format(model="Recommendation")}}}},
            "400": _outcome("The body is not valid JSON, or gives a key twice."),
            "415": _outcome("The body was not sent as JSON."),
            "422": _outcome("The answers do not fit the Questionnaire: each issue names its question."),
        },
    }
