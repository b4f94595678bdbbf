"""The shape of the rules files, as frozen pydantic models.

Every model forbids unknown keys and uses the API's own value names, so a typo in a rules
file is a load-time problem with a line number, never a rule that silently matches nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from recommender.model.intake import (
    AGE_RANGE,
    PAIN_RANGE,
    SESSIONS_RANGE,
    WEEKS_RANGE,
    CancerDetail,
    Equipment,
    Experience,
    HealthFlag,
    HeartDetail,
    Intake,
    NextMorning,
    PainDuration,
    ProfessionalCheck,
    Progress,
    RedFlag,
    Say,
    ScreenedAnswers,
    SetsCompleted,
    Tier,
    english,
)

Level = Literal["emergency", "same_day", "urgent", "soon", "caution", "clear"]
LEVELS: tuple[Level, ...] = get_args(Level)  # most urgent first
SpinalLoad = Literal["low", "moderate", "high"]
SPINAL_LOADS: tuple[SpinalLoad, ...] = get_args(SpinalLoad)
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)
SessionKind = Literal["full", "light"]
# Taking the spine to the end of its range: what fragile bones must not do.
EndRange = Literal["bending", "twisting"]

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
# A language as ISO 639-1 names it: "en", "es", "de".
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]


class _Words:
    """Marks text that a person reads: each language's words files give it in that language
    (`recommender.loading.words`)."""

    def __repr__(self) -> str:
        return "WORDS"


WORDS = _Words()
# Words a person reads, translated for each language the rules speak.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), WORDS]
# Text kept as written in every language: names of sources and files.
Reference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# "8-12" or "10": a YAML 10 arrives as a number, so accept it and keep the text form.
CountOrRange = Annotated[
    str,
    BeforeValidator(lambda v: str(v) if isinstance(v, int) and not isinstance(v, bool) else v),
    StringConstraints(pattern=r"^[1-9][0-9]*(-[1-9][0-9]*)?$"),
]


class RulesPart(BaseModel):
    """A part of one of the rules files: frozen, and an unknown key is a mistake."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- ruleset.yaml -----------------------------------------------------------------------

class Source(RulesPart):
    id: Slug
    citation: Reference
    # For the source articles: the file the facts were taken from.
    file: Reference | None = None


class Manifest(RulesPart):
    name: Reference
    version: Annotated[str, StringConstraints(pattern=r"^[0-9]+\.[0-9]+\.[0-9]+$")]
    # The languages a person can read the rules in: the first is the one these files are
    # written in; each other has a folder of words files beside them (rules/es/, ...).
    languages: list[Language] = Field(default=["en"], min_length=1)
    sources: list[Source]

    @model_validator(mode="after")
    def _once_each(self) -> Manifest:
        if len(set(self.languages)) != len(self.languages):
            raise ValueError("a language is listed twice")
        if self.languages[0] != "en":
            raise ValueError("the rules files are written in English: list en first")
        return self


# --- intake.yaml: the wording of every question and option --------------------------------

class Option(RulesPart):
    value: str | int | bool
    label: Text
    help: Text | None = None
    # What the form's tick box says when the label is too long for a phone: never narrower than
    # the label. The label (with the help) stays the answer everywhere else, and the form keeps it
    # one tap away and as the box's description.
    short_label: Text | None = None


class Question(RulesPart):
    label: Text
    help: Text | None = None
    options: list[Option] = []


class IntakeWording(RulesPart):
    questions: dict[str, Question]


# --- equipment.yaml -----------------------------------------------------------------------

class EquipmentItem(RulesPart):
    id: Equipment
    name: Text
    help: Text | None = None
    # Weights and machines that load the spine: kept out of the starting tier while in pain.
    external_load: bool


class EquipmentList(RulesPart):
    equipment: list[EquipmentItem]


# --- exercises.yaml -----------------------------------------------------------------------

class Dose(RulesPart):
    sets: int = Field(ge=1, le=5)
    reps: CountOrRange | None = None
    hold_seconds: CountOrRange | None = None
    minutes: CountOrRange | None = None
    per_side: bool = False
    rest_seconds: int | None = Field(default=None, ge=0, le=300)

    @model_validator(mode="after")
    def _one_measure(self) -> Dose:
        given = [m for m in (self.reps, self.hold_seconds, self.minutes) if m is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of reps, hold_seconds or minutes")
        return self

    def describe(self, say: Say = english) -> str:
        """The dose in words, e.g. '2 sets of 8–12 reps on each side, 60 s rest'."""
        if self.minutes is not None:
            return say("{minutes} minutes").format(minutes=_dash(self.minutes))
        if self.reps is not None:
            if self.sets == 1:
                text = (say("{sets} set of {reps} reps on each side") if self.per_side
                        else say("{sets} set of {reps} reps"))
            else:
                text = (say("{sets} sets of {reps} reps on each side") if self.per_side
                        else say("{sets} sets of {reps} reps"))
            text = text.format(sets=self.sets, reps=_dash(self.reps))
        else:
            if self.sets == 1:
                text = (say("{sets} hold of {seconds} seconds on each side") if self.per_side
                        else say("{sets} hold of {seconds} seconds"))
            else:
                text = (say("{sets} holds of {seconds} seconds on each side") if self.per_side
                        else say("{sets} holds of {seconds} seconds"))
            text = text.format(sets=self.sets, seconds=_dash(self.hold_seconds or ""))
        if self.rest_seconds:
            text = say("{dose}, {rest} s rest").format(dose=text, rest=self.rest_seconds)
        return text


def _dash(count_or_range: str) -> str:
    return count_or_range.replace("-", "–")


class DoseByTier(RulesPart):
    beginner: Dose | None = None
    intermediate: Dose | None = None
    advanced: Dose | None = None
    all_tiers: Dose | None = None

    @model_validator(mode="after")
    def _all_tiers_alone(self) -> DoseByTier:
        if self.all_tiers and (self.beginner or self.intermediate or self.advanced):
            raise ValueError("all_tiers replaces beginner/intermediate/advanced: use one or the other")
        return self

    def for_tier(self, tier: Tier) -> Dose | None:
        return self.all_tiers or getattr(self, tier)


class Exercise(RulesPart):
    id: Slug
    name: Text
    kind: Literal["exercise", "stretch", "warm_up"]
    tier: Tier
    # Alternatives, most preferred first; each lists everything needed at once; [] = nothing.
    equipment: list[list[Equipment]] = Field(min_length=1)
    optional_equipment: list[Equipment] = []
    muscles: list[Text] = Field(min_length=1)
    spinal_load: SpinalLoad
    # Whether it takes the spine to the end of its range, bending forward or twisting: [] for
    # neither. Every exercise must say, so a plan for fragile bones can leave these out.
    spine_end_range: list[EndRange]
    benefit: Text
    steps: list[Text] = Field(min_length=3, max_length=6)
    cues: list[Text] = Field(min_length=1, max_length=3)
    common_mistake: Text
    dose: DoseByTier
    easier: Slug | None = None
    harder: Slug | None = None
    sources: list[Slug] = Field(min_length=1)


class Catalogue(RulesPart):
    exercises: list[Exercise]


# --- screening.yaml -----------------------------------------------------------------------

class NumberTest(RulesPart):
    at_least: int | None = None
    at_most: int | None = None

    @model_validator(mode="after")
    def _has_a_bound(self) -> NumberTest:
        if self.at_least is None and self.at_most is None:
            raise ValueError("give at_least, at_most or both")
        if self.at_least is not None and self.at_most is not None and self.at_least > self.at_most:
            raise ValueError("at_least is above at_most, so this can never match")
        return self

    def holds(self, value: int) -> bool:
        return ((self.at_least is None or value >= self.at_least)
                and (self.at_most is None or value <= self.at_most))


class ExperienceTest(RulesPart):
    one_of: list[Experience] = Field(min_length=1)


class PainDurationTest(RulesPart):
    one_of: list[PainDuration] = Field(min_length=1)


class ProfessionalCheckTest(RulesPart):
    one_of: list[ProfessionalCheck] = Field(min_length=1)


class RedFlagTest(RulesPart):
    includes_any: list[RedFlag] = Field(min_length=1)
    # And every one of these too, e.g. previous cancer together with a nerve sign.
    includes_all: list[RedFlag] = []


class HealthFlagTest(RulesPart):
    includes_any: list[HealthFlag] = Field(min_length=1)


class FollowUpTest(RulesPart):
    """Conditions on a follow-up question's answers: whether it was answered at all, or which
    of its signs apply (only when answered)."""

    answered: bool | None = None
    includes_any: list[str] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_condition(self) -> FollowUpTest:
        if (self.answered is None) == (self.includes_any is None):
            raise ValueError("give either answered or includes_any")
        return self

    def holds(self, answers: frozenset[str] | None) -> bool:
        if self.answered is not None:
            return (answers is not None) is self.answered
        return answers is not None and not answers.isdisjoint(self.includes_any or ())


class HeartDetailsTest(FollowUpTest):
    includes_any: list[HeartDetail] | None = Field(default=None, min_length=1)  # type: ignore[assignment]


class CancerDetailsTest(FollowUpTest):
    includes_any: list[CancerDetail] | None = Field(default=None, min_length=1)  # type: ignore[assignment]


def _check_conditions(conditions: RulesPart, ranges: dict[str, tuple[int, int]]) -> None:
    """A rule's conditions name at least one answer, and each number bound lies within the
    answers allowed (`ranges`, by answer)."""
    if not conditions.model_fields_set:
        raise ValueError("a rule needs at least one condition")
    for name, (low, high) in ranges.items():
        test = getattr(conditions, name)
        if test is None:
            continue
        for bound in (test.at_least, test.at_most):
            if bound is not None and not low <= bound <= high:
                raise ValueError(f"{name} {bound} is outside the answers allowed ({low} to {high})")


class When(RulesPart):
    """Conditions on the answers; a rule fires when every condition given here holds."""

    age: NumberTest | None = None
    experience: ExperienceTest | None = None
    pain_now: NumberTest | None = None
    pain_duration: PainDurationTest | None = None
    pain_below_knee: bool | None = None
    back_surgery_or_injury: bool | None = None
    professional_check: ProfessionalCheckTest | None = None
    red_flags: RedFlagTest | None = None
    health_flags: HealthFlagTest | None = None
    heart_condition_details: HeartDetailsTest | None = None
    cancer_details: CancerDetailsTest | None = None

    @model_validator(mode="after")
    def _in_range(self) -> When:
        _check_conditions(self, {"age": AGE_RANGE, "pain_now": PAIN_RANGE})
        return self

    def compile(self) -> Callable[[Intake | ScreenedAnswers], bool]:
        """One predicate over an intake (or the part of it screening reads), built once at load
        time so evaluation is cheap."""
        checks: list[Callable[[Intake | ScreenedAnswers], bool]] = []
        if (age := self.age) is not None:
            checks.append(lambda i: age.holds(i.age))
        if (pain := self.pain_now) is not None:
            checks.append(lambda i: pain.holds(i.pain_now))
        if self.experience is not None:
            experiences = frozenset(self.experience.one_of)
            checks.append(lambda i: i.experience in experiences)
        if self.pain_duration is not None:
            durations = frozenset(self.pain_duration.one_of)
            checks.append(lambda i: i.pain_duration in durations)
        if (below_knee := self.pain_below_knee) is not None:
            checks.append(lambda i: i.pain_below_knee is below_knee)
        if (surgery := self.back_surgery_or_injury) is not None:
            checks.append(lambda i: i.back_surgery_or_injury is surgery)
        if self.professional_check is not None:
            checks_done = frozenset(self.professional_check.one_of)
            checks.append(lambda i: i.professional_check in checks_done)
        if self.red_flags is not None:
            red_flags = frozenset(self.red_flags.includes_any)
            checks.append(lambda i: not red_flags.isdisjoint(i.red_flags))
            if self.red_flags.includes_all:
                all_of = frozenset(self.red_flags.includes_all)
                checks.append(lambda i: all_of <= i.red_flags)
        if self.health_flags is not None:
            health_flags = frozenset(self.health_flags.includes_any)
            checks.append(lambda i: not health_flags.isdisjoint(i.health_flags))
        if (heart := self.heart_condition_details) is not None:
            checks.append(lambda i: heart.holds(i.heart_condition_details))
        if (cancer := self.cancer_details) is not None:
            checks.append(lambda i: cancer.holds(i.cancer_details))
        if not checks:  # only for a part of a rule, as the exhaustive check splits them
            return lambda intake: True
        if len(checks) == 1:
            return checks[0]
        first, *rest = checks
        # Called for every rule on every request: a plain loop beats all() over a generator.

        def every(intake: Intake | ScreenedAnswers) -> bool:
            if not first(intake):
                return False
            for check in rest:  # noqa: SIM110 (see above)
                if not check(intake):
                    return False
            return True

        return every


# A new condition in When reads a new answer, which screening must be given.
assert ScreenedAnswers._fields == tuple(When.model_fields), "ScreenedAnswers must list the fields of When"


class LevelWording(RulesPart):
    id: Level
    title: Text
    action: Text
    # The most a person at this level may be shown; a rule may restrict further, never less.
    plan: Slug


class Action(RulesPart):
    """Advice that several rules give: written once, named by its id in each rule."""

    id: Slug
    text: Text


class ScreeningRule(RulesPart):
    id: Slug
    when: When
    level: Level
    plan: Slug | None = None
    finding: Text
    # The id of an action in `actions`; without one, the level's action is shown.
    action: Slug | None = None
    # Exercises this finding keeps out of every tier, the warm-up and the cool-down, whatever
    # the plan limit: the lists of all the rules that fire add up.
    leave_out: list[Slug] = []
    # End-range moves this finding keeps out of the whole plan, on top of the plan limit's.
    avoid_end_range: list[EndRange] = []
    source: Slug


class Screening(RulesPart):
    levels: list[LevelWording]
    actions: list[Action] = []
    rules: list[ScreeningRule]


# --- plan.yaml ----------------------------------------------------------------------------

class StartingTierLimits(RulesPart):
    no_external_load: bool = False
    max_spinal_load: SpinalLoad = "high"


class PlanLimit(RulesPart):
    id: Slug
    shows_plan: bool
    tiers: list[Tier] = []
    start_tier: Tier | Literal["from_experience"] | None = None
    starting_tier: StartingTierLimits = StartingTierLimits()
    # Left out of every tier, the warm-up and the cool-down alike.
    avoid_end_range: list[EndRange] = []
    # The highest tier a check-in may move a person to under this limit.
    check_in_up_to: Tier | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _complete(self) -> PlanLimit:
        if self.shows_plan and (not self.tiers or self.start_tier is None):
            raise ValueError("a limit that shows a plan needs tiers and a start_tier")
        if not self.shows_plan and (self.tiers or self.start_tier):
            raise ValueError("a limit that shows no plan cannot list tiers or a start_tier")
        if self.start_tier not in (None, "from_experience") and self.start_tier not in self.tiers:
            raise ValueError("start_tier must be one of the tiers shown")
        return self


class Slot(RulesPart):
    id: Slug
    purpose: Text
    choose_first_of: list[Slug] = Field(min_length=1)


class TierDesign(RulesPart):
    tier: Tier
    title: Text
    summary: Text
    move_on_when: Text
    step_back_when: Text
    slots: list[Slot] = Field(min_length=1)


class SessionDesign(RulesPart):
    title: Text
    description: Text
    max_spinal_load: SpinalLoad = "high"


class ScheduledDay(RulesPart):
    day: Weekday
    session: SessionKind


class WeekPattern(RulesPart):
    days_per_week: int
    days: list[ScheduledDay]


class PainMonitoring(RulesPart):
    how_to_rate: Text
    move_up: Text
    stay: Text
    step_back: Text


class PlanDesign(RulesPart):
    plan_limits: list[PlanLimit] = Field(min_length=1)
    start_tier_by_experience: dict[Experience, Tier]
    tiers: list[TierDesign]
    warm_up: list[Slug] = Field(min_length=1)
    cool_down: list[Slug] = Field(min_length=1)
    # The cool-down when a plan keeps out end-range moves (thin bones): no stretch left empty.
    cool_down_without_end_range: list[Slug] = Field(min_length=1)
    sessions: dict[SessionKind, SessionDesign]
    weekly_schedule: list[WeekPattern]
    pain_monitoring: PainMonitoring
    stop_signs: list[Text] = Field(min_length=1)


# --- progression.yaml: the check-in after two weeks ---------------------------------------

# What a check-in can decide, most cautious first: the most cautious decision among the rules
# that fire wins, so adding a rule can only make the advice more careful.
Decision = Literal["see_professional", "step_back", "stay", "move_up"]
DECISIONS: tuple[Decision, ...] = get_args(Decision)


class TierTest(RulesPart):
    one_of: list[Tier] = Field(min_length=1)


class NextMorningTest(RulesPart):
    one_of: list[NextMorning] = Field(min_length=1)


class SetsCompletedTest(RulesPart):
    one_of: list[SetsCompleted] = Field(min_length=1)


class ProgressWhen(RulesPart):
    """Conditions on a check-in's report, and on the training experience answered today; a
    progression rule fires when every condition given here holds."""

    tier: TierTest | None = None
    sessions_done: NumberTest | None = None
    pain_during_max: NumberTest | None = None
    next_morning: NextMorningTest | None = None
    sets_completed: SetsCompletedTest | None = None
    # Weeks on the reported tier; a report that leaves it out counts as 0 weeks.
    weeks_on_tier: NumberTest | None = None
    experience: ExperienceTest | None = None

    @model_validator(mode="after")
    def _in_range(self) -> ProgressWhen:
        _check_conditions(self, {"sessions_done": SESSIONS_RANGE, "pain_during_max": PAIN_RANGE,
                                 "weeks_on_tier": WEEKS_RANGE})
        return self

    def compile(self) -> Callable[[Progress, Experience], bool]:
        """One predicate over a report and the experience, built once at load time."""
        checks: list[Callable[[Progress, Experience], bool]] = []
        if self.tier is not None:
            tiers = frozenset(self.tier.one_of)
            checks.append(lambda p, e: p.tier in tiers)
        if (sessions := self.sessions_done) is not None:
            checks.append(lambda p, e: sessions.holds(p.sessions_done))
        if (pain := self.pain_during_max) is not None:
            checks.append(lambda p, e: pain.holds(p.pain_during_max))
        if self.next_morning is not None:
            mornings = frozenset(self.next_morning.one_of)
            checks.append(lambda p, e: p.next_morning in mornings)
        if self.sets_completed is not None:
            sets = frozenset(self.sets_completed.one_of)
            checks.append(lambda p, e: p.sets_completed in sets)
        if (weeks := self.weeks_on_tier) is not None:
            checks.append(lambda p, e: weeks.holds(p.weeks))
        if self.experience is not None:
            experiences = frozenset(self.experience.one_of)
            checks.append(lambda p, e: e in experiences)
        return lambda progress, experience: all(check(progress, experience) for check in checks)


class ProgressionRule(RulesPart):
    id: Slug
    when: ProgressWhen
    decide: Decision
    # Why, in words a person reads after the decision.
    reason: Text
    source: Slug


class Wording(RulesPart):
    title: Text
    advice: Text


class DecisionWording(Wording):
    # "{tier}" in the title and advice is the title of the tier the person goes on with.
    id: Decision


class Referral(RulesPart):
    """What "see a professional" does to today's result: the level it raises the result to,
    the plan limit it tightens the plan to, and the action shown."""

    level: Level
    plan: Slug
    action: Text


class Progression(RulesPart):
    decisions: list[DecisionWording]
    plan_withheld: Wording
    referral: Referral
    title: Text
    questions: dict[str, Question]
    rules: list[ProgressionRule] = Field(min_length=1)
