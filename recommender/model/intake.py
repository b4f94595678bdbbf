"""The answers a person gives, as the one model the form, the API and the rules all share.

The names and allowed values here are the public API contract: clinics integrate against
them, so they change only with a new API version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Annotated, Any, Literal, NamedTuple, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

Experience = Literal["none", "beginner", "intermediate", "advanced"]
PainDuration = Literal["none", "under_6_weeks", "6_to_12_weeks", "over_12_weeks"]
ProfessionalCheck = Literal["no", "checked", "cleared_to_exercise"]
RedFlag = Literal[
    "saddle_numbness", "bladder_bowel_change", "both_legs", "sexual_function_change", "major_trauma",
    "sudden_tummy_and_back_pain", "worsening_leg_weakness", "spreading_numbness", "fever_unwell", "infection_risk",
    "cancer_history", "weight_loss", "night_pain", "thoracic_pain", "worsening_pain", "osteoporosis_steroids",
    "past_fragility_fracture", "minor_fall", "blood_thinners", "morning_stiffness",
]
HealthFlag = Literal[
    "chest_pain", "heart_condition", "fainting_dizziness", "supervised_only", "pregnant", "recent_back_surgery",
    "fainted_during_exercise",
]
# The follow-up questions for a heart condition and for past cancer (the PAR-Q+ pattern): the
# ones that apply. Left out, they are unanswered, which screening reads cautiously.
HeartDetail = Literal["hard_to_control", "irregular_heartbeat", "heart_failure", "inactive_with_heart_disease"]
CancerDetail = Literal["lung_myeloma_head_neck", "treatment_now", "spread_to_bone"]
Equipment = Literal[
    "mat", "stability_ball", "bosu", "dowel", "bench", "back_extension_bench",
    "reverse_hyper", "resistance_band", "kettlebell", "dumbbells", "barbell", "power_rack",
]
Tier = Literal["beginner", "intermediate", "advanced"]
# "worse_again": worse the next morning, and it was at the last check-in too.
NextMorning = Literal["better", "same", "worse", "worse_again"]
SetsCompleted = Literal["all", "most", "few"]

EXPERIENCE_LEVELS: tuple[Experience, ...] = get_args(Experience)
PAIN_DURATIONS: tuple[PainDuration, ...] = get_args(PainDuration)
PROFESSIONAL_CHECKS: tuple[ProfessionalCheck, ...] = get_args(ProfessionalCheck)
RED_FLAGS: tuple[RedFlag, ...] = get_args(RedFlag)
HEALTH_FLAGS: tuple[HealthFlag, ...] = get_args(HealthFlag)
HEART_DETAILS: tuple[HeartDetail, ...] = get_args(HeartDetail)
CANCER_DETAILS: tuple[CancerDetail, ...] = get_args(CancerDetail)
EQUIPMENT: tuple[Equipment, ...] = get_args(Equipment)
TIERS: tuple[Tier, ...] = get_args(Tier)
NEXT_MORNINGS: tuple[NextMorning, ...] = get_args(NextMorning)
SETS_COMPLETED: tuple[SetsCompleted, ...] = get_args(SetsCompleted)

# Safety questions where a blank answer is not the same as "no": the person must say so.
ASK_FOR_NONE: tuple[str, ...] = ("red_flags", "health_flags")
# Follow-up questions, each asked only when its sign is ticked: (the ticks, the sign). They
# too have "None of these"; left out, they are unanswered.
FOLLOW_UP_QUESTIONS: dict[str, tuple[str, str]] = {
    "heart_condition_details": ("health_flags", "heart_condition"),
    "cancer_details": ("red_flags", "cancer_history"),
}


def english(sentence: str) -> str:
    """A sentence in English, as written: the `say` of the English rules. Also marks an English
    constant for the catalogues of other languages, which a `say` later translates."""
    return sentence


# What a `say` gives for each of these is their words in its language (catalogued by `english`).
NONE_OF_THESE = english("None of these apply to me")

AGE_RANGE = (16, 100)
PAIN_RANGE = (0, 10)
DAYS_RANGE = (2, 4)
SESSIONS_RANGE = (0, 30)
WEEKS_RANGE = (0, 52)


# One of the engine's own sentences in a person's language (`Ruleset.say`): the English is the
# msgid, so the English needs nothing more than the sentence itself.
Say = Callable[[str], str]


class ContradictoryAnswers(ValueError):
    """Answers that cannot both be true; `field` names the one to correct."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _whole(value: object) -> object:
    # JSON does not tell 42 from 42.0, and JSON Schema calls both an integer, so 42.0 is read
    # as 42. Text such as "42" and true/false are still refused.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole)]


def _repeats_count_once(schema: dict[str, Any]) -> None:
    # A JSON list is read as a set, so a value given twice counts once: the schema must not
    # promise clients that repeats are refused.
    schema.pop("uniqueItems", None)
    for choice in schema.get("anyOf", []):
        choice.pop("uniqueItems", None)


class Progress(BaseModel):
    """How the last two weeks on the plan went, as the person reports it at a check-in: what
    the log sheet on the printout records."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    tier: Tier  # the tier they have been doing
    sessions_done: WholeNumber = Field(ge=SESSIONS_RANGE[0], le=SESSIONS_RANGE[1])
    pain_during_max: WholeNumber = Field(ge=PAIN_RANGE[0], le=PAIN_RANGE[1])
    next_morning: NextMorning  # pain the morning after a session, against usual
    sets_completed: SetsCompleted  # with good form
    # Weeks on the reported tier so far; left out, it is read as fewer than any rule asks for.
    weeks_on_tier: Annotated[int, Field(ge=WEEKS_RANGE[0], le=WEEKS_RANGE[1]), BeforeValidator(_whole)] | None = None

    @property
    def weeks(self) -> int:
        """The weeks on the tier as the rules read them: unknown counts as none."""
        return self.weeks_on_tier if self.weeks_on_tier is not None else 0


class Intake(BaseModel):
    """One person's answers to the questionnaire."""

    # strict: a JSON "7" or true is not a number, and "yes" is not a boolean.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, json_schema_extra={
        # `contradictions()` in JSON Schema, so that clients that read the schema know it too;
        # written with `not` rather than if/then, which Redocly's linter misreads.
        "not": {"properties": {"pain_now": {"minimum": 1}, "pain_duration": {"const": "none"}},
                "required": ["pain_now", "pain_duration"]},
    })

    age: WholeNumber = Field(ge=AGE_RANGE[0], le=AGE_RANGE[1])
    experience: Experience
    pain_now: WholeNumber = Field(ge=PAIN_RANGE[0], le=PAIN_RANGE[1])
    pain_duration: PainDuration
    pain_below_knee: bool
    back_surgery_or_injury: bool
    # Added after the first clients: "no" when left out, which keeps their cautious answers.
    professional_check: ProfessionalCheck = "no"
    red_flags: frozenset[RedFlag] = Field(json_schema_extra=_repeats_count_once)
    health_flags: frozenset[HealthFlag] = Field(json_schema_extra=_repeats_count_once)
    # Follow-ups, asked when heart_condition or cancer_history is ticked: the ones that apply,
    # [] for none. Left out (null), they count as unanswered and the plan waits for a professional.
    heart_condition_details: frozenset[HeartDetail] | None = Field(
        default=None, json_schema_extra=_repeats_count_once)
    cancer_details: frozenset[CancerDetail] | None = Field(default=None, json_schema_extra=_repeats_count_once)
    equipment: frozenset[Equipment] = Field(json_schema_extra=_repeats_count_once)
    days_per_week: WholeNumber = Field(ge=DAYS_RANGE[0], le=DAYS_RANGE[1])
    # Only at a check-in; without it the answers are a first visit.
    progress: Progress | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Intake:
        for contradiction in contradictions(self.pain_now, self.pain_duration):
            raise contradiction
        return self


def contradictions(pain_now: object, pain_duration: object, say: Say = english) -> list[ContradictoryAnswers]:
    """Answers that cannot all be true. Also used by the form when other answers are missing,
    so a person sees every problem in one go."""
    if isinstance(pain_now, int) and pain_now > 0 and pain_duration == "none":
        return [ContradictoryAnswers(
            "pain_duration", say("You said you have pain now, so choose how long this bout has lasted."))]
    return []


def valid_on_their_own(given: Mapping[str, object]) -> dict[str, Any]:
    """Those of `given` (answers to some of the questions, by name) that the Intake model
    accepts each on its own, converted as it converts them. The rest are left out, as not
    answered: answers so far are read only to say sooner what the whole answers would say."""
    valid: dict[str, Any] = {}
    for name, value in given.items():
        if name not in Intake.model_fields or name == "progress":
            continue
        try:
            valid[name] = _answer_check(name).validate_python(value)
        except ValidationError:
            continue
    return valid


@cache
def _answer_check(name: str) -> TypeAdapter[Any]:
    field = Intake.model_fields[name]
    # The field's type with its own limits and conversions (a FieldInfo carries them), made
    # at run time, which mypy cannot follow.
    annotated: Any = Annotated
    return TypeAdapter(annotated[field.annotation, field], config=ConfigDict(strict=True))


class FieldError(BaseModel):
    """One problem with the answers, named by the field a person or a client must fix."""

    model_config = ConfigDict(frozen=True)

    field: str
    message: str


_RANGES = {"age": AGE_RANGE, "pain_now": PAIN_RANGE, "days_per_week": DAYS_RANGE,
           "progress.sessions_done": SESSIONS_RANGE, "progress.pain_during_max": PAIN_RANGE,
           "progress.weeks_on_tier": WEEKS_RANGE}
# What each answer must be, by field, in English: `say` gives it in the reader's language.
_WHOLE_NUMBER = english("This must be a whole number.")
_CHOICE = english("This must be one of the choices.")
_TRUE_OR_FALSE = english("This must be true or false.")
_LIST = english("This must be a list.")
_LIST_OR_NULL = english("This must be a list, or null.")
_VALID_ANSWER = english("This must be a valid answer.")
_MUST_BE = {
    "age": _WHOLE_NUMBER, "pain_now": _WHOLE_NUMBER, "days_per_week": _WHOLE_NUMBER,
    "experience": _CHOICE, "pain_duration": _CHOICE,
    "pain_below_knee": _TRUE_OR_FALSE, "back_surgery_or_injury": _TRUE_OR_FALSE,
    "professional_check": _CHOICE,
    "red_flags": _LIST, "health_flags": _LIST, "equipment": _LIST,
    "heart_condition_details": _LIST_OR_NULL, "cancer_details": _LIST_OR_NULL,
    "progress": english("This must be an object with tier, sessions_done, pain_during_max, next_morning and "
                        "sets_completed."),
    "progress.sessions_done": _WHOLE_NUMBER, "progress.pain_during_max": _WHOLE_NUMBER,
    "progress.tier": _CHOICE, "progress.next_morning": _CHOICE,
    "progress.sets_completed": _CHOICE, "progress.weeks_on_tier": english("This must be a whole number, or null."),
}


def explain_errors(error: ValidationError, say: Say = english) -> list[FieldError]:
    """Plain messages for a failed Intake validation, one per field, in field order.

    The form and the API both use these, so a person and a clinic's system are told the
    same thing.
    """
    found: dict[str, str] = {}
    for detail in error.errors():
        location = detail["loc"]
        kind = detail["type"]
        if not location:
            cause = (detail.get("ctx") or {}).get("error")
            if isinstance(cause, ContradictoryAnswers):
                # Its message is the English (see `contradictions`), which is its msgid.
                found.setdefault(cause.field, say(str(cause)))
            else:
                found.setdefault("body", say("Send the answers as one JSON object."))
            continue
        field = str(location[0])
        inside = location[1:]
        if field == "progress" and inside and isinstance(inside[0], str):
            # A progress answer is named by its place, e.g. progress.sessions_done.
            field, inside = f"progress.{inside[0]}", inside[1:]
        found.setdefault(field, _message(field, kind, detail, bool(inside), say))
    order = list(Intake.model_fields) + [f"progress.{name}" for name in Progress.model_fields]
    return [FieldError(field=field, message=message)
            for field, message in sorted(found.items(),
                                         key=lambda item: (order.index(item[0]) if item[0] in order
                                                           else len(order), item[0]))]


def _message(field: str, kind: str, detail: Any, inside_list: bool, say: Say = english) -> str:
    if kind == "extra_forbidden":
        return say("'{field}' is not a question on this form.").format(field=field)
    if kind == "missing":
        return say("This answer is required.")
    if detail.get("input", "") is None:
        return say("Please answer this question.")
    if field in _RANGES and kind in ("greater_than_equal", "less_than_equal"):
        low, high = _RANGES[field]
        if field == "age" and kind == "greater_than_equal":
            return say("This plan is for people aged {low} and over. "
                       "A doctor or physiotherapist can advise younger people.").format(low=low)
        return say("Choose a number from {low} to {high}.").format(low=low, high=high)
    if kind == "literal_error":
        allowed = detail["ctx"]["expected"]
        shown = detail.get("input")
        if inside_list:
            return say("'{answer}' in the list is not an allowed answer. Allowed: {allowed}.").format(
                answer=shown, allowed=allowed)
        return say("'{answer}' is not an allowed answer. Allowed: {allowed}.").format(answer=shown, allowed=allowed)
    return say(_MUST_BE.get(field, _VALID_ANSWER))


class ScreenedAnswers(NamedTuple):
    """The answers a screening rule can read: the fields of its `when`, and nothing else (not the
    equipment, nor the days a week). Screening is given these, so it cannot read more."""

    age: int
    experience: Experience
    pain_now: int
    pain_duration: PainDuration
    pain_below_knee: bool
    back_surgery_or_injury: bool
    professional_check: ProfessionalCheck
    red_flags: frozenset[RedFlag]
    health_flags: frozenset[HealthFlag]
    heart_condition_details: frozenset[HeartDetail] | None
    cancer_details: frozenset[CancerDetail] | None

    @classmethod
    def of(cls, intake: Intake) -> ScreenedAnswers:
        return cls(*(getattr(intake, name) for name in cls._fields))
