"""The intake in HL7 FHIR R4, for clinics' systems: plain Python over FHIR JSON, free of Flask.

- `questionnaire`: the intake as a Questionnaire, built from the Intake model and the rules' wording.
- `check`: whether a QuestionnaireResponse fits that Questionnaire, with problems as OperationOutcome issues.
- `response`: read a QuestionnaireResponse into an Intake; write one, with the triage result, for download.
"""

from recommender.fhir.check import Issue, check_response, operation_outcome
from recommender.fhir.questionnaire import QUESTIONNAIRE_ID, QUESTIONNAIRE_URL, build_questionnaire
from recommender.fhir.response import ResponseRejected, answers_response, read_response

__all__ = [
    "QUESTIONNAIRE_ID",
    "QUESTIONNAIRE_URL",
    "Issue",
    "ResponseRejected",
    "answers_response",
    "build_questionnaire",
    "check_response",
    "operation_outcome",
    "read_response",
]
