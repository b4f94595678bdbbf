"""The OpenAPI 3.1 description of the JSON API, generated from the models that do the work.

The request schema is `Intake`'s, the answer schema `Recommendation`'s, the error schema
`Problem`'s (RFC 9457 problem details), so the description cannot drift from what the API checks
and sends. OpenAPI 3.1
uses JSON Schema 2020-12, which is what pydantic writes; only the place of the shared
definitions changes, from `$defs` to `components/schemas`. The rules add the words: each
field's description is the question a person is asked on the form.
"""

from __future__ import annotations

from functools import lru_cache
from http import HTTPStatus
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.json_schema import models_json_schema

from recommender.fhir import QUESTIONNAIRE_ID, QUESTIONNAIRE_URL
from recommender.fhir.check import FINISHED, QUESTIONNAIRE_RESPONSE_ELEMENTS
from recommender.fhir.questionnaire import CHECK_IN_QUESTION
from recommender.model.intake import Equipment, FieldError, Intake, Progress, Tier, explain_errors
from recommender.model.outcome import Recommendation
from recommender.model.rules import Level
from recommender.model.ruleset import Ruleset
from recommender.service import recommend_afresh
from recommender.web.api.responses import (
    ANSWERS_PROBLEM_PAGE,
    ANSWERS_PROBLEM_TITLE,
    FHIR_JSON,
    MAX_BODY_BYTES,
    PROBLEM_JSON,
)

Json = dict[str, Any]
REF = "#/components/schemas/{model}"
PLAN_PATH = "/api/v1/plan"
QUESTIONNAIRE_PATH = f"/fhir/Questionnaire/{QUESTIONNAIRE_ID}"
FHIR_PLAN_PATH = "/fhir/QuestionnaireResponse/$plan"

# The example in docs/api.md: a beginner with mild, recent back pain, a mat and a kettlebell.
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


# Enums that several schemas use, named once, so that a generated client has one type for each.
SHARED_ENUMS: dict[str, tuple[str, ...]] = {
    "Tier": get_args(Tier), "Level": get_args(Level), "Equipment": get_args(Equipment),
}
SHARED_ENUM_MEANINGS = {
    "Tier": "A tier of the plan, from the gentlest.",
    "Level": "How urgently to see a health professional, from the most urgent; clear when nothing applies.",
    "Equipment": "A piece of equipment a person may have.",
}
TAGS = [
    {"name": "plan", "description": "The triage result and exercise plan for one person's answers, as JSON."},
    {"name": "fhir", "description": "The same questions and answers in HL7 FHIR R4."},
]


class Problem(BaseModel):
    """What went wrong, as RFC 9457 problem details (application/problem+json). When the answers
    or the body cannot be used, `errors` lists every problem at once, each naming its field
    ("body" when the request as a whole is the problem); otherwise it is empty."""

    model_config = ConfigDict(frozen=True)

    type: str = Field(description="'about:blank' for a plain HTTP error, or the address of the API page's "
                                  "section on errors when `errors` names fields.")
    title: str = Field(description="A short summary of the problem type.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request, in words.")
    errors: list[FieldError] = Field(description="Each answer to fix, naming its field.")


def example_request() -> Json:
    return EXAMPLE_INTAKE.model_dump(mode="json")


def example_errors() -> Json:
    try:
        Intake.model_validate({**EXAMPLE_INTAKE.model_dump(), **EXAMPLE_MISTAKES})
    except ValidationError as error:
        errors = explain_errors(error)
        return Problem(type=f"https://plan.example{ANSWERS_PROBLEM_PAGE}", title=ANSWERS_PROBLEM_TITLE,
                       status=422, detail=f"{len(errors)} answers need fixing; see errors.",
                       errors=errors).model_dump(mode="json")
    raise AssertionError("the example mistakes passed validation")


def example_answer(rules: Ruleset) -> Json:
    return recommend_afresh(EXAMPLE_INTAKE, rules).model_dump(mode="json")


# Built once per ruleset; the result is shared, so treat it as read-only.
@lru_cache(maxsize=4)
def build_openapi(rules: Ruleset) -> Json:
    _, schema = models_json_schema(
        [(Intake, "validation"), (Recommendation, "serialization"), (Problem, "serialization")],
        ref_template=REF,
    )
    schemas: Json = schema["$defs"]
    _describe_questions(schemas["Intake"], rules)
    _describe_check_in(schemas["Progress"], rules)
    _share_enums(schemas)
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
                f"POST {FHIR_PLAN_PATH} gives the same triage and plan for a completed QuestionnaireResponse, "
                "as FHIR resources (a RiskAssessment and a CarePlan) or as the same JSON. "
                "Errors are problem details (RFC 9457)."
            ),
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        # The document is served by the service it describes: its own address is the server.
        "servers": [{"url": "/", "description": "This service"}],
        # No operation needs credentials: the service knows no one and stores nothing.
        "security": [],
        "tags": TAGS,
        "paths": {
            PLAN_PATH: {"post": _plan_operation(rules)},
            QUESTIONNAIRE_PATH: {"get": _questionnaire_operation(rules)},
            FHIR_PLAN_PATH: {"post": _fhir_plan_operation()},
        },
        "components": {"schemas": schemas, "responses": _shared_responses()},
    }


def _share_enums(schemas: Json) -> None:
    """Put each shared enum in the components once and refer to it wherever it is used."""
    def visit(node: Any) -> None:
        if isinstance(node, dict):
            for name, values in SHARED_ENUMS.items():
                if node.get("type") == "string" and node.get("enum") == list(values):
                    del node["type"], node["enum"]
                    node["$ref"] = REF.format(model=name)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(schemas)
    for name, values in SHARED_ENUMS.items():
        assert name not in schemas, f"a model is already called {name}"
        schemas[name] = {"type": "string", "enum": list(values), "description": SHARED_ENUM_MEANINGS[name]}


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


def _problem(description: str, example: Json | None = None) -> Json:
    content: Json = {"schema": {"$ref": REF.format(model="Problem")}}
    if example is not None:
        content["example"] = example
    return {"description": description, "content": {PROBLEM_JSON: content}}


RESPONSES = "#/components/responses/{name}"
ALLOW: Json = {"Allow": {"description": "The methods this address accepts.", "schema": {"type": "string"}}}
RETRY_AFTER: Json = {"Retry-After": {"description": "Seconds to wait before trying again.",
                                     "schema": {"type": "integer", "minimum": 0}}}


def _shared_responses() -> Json:
    """The errors every operation can meet, whatever it is sent: from the service itself, or in
    production from the proxy in front of it (deploy/), which limits the rate of requests."""
    return {
        "NotFound": _problem("There is nothing at this address."),
        "MethodNotAllowed": {**_problem("This address does not accept this method; the Allow header "
                                        "lists those it does."),
                             "headers": ALLOW},
        "TooManyRequests": {"description": "Too many requests from this client: the proxy in front of "
                                           "the service (in production) refused this one. Wait and try again.",
                            "headers": RETRY_AFTER},
        "InternalServerError": _problem("The service met a problem of its own; nothing was stored."),
        "ServiceUnavailable": {"description": "The service is busy or starting: the proxy in front of it "
                                              "(in production) could not pass the request on. Try again shortly.",
                               "headers": RETRY_AFTER},
    }


def _common_responses() -> Json:
    return {str(int(status)): {"$ref": RESPONSES.format(name=name)} for status, name in (
        (HTTPStatus.NOT_FOUND, "NotFound"), (HTTPStatus.METHOD_NOT_ALLOWED, "MethodNotAllowed"),
        (HTTPStatus.TOO_MANY_REQUESTS, "TooManyRequests"),
        (HTTPStatus.INTERNAL_SERVER_ERROR, "InternalServerError"),
        (HTTPStatus.SERVICE_UNAVAILABLE, "ServiceUnavailable"))}


def _plan_operation(rules: Ruleset) -> Json:
    return {
        "operationId": "plan",
        "tags": ["plan"],
        "summary": "Get the triage result and an exercise plan for one person's answers",
        "description": (f"The words of the answer (titles, reasons, steps, problems) are in the language "
                        f"`Accept-Language` asks for among {', '.join(rules.manifest.languages)}, else in "
                        f"{rules.manifest.languages[0]}; `Content-Language` says which. Ids, levels, tiers "
                        f"and codes are the same in every language."),
        "parameters": [{
            "name": "Accept-Language", "in": "header", "required": False,
            "description": "The languages the words may be in, as a browser sends them.",
            "schema": {"type": "string"}, "example": "es-ES,es;q=0.9",
        }],
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
                "headers": {"Content-Language": {"description": "The language of the answer's words.",
                                                 "schema": {"enum": list(rules.manifest.languages)}}},
                "content": {"application/json": {
                    "schema": {"$ref": REF.format(model="Recommendation")},
                    "example": example_answer(rules),
                }},
            },
            "400": _problem("The body is not valid JSON, or gives a key twice."),
            "413": _problem(f"The body is larger than {MAX_BODY_BYTES // 1024} KB."),
            "415": _problem("The body was not sent with Content-Type: application/json."),
            "422": _problem("Some answers are missing, not allowed or contradict each other. "
                            "Each error names its field.", example_errors()),
            **_common_responses(),
        },
    }


def _questionnaire_operation(rules: Ruleset) -> Json:
    return {
        "operationId": "questionnaire",
        "tags": ["fhir"],
        "summary": "Get the questions as a FHIR R4 Questionnaire",
        "description": (f"linkIds are the field names of the plan request, and answer codes are its values; "
                        f"`{CHECK_IN_QUESTION}` asks whether the answers are a check-in, and shows the "
                        f"`progress` group only then."),
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
                            "properties": {"linkId": {"enum": [*Intake.model_fields, CHECK_IN_QUESTION]},
                                           "type": {"type": "string"}},
                        }},
                    },
                }}},
            },
            **_fhir_common_responses(),
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
_PARAMETERS: Json = {
    "type": "object",
    "required": ["resourceType", "parameter"],
    "properties": {
        "resourceType": {"const": "Parameters"},
        "parameter": {"type": "array", "items": {"type": "object", "required": ["name"],
                                                  "properties": {"name": {"type": "string"}}}},
    },
}
_PLAN_PARAMETERS: Json = {
    "type": "object",
    "required": ["resourceType", "parameter"],
    "properties": {
        "resourceType": {"const": "Parameters"},
        "parameter": {"type": "array", "minItems": 1, "maxItems": 2, "items": {
            "type": "object", "required": ["name", "resource"],
            "properties": {"name": {"enum": ["riskAssessment", "carePlan"]},
                           "resource": {"type": "object", "required": ["resourceType"],
                                        "properties": {"resourceType": {"enum": ["RiskAssessment", "CarePlan"]}}}},
        }},
    },
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
    return {"description": description, "content": {FHIR_JSON: {"schema": _OPERATION_OUTCOME}}}


def _fhir_common_responses() -> Json:
    """The FHIR endpoints' answers to the errors any operation can meet: as OperationOutcome from
    the service, and from the proxy in front of it as the shared responses say."""
    return {
        "405": {**_outcome("This address does not accept this method."), "headers": ALLOW},
        "429": {"$ref": RESPONSES.format(name="TooManyRequests")},
        "500": _outcome("The service met a problem of its own; nothing was stored."),
        "503": {"$ref": RESPONSES.format(name="ServiceUnavailable")},
    }


def _fhir_plan_operation() -> Json:
    return {
        "operationId": "fhirPlan",
        "tags": ["fhir"],
        "summary": "Get the triage and plan for a completed FHIR QuestionnaireResponse",
        "description": (f"The answers follow the Questionnaire at {QUESTIONNAIRE_PATH}: each item's linkId "
                        "names a question, and a check-in's report is the group \"progress\". Send them as "
                        "Parameters whose `response` is the QuestionnaireResponse, or the QuestionnaireResponse "
                        "alone. The answer is FHIR Parameters holding a RiskAssessment (`riskAssessment`) and, "
                        "when it is safe to exercise, a CarePlan (`carePlan`): for Parameters always, and for a "
                        "QuestionnaireResponse alone when the request asks for it with "
                        "`Accept: application/fhir+json`; otherwise the same JSON as the plan request's answer."),
        "requestBody": {"required": True,
                        "content": {"application/fhir+json": {"schema": {
                            "oneOf": [_PARAMETERS, _QUESTIONNAIRE_RESPONSE]}}}},
        "responses": {
            "200": {"description": "The triage and plan: FHIR Parameters, or the plan request's JSON answer.",
                    "content": {FHIR_JSON: {"schema": _PLAN_PARAMETERS},
                                "application/json": {"schema": {"$ref": REF.format(model="Recommendation")}}}},
            "400": _outcome("The body is not valid JSON, or gives a key twice."),
            "415": _outcome("The body was not sent as JSON."),
            "413": _outcome(f"The body is larger than {MAX_BODY_BYTES // 1024} KB."),
            "422": _outcome("The answers do not fit the Questionnaire: each issue names its question."),
            **_fhir_common_responses(),
        },
    }
