"""QuestionnaireResponse in both directions: read one into an Intake, or write one for a clinic.

Reading gives the same answers, and for the same mistakes the same messages, as the JSON API:
what the Questionnaire says about each answer is checked first (naming the linkId), then the
Intake model checks the rest. Writing adds the triage result as a contained Observation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError

from recommender.fhir.check import Issue, check_response
from recommender.fhir.questionnaire import (
    ANSWER_LINK_IDS,
    BASE,
    CHECK_IN_QUESTION,
    CHECK_IN_TEXT,
    NONE_CODE,
    PROGRESS_GROUP,
    PROGRESS_LINK_IDS,
    QUESTIONNAIRE_URL,
    build_questionnaire,
    choices,
    coding,
    has_none_option,
    item_type,
    question_of,
    repeats,
)
from recommender.model.intake import NONE_OF_THESE, Intake, contradictions, explain_errors
from recommender.model.outcome import Recommendation
from recommender.model.ruleset import Ruleset

Json = dict[str, Any]

TRIAGE_LEVELS = f"{BASE}/CodeSystem/triage-level"
SCREENING_RULES = f"{BASE}/CodeSystem/screening-rule"
RESULTS = f"{BASE}/CodeSystem/result"
TIERS = f"{BASE}/CodeSystem/tier"
CHECK_IN_DECISIONS = f"{BASE}/CodeSystem/check-in-decision"


class ResponseRejected(ValueError):
    """The QuestionnaireResponse cannot be read; `issues` says why, naming each linkId."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("; ".join(issue.message for issue in issues))
        self.issues = issues


def read_response(resource: object, rules: Ruleset) -> Intake:
    """The answers in a QuestionnaireResponse (parsed FHIR JSON) as an Intake."""
    if not isinstance(resource, dict):
        raise ResponseRejected([Issue("structure", "Send one QuestionnaireResponse as a JSON object.")])
    resource = _check_in_answered(resource)
    issues = check_response(build_questionnaire(rules), resource)
    if any(issue.link_id is None for issue in issues):
        raise ResponseRejected(issues)  # not answers to our questions: say so before the details
    answers = _answers(resource["item"] if isinstance(resource.get("item"), list) else [])
    try:
        intake = Intake.model_validate(answers)
    except ValidationError as error:
        issues = _with_intake_messages(issues, error, answers)
    if issues:
        raise ResponseRejected(issues)
    return intake


def _check_in_answered(resource: Json) -> Json:
    """`resource`, with "is this a check-in?" answered from the report when the question is left
    out, as in responses written before it was asked: they read as they always did."""
    items = resource.get("item")
    if not isinstance(items, list):
        return resource
    link_ids = [item.get("linkId") for item in items if isinstance(item, dict)]
    if CHECK_IN_QUESTION in link_ids:
        return resource
    answer = {"linkId": CHECK_IN_QUESTION, "answer": [{"valueBoolean": PROGRESS_GROUP in link_ids}]}
    return {**resource, "item": [*items, answer]}


def _answers(items: list[Any]) -> dict[str, Any]:
    """The answers in the Intake's own terms; anything malformed is left for the checks to name."""
    answers: dict[str, Any] = {"equipment": frozenset()}  # no equipment ticked: a plan that needs none
    for item in items:
        if isinstance(item, dict) and item.get("linkId") == PROGRESS_GROUP and isinstance(item.get("item"), list):
            report = _given(item["item"], PROGRESS_LINK_IDS)
            answers[PROGRESS_GROUP] = {link_id.removeprefix(f"{PROGRESS_GROUP}."): value
                                       for link_id, value in report.items()}
    answers.update(_given(items, ANSWER_LINK_IDS))
    return answers


def _given(items: list[Any], link_ids: tuple[str, ...]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for item in items:
        if not isinstance(item, dict) or item.get("linkId") not in link_ids:
            continue
        link_id, given = item["linkId"], item.get("answer")
        if not isinstance(given, list):
            continue
        values = [answer.get(_value_key(link_id)) for answer in given if isinstance(answer, dict)]
        if item_type(link_id) == "choice":
            values = [value.get("code") for value in values if isinstance(value, dict)]
        if repeats(link_id):
            answers[link_id] = frozenset(value for value in values if isinstance(value, str)
                                         and not (has_none_option(link_id) and value == NONE_CODE))
        elif values:
            answers[link_id] = values[0]
    return answers


def _value_key(link_id: str) -> str:
    return {"integer": "valueInteger", "boolean": "valueBoolean", "choice": "valueCoding"}[item_type(link_id)]


def _with_intake_messages(issues: list[Issue], error: ValidationError, answers: dict[str, Any]) -> list[Issue]:
    """One issue per question. Where the Intake model has words for a bad value, use them, so
    the API and FHIR say the same thing about the same answer."""
    first: dict[str, Issue] = {}
    for issue in issues:
        first.setdefault(issue.link_id or "", issue)
    contradicted = {c.field for c in contradictions(answers.get("pain_now"), answers.get("pain_duration"))}
    for problem in explain_errors(error):
        found = first.get(problem.field)
        if found is None:
            code = "business-rule" if problem.field in contradicted else "value"
            first[problem.field] = Issue(code, problem.message, problem.field)
        elif found.code == "value":
            first[problem.field] = Issue("value", problem.message, problem.field)
    order = [*ANSWER_LINK_IDS, CHECK_IN_QUESTION, PROGRESS_GROUP, *PROGRESS_LINK_IDS]
    return sorted(first.values(), key=lambda issue: order.index(issue.link_id)
                  if issue.link_id in order else len(order))


def answers_response(intake: Intake, recommendation: Recommendation, rules: Ruleset,
                     authored: datetime) -> Json:
    """A person's answers as a QuestionnaireResponse, with the triage result contained in it."""
    return {
        "resourceType": "QuestionnaireResponse",
        "contained": [_triage_observation(recommendation, rules, authored)],
        "questionnaire": f"{QUESTIONNAIRE_URL}|{rules.version}",
        "status": "completed",
        "authored": authored.isoformat(timespec="seconds"),
        "item": [item for link_id in ANSWER_LINK_IDS
                 if (item := _answer_item(link_id, getattr(intake, link_id), rules)) is not None]
        + [{"linkId": CHECK_IN_QUESTION, "text": CHECK_IN_TEXT,
            "answer": [{"valueBoolean": intake.progress is not None}]}]
        + ([_report_group(intake, rules)] if intake.progress is not None else []),
    }


def _report_group(intake: Intake, rules: Ruleset) -> Json:
    report = intake.progress
    assert report is not None
    return {"linkId": PROGRESS_GROUP, "text": rules.progression.title,
            "item": [item for link_id in PROGRESS_LINK_IDS
                     if (item := _answer_item(link_id, getattr(report, link_id.split(".", 1)[1]), rules))
                     is not None]}


def _answer_item(link_id: str, value: Any, rules: Ruleset) -> Json | None:
    if value is None:
        return None  # an optional question left unanswered (a follow-up not asked, weeks not known)
    question = question_of(link_id, rules)
    kind = item_type(link_id)
    if kind == "integer":
        answers = [{"valueInteger": value}]
    elif kind == "boolean":
        answers = [{"valueBoolean": value}]
    else:
        chosen = value if repeats(link_id) else {value}
        answers = [{"valueCoding": coding(link_id, code, label)}
                   for code, label, _ in choices(link_id, rules) if code in chosen]
        if not answers and has_none_option(link_id):
            answers = [{"valueCoding": coding(link_id, NONE_CODE, NONE_OF_THESE)}]
        if not answers:
            return None  # e.g. no equipment ticked: an unanswered optional question is left out
    return {"linkId": link_id, "text": question.label, "answer": answers}


def _triage_observation(recommendation: Recommendation, rules: Ruleset, authored: datetime) -> Json:
    triage, plan = recommendation.triage, recommendation.plan
    components: list[Json] = [{
        "code": {"coding": [{"system": SCREENING_RULES, "code": finding.id}], "text": finding.text},
        "valueCodeableConcept": {"coding": [{"system": TRIAGE_LEVELS, "code": finding.level,
                                             "display": rules.levels[finding.level].title}]},
    } for finding in triage.reasons]
    if recommendation.check_in is not None:
        decided = recommendation.check_in
        components.append({
            "code": {"coding": [{"system": RESULTS, "code": "check-in"}],
                     "text": "What the check-in decided for the next two weeks"},
            "valueCodeableConcept": {"coding": [{"system": CHECK_IN_DECISIONS, "code": decided.decision,
                                                 "display": decided.title}], "text": decided.title},
        })
    if plan is not None:
        start = next(tier for tier in plan.tiers if tier.is_start)
        components.append({
            "code": {"coding": [{"system": RESULTS, "code": "start-tier"}],
                     "text": "The exercise plan's starting level"},
            "valueCodeableConcept": {"coding": [{"system": TIERS, "code": start.tier, "display": start.title}]},
        })
    observation: Json = {
        "resourceType": "Observation",
        "id": "triage",
        "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                  "code": "survey", "display": "Survey"}]}],
        "code": {"coding": [{"system": RESULTS, "code": "triage", "display": "Lower back safety check"}],
                 "text": "Lower back safety check: whether to see a health professional first"},
        "effectiveDateTime": authored.isoformat(timespec="seconds"),
        # Made from the answers of the response that contains it.
        "derivedFrom": [{"reference": "#"}],
        "valueCodeableConcept": {"coding": [{"system": TRIAGE_LEVELS, "code": triage.level,
                                             "display": triage.title}], "text": triage.title},
        "note": [{"text": triage.action},
                 {"text": f"{'An exercise plan was given.' if plan else 'No exercise plan was given.'} "
                          f"Rules version {recommendation.rules_version} "
                          f"(SHA-256 {recommendation.rules_sha256})."}],
    }
    if components:
        observation["component"] = components
    return observation
