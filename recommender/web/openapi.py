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
from recommender.model.intake import FieldError, Intake, explain_errors
from recommender.model.outcome import Recommendation
from recommender.model.ruleset import Ruleset
from recommender.web.responses import MAX_BODY_BYTES

Json = dict[str, Any]
REF = "#/components/schemas/{model}"
PLAN_PATH = "/api/v1/plan"
QUESTIONNAIRE_PATH = f"/fhir/Questionnaire/{QUESTIONNAIRE_ID}"

# The README's example: a beginner with mild, recent back pain, a mat and a kettlebell.
EXAMPLE_INTAKE = Intake(
    age=42, experience="beginner", pain_now=2, pain_duration="under_6_weeks", pain_below_knee=False,
    back_surgery_or_injury=False, red_flags=frozenset(), health_flags=frozenset(),
    equipment=frozenset({"mat", "kettlebell"}), days_per_week=3,
)
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
                f"The same questions are a FHIR R4 Questionnaire at {QUESTIONNAIRE_PATH}, and "
                "POST /fhir/QuestionnaireResponse/$plan gives the same answer for a completed "
                "QuestionnaireResponse (see /api). That operation is not described here: whether "
                "a response can be read depends on its answers, which the Questionnaire describes."
            ),
        },
        "paths": {
            PLAN_PATH: {"post": _plan_operation(rules)},
            QUESTIONNAIRE_PATH: {"get": _questionnaire_operation(rules)},
        },
        "components": {"schemas": schemas},
    }


def _describe_questions(intake: Json, rules: Ruleset) -> None:
    for name, field in intake["properties"].items():
        question = rules.wording.questions[name]
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
