"""A plan's result as FHIR R4 resources an EHR can store as they are: a RiskAssessment for the
triage and, when it is safe to exercise, a CarePlan for the starting tier, returned by the
`$plan` operation as its output Parameters. Also what a FHIR client asks a server first: the
CapabilityStatement, the operation's OperationDefinition and the code systems our codes use.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, get_args

from recommender.fhir.questionnaire import (
    ANSWER_LINK_IDS,
    BASE,
    NONE_CODE,
    PROGRESS_LINK_IDS,
    QUESTIONNAIRE_URL,
    SDC_QUESTIONNAIRE,
    TITLE,
    choices,
    code_system,
    has_none_option,
    item_type,
)
from recommender.fhir.response import CHECK_IN_DECISIONS, RESULTS, SCREENING_RULES, TIERS, TRIAGE_LEVELS
from recommender.model.intake import NONE_OF_THESE, Intake, Tier
from recommender.model.outcome import Recommendation
from recommender.model.rules import Decision
from recommender.model.ruleset import Ruleset

Json = dict[str, Any]

FHIR_VERSION = "4.0.1"
EXERCISES = f"{BASE}/CodeSystem/exercise"
SNOMED = "http://snomed.info/sct"
# SNOMED CT's finding "Low back pain", filed only for a person who reports pain: a record must
# not gain a finding its owner never reported.
LOW_BACK_PAIN = {"system": SNOMED, "code": "279039007", "display": "Low back pain"}
PLAN_OPERATION = "QuestionnaireResponse-plan"
PLAN_OPERATION_URL = f"{BASE}/OperationDefinition/{PLAN_OPERATION}"
# The parameter names of `$plan`, in and out.
RESPONSE_PARAMETER = "response"
RISK_PARAMETER = "riskAssessment"
CARE_PLAN_PARAMETER = "carePlan"
# Who the resources are about, when the response names no one: we never know who answered.
ANSWERED_BY = {"display": "The person who answered the questionnaire"}
RESULT_CODES = {"triage": "Lower back safety check", "check-in": "Check-in decision",
                "start-tier": "The exercise plan's starting level"}


def plan_parameters(intake: Intake, recommendation: Recommendation, rules: Ruleset, authored: datetime,
                    subject: Json | None = None) -> Json:
    """`$plan`'s output: the triage as a RiskAssessment, and the plan, if any, as a CarePlan."""
    who = subject or ANSWERED_BY
    pain = reports_back_pain(intake)
    parameters = [{"name": RISK_PARAMETER, "resource": risk_assessment(recommendation, rules, authored, who, pain)}]
    if recommendation.plan is not None:
        parameters.append({"name": CARE_PLAN_PARAMETER,
                           "resource": care_plan(recommendation, rules, authored, who, pain)})
    return {"resourceType": "Parameters", "parameter": parameters}


def reports_back_pain(intake: Intake) -> bool:
    """Whether the person said they have back pain: some today, or for some time."""
    return intake.pain_now > 0 or intake.pain_duration != "none"


def risk_assessment(recommendation: Recommendation, rules: Ruleset, authored: datetime, subject: Json,
                    back_pain: bool) -> Json:
    triage = recommendation.triage
    level = {"coding": [{"system": TRIAGE_LEVELS, "code": triage.level, "display": triage.title}],
             "text": triage.title}
    predictions: list[Json] = [{"outcome": level, "rationale": triage.action}]
    predictions += [{
        "outcome": {"coding": [{"system": SCREENING_RULES, "code": finding.id}], "text": finding.text},
        "qualitativeRisk": {"coding": [{"system": TRIAGE_LEVELS, "code": finding.level,
                                        "display": rules.levels[finding.level].title}]},
    } for finding in triage.reasons]
    return {
        "resourceType": "RiskAssessment",
        "status": "final",
        "code": {"coding": [{"system": RESULTS, "code": "triage", "display": RESULT_CODES["triage"]}]},
        "subject": subject,
        "occurrenceDateTime": authored.isoformat(timespec="seconds"),
        **({"reasonCode": [{"coding": [LOW_BACK_PAIN]}]} if back_pain else {}),
        "prediction": predictions,
        "mitigation": triage.action,
        "note": [{"text": _rules_note(recommendation)}],
    }


def care_plan(recommendation: Recommendation, rules: Ruleset, authored: datetime, subject: Json,
              back_pain: bool) -> Json:
    plan = recommendation.plan
    assert plan is not None
    start = next(tier for tier in plan.tiers if tier.is_start)
    days = ", ".join(day.title for day in plan.schedule)
    notes = [plan.start_tier_reason.reason, start.move_on_when, start.step_back_when, *plan.stop_signs]
    if recommendation.check_in is not None:
        notes.insert(0, recommendation.check_in.title)
    return {
        "resourceType": "CarePlan",
        "status": "active",
        # Advice to the person, not an order: a clinician may adopt it as their own.
        "intent": "proposal",
        "category": [{"coding": [{"system": TIERS, "code": start.tier, "display": start.title}]}],
        "title": f"{start.title}: {start.summary}",
        "subject": subject,
        "created": authored.isoformat(timespec="seconds"),
        **({"addresses": [{"display": LOW_BACK_PAIN["display"]}]} if back_pain else {}),
        "activity": [{"detail": {
            "kind": "ServiceRequest",
            "code": {"coding": [{"system": EXERCISES, "code": exercise.id,
                                 "display": exercise.name}], "text": exercise.name},
            "status": "not-started",
            "scheduledString": days,
            "description": f"{exercise.dose}. {exercise.why}",
        }} for exercise in start.exercises],
        "note": [{"text": text} for text in notes if text] + [{"text": _rules_note(recommendation)}],
    }


def _rules_note(recommendation: Recommendation) -> str:
    return f"Rules version {recommendation.rules_version} (SHA-256 {recommendation.rules_sha256})."


def code_systems(rules: Ruleset) -> dict[str, Json]:
    """Every code system our resources use, by id: each question's answers, and our results'."""
    systems = {system.rsplit("/", 1)[1]: system for system in
               (TRIAGE_LEVELS, SCREENING_RULES, RESULTS, TIERS, CHECK_IN_DECISIONS)}
    concepts: dict[str, list[tuple[str, str | None]]] = {
        "triage-level": [(level, wording.title) for level, wording in rules.levels.items()],
        "screening-rule": [(rule.id, rule.finding) for rule in rules.screening_rules],
        "result": list(RESULT_CODES.items()),
        "tier": [(tier, rules.tier_title(tier)) for tier in get_args(Tier)],
        "check-in-decision": [(decision, None) for decision in get_args(Decision)],
        "exercise": [(exercise_id, exercise.name) for exercise_id, exercise in rules.exercises.items()],
    }
    systems["exercise"] = EXERCISES
    for link_id in (*ANSWER_LINK_IDS, *PROGRESS_LINK_IDS):
        if item_type(link_id) == "choice":
            system = code_system(link_id)
            systems[system.rsplit("/", 1)[1]] = system
            none: list[tuple[str, str | None]] = [(NONE_CODE, NONE_OF_THESE)] if has_none_option(link_id) else []
            concepts[system.rsplit("/", 1)[1]] = [(code, label) for code, label, _ in choices(link_id, rules)] + none
    return {code_system_id(url): _code_system(url, concepts[identifier], rules) for identifier, url in systems.items()}


def code_system_id(url: str) -> str:
    """The id a code system is read by: the end of its URL, written as a FHIR id may be."""
    return url.rsplit("/", 1)[1].replace("_", "-")


def _code_system(url: str, concepts: list[tuple[str, str | None]], rules: Ruleset) -> Json:
    identifier = code_system_id(url)
    return {
        "resourceType": "CodeSystem",
        "id": identifier,
        "url": url,
        "version": rules.version,
        "name": "".join(part.capitalize() for part in identifier.replace(".", "-").split("-")),
        "status": "active",
        "caseSensitive": True,
        "content": "complete",
        "count": len(concepts),
        "concept": [{"code": code, **({"display": display} if display else {})} for code, display in concepts],
    }


def operation_definition() -> Json:
    return {
        "resourceType": "OperationDefinition",
        "id": PLAN_OPERATION,
        "url": PLAN_OPERATION_URL,
        "name": "Plan",
        "title": "A safety check and starting exercise plan for a completed questionnaire",
        "status": "active",
        "kind": "operation",
        "code": "plan",
        "resource": ["QuestionnaireResponse"],
        "system": False,
        "type": True,
        "instance": False,
        "affectsState": False,
        "description": (f"Answers to {QUESTIONNAIRE_URL} in, the triage and the plan out. Nothing is stored. "
                        "A bare QuestionnaireResponse may be posted instead of Parameters."),
        "parameter": [
            {"name": RESPONSE_PARAMETER, "use": "in", "min": 1, "max": "1", "type": "QuestionnaireResponse",
             "documentation": "The completed QuestionnaireResponse."},
            {"name": RISK_PARAMETER, "use": "out", "min": 1, "max": "1", "type": "RiskAssessment",
             "documentation": "Whether to see a health professional first and how soon, with every finding."},
            {"name": CARE_PLAN_PARAMETER, "use": "out", "min": 0, "max": "1", "type": "CarePlan",
             "documentation": "The starting tier's exercises; absent when the plan is withheld."},
        ],
    }


def capability_statement(rules: Ruleset, base_url: str, date: str) -> Json:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": date,
        "kind": "instance",
        "software": {"name": TITLE, "version": rules.version},
        "implementation": {"description": TITLE, "url": base_url},
        "fhirVersion": FHIR_VERSION,
        "format": ["json"],
        "rest": [{
            "mode": "server",
            "resource": [
                {"type": "Questionnaire", "interaction": [{"code": "read"}], "supportedProfile": [SDC_QUESTIONNAIRE]},
                {"type": "QuestionnaireResponse",
                 "operation": [{"name": "plan", "definition": PLAN_OPERATION_URL}]},
                {"type": "OperationDefinition", "interaction": [{"code": "read"}]},
                {"type": "CodeSystem", "interaction": [{"code": "read"}]},
            ],
        }],
    }


class NotParameters(ValueError):
    """Parameters that do not carry one QuestionnaireResponse, as an OperationOutcome."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.outcome: Json = {"resourceType": "OperationOutcome", "issue": [{
            "severity": "error", "code": "required", "diagnostics": message,
            "expression": ["Parameters.parameter"]}]}


def response_in(parameters: Json) -> Any:
    """The QuestionnaireResponse `$plan`'s input Parameters carry as its `response`."""
    given = parameters.get("parameter")
    found = [part.get("resource") for part in given if isinstance(part, dict) and part.get("name") ==
             RESPONSE_PARAMETER] if isinstance(given, list) else []
    if len(found) != 1 or not isinstance(found[0], dict):
        raise NotParameters(f"Send one parameter named '{RESPONSE_PARAMETER}' whose resource is the completed "
                            f"QuestionnaireResponse.")
    return found[0]
