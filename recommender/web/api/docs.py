"""The API's description: `GET /api/v1/openapi.json` for machines, and `/api`, a page for people.

The page is drawn from the OpenAPI document and the rules' wording, never copied by hand, so it
says what the API does today.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, jsonify, render_template

from recommender.fhir import (
    QUESTIONNAIRE_URL,
    ResponseRejected,
    answers_response,
    operation_outcome,
    read_response,
)
from recommender.fhir.questionnaire import choices
from recommender.model.intake import ASK_FOR_NONE, NONE_OF_THESE
from recommender.model.ruleset import Ruleset
from recommender.web.api.openapi import (
    EXAMPLE_INTAKE,
    PLAN_PATH,
    build_openapi,
    example_errors,
    example_request,
)
from recommender.web.app.state import service

bp = Blueprint("docs", __name__)

Json = dict[str, Any]


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    required: bool
    description: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (value, what it means)


@bp.get("/api/v1/openapi.json")
def openapi() -> Response:
    return jsonify(build_openapi(service().ruleset))


@bp.get("/api")
def api_page() -> str:
    rules = service().ruleset
    document = build_openapi(rules)
    schemas = _enums_inlined(document["components"]["schemas"])
    operation = document["paths"][PLAN_PATH]["post"]
    shared = document["components"]["responses"]
    return render_template(
        "api.html",
        request_fields=_fields(schemas["Intake"], rules),
        cross_field_rules=_cross_field_rules(schemas["Intake"]),
        answer_models=[(name, _fields(schemas[name])) for name in _models_in(schemas, "Recommendation")],
        statuses=[(code, (shared[response["$ref"].rsplit("/", 1)[1]] if "$ref" in response else response)
                   ["description"]) for code, response in operation["responses"].items()],
        example_request=_pretty(example_request()),
        example_answer=_pretty(service().recommend(EXAMPLE_INTAKE).model_dump(mode="json")),
        example_errors=_pretty(example_errors()),
        example_outcome=_pretty(_example_outcome(rules)),
        questionnaire_url=QUESTIONNAIRE_URL,
        none_of_these=NONE_OF_THESE,
        ask_for_none=ASK_FOR_NONE,
    )


def _example_outcome(rules: Ruleset) -> Json:
    """What $plan answers for the example person with an age of 15, worked out, not written."""
    resource = answers_response(EXAMPLE_INTAKE, service().recommend(EXAMPLE_INTAKE), rules, datetime.now(UTC))
    resource["item"][0]["answer"] = [{"valueInteger": 15}]
    try:
        read_response(resource, rules)
    except ResponseRejected as rejected:
        return operation_outcome(rejected.issues)
    raise AssertionError("an age of 15 was accepted")


def _enums_inlined(schemas: Json) -> Json:
    """The schemas with each shared enum written out where it is used, as a reader wants it."""
    enums = {name for name, schema in schemas.items() if "enum" in schema}

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            reference = node.get("$ref", "").rsplit("/", 1)[-1]
            if reference in enums:
                rest = {key: value for key, value in node.items() if key != "$ref"}
                return {"type": "string", "enum": schemas[reference]["enum"], **rest}
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(value) for value in node]
        return node

    return {name: inline(schema) for name, schema in schemas.items() if name not in enums}


def _cross_field_rules(model: Json) -> list[str]:
    """The schema's "not this answer together with that one" rules, in words."""
    if "not" not in model:
        return []
    [(when_field, when)] = [(name, field) for name, field in model["not"]["properties"].items() if "minimum" in field]
    [(then_field, then)] = [(name, field) for name, field in model["not"]["properties"].items() if "const" in field]
    return [f"If {when_field} is {when['minimum']} or more, {then_field} cannot be "
            f"{json.dumps(then['const'])}."]


def _pretty(value: Json) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _models_in(schemas: Json, root: str) -> list[str]:
    """`root` and every model it refers to, in the order a reader meets them."""
    found: list[str] = []

    def visit(name: str) -> None:
        if name in found:
            return
        found.append(name)
        for reference in _references(schemas[name]):
            visit(reference)

    visit(root)
    return found


def _references(schema: Any) -> list[str]:
    if isinstance(schema, dict):
        own = [schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else []
        return own + [name for value in schema.values() for name in _references(value)]
    if isinstance(schema, list):
        return [name for value in schema for name in _references(value)]
    return []


def _fields(model: Json, rules: Ruleset | None = None) -> list[Field]:
    """The model's fields; given the rules, a question's values come with what they mean."""
    required = set(model.get("required", []))
    fields = []
    for name, schema in model["properties"].items():
        choices = _choices(name, schema, rules) if rules else ()
        kind = _kind(schema)
        if choices:
            kind = ("list of these values" if schema.get("type") == "array"
                    else "list of these values, or null" if "anyOf" in schema else "one of these values")
        fields.append(Field(name=name, kind=kind, required=name in required,
                            description=schema.get("description", ""), choices=choices))
    return fields


def _choices(name: str, schema: Json, rules: Ruleset) -> tuple[tuple[str, str], ...]:
    # An optional list ("or null") keeps its values in its list choice.
    listed = next((choice for choice in schema.get("anyOf", []) if choice.get("type") == "array"), schema)
    values = listed.get("items", listed).get("enum", [])
    if name not in rules.wording.questions or not values:
        return ()
    meaning = {code: label for code, label, _ in choices(name, rules)}
    return tuple((str(value), meaning.get(str(value), "")) for value in values)


def _kind(schema: Json) -> str:
    """A field's type in words, e.g. "whole number from 16 to 100" or "list of Finding"."""
    if "$ref" in schema:
        return str(schema["$ref"].rsplit("/", 1)[1])
    if "anyOf" in schema:
        return " or ".join(_kind(option) for option in schema["anyOf"])
    if "const" in schema:
        return json.dumps(schema["const"])
    kind = schema.get("type")
    if kind == "array":
        text = f"list of {_kind(schema.get('items', {}))}"
        return text + (", each at most once" if schema.get("uniqueItems") else "")
    if "enum" in schema:
        return "one of: " + ", ".join(str(value) for value in schema["enum"])
    if kind == "integer":
        if "minimum" in schema and "maximum" in schema:
            return f"whole number from {schema['minimum']} to {schema['maximum']}"
        return "whole number"
    return {"string": "text", "boolean": "true or false", "null": "null", "number": "number",
            "object": "object"}.get(str(kind), "any value")
