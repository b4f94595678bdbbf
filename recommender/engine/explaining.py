"""Plain-language reasons, built after the decisions from their records: why a screening
rule fired, why the plan is shaped as it is, and why each exercise was taken or left out.

Every reason is built from the rules and the person's own answers, in the questionnaire's
own words (rules/intake.yaml), so a clinician who edits a rule or a question never has to
edit an explanation as well, and the words can change without touching a decision.

The engine's own words go through the ruleset's `say`, one whole sentence (or clause) per
msgid, so a translator never has to guess how fragments fit: each variant (one tier or several,
with or without a clause) is its own sentence, chosen here. Only lists are joined from parts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from recommender.engine.planning import (
    AlreadyUsed,
    Candidate,
    ChosenExercise,
    EndRangeAvoided,
    EquipmentNotTicked,
    LeftOutByClinic,
    LeftOutForSafety,
    NotNeeded,
    Picked,
    PlanDecision,
    SlotRecord,
    TierRecord,
    TooMuchSpinalLoad,
    WeightsKeptOut,
)
from recommender.engine.progressing import CheckIn
from recommender.engine.screening import ScreeningDecision
from recommender.model.intake import (
    AGE_RANGE,
    PAIN_RANGE,
    TIERS,
    Equipment,
    Experience,
    Intake,
    Say,
    Tier,
)
from recommender.model.outcome import (
    CheckInResult,
    ExerciseDecision,
    ExerciseRef,
    Finding,
    LimitReason,
    PlannedExercise,
    ProgressReason,
    SafetyNetItem,
    SlotDecision,
    TierPlan,
    Triage,
)
from recommender.model.rules import (
    DECISIONS,
    LEVELS,
    ExperienceTest,
    FollowUpTest,
    HealthFlagTest,
    IntakeWording,
    NumberTest,
    PainDurationTest,
    PlanLimit,
    ProfessionalCheckTest,
    ProgressionRule,
    ProgressWhen,
    RedFlagTest,
    ScreeningRule,
    When,
    Wording,
)
from recommender.model.ruleset import Ruleset, in_sentence

_NUMBER_RANGES = {"age": AGE_RANGE, "pain_now": PAIN_RANGE}


# --- screening ------------------------------------------------------------------------------

# The answers one screening rule reads, by question: its ticks only where it looks for them.
AnswersRead = tuple[tuple[str, Any], ...]


def triage(decision: ScreeningDecision, intake: Intake, ruleset: Ruleset,
           finding_for: Callable[[ScreeningRule, Intake], Finding], visit: CheckIn | None = None) -> Triage:
    """The level, what to do, and a finding for each fired rule, worded by `finding_for` (`finding`
    from the answers the rule reads)."""
    findings = [finding_for(rule, intake) for rule in decision.fired]
    if visit is not None and visit.progress.decision == "see_professional":
        # A referral from the check-in is a finding too, at the referral's level.
        level = ruleset.progression.referral.level
        findings += [Finding(id=rule.id, level=level, text=rule.reason,
                             because=progress_because(rule, intake, ruleset),
                             said=progress_because(rule, intake, ruleset, thresholds=False))
                     for rule in visit.progress.fired if rule.decide == "see_professional"]
    return Triage(
        level=decision.level,
        title=ruleset.levels[decision.level].title,
        action=decision.action,
        # Most urgent first, so a person reads the reason for the level before the rest.
        reasons=sorted(findings, key=lambda finding: LEVELS.index(finding.level)),
    )


def finding(rule_id: str, answers: AnswersRead, ruleset: Ruleset) -> Finding:
    """A fired rule's finding, with why it fired in the words of the answers it reads: all it
    is given of the person, so people who gave those same answers share it."""
    rule = ruleset.screening_rule(rule_id)
    given = dict(answers)
    return Finding(id=rule.id, level=rule.level, text=rule.finding, because=because(rule.when, given, ruleset),
                   said=because(rule.when, given, ruleset, thresholds=False))


def reader_of(when: When) -> Callable[[Intake], AnswersRead]:
    """What reads, from an intake, the answers a rule's conditions read, by question (of the
    ticks, only those it looks for): worked out once per rule, used on every request."""
    plain: list[str] = []
    ticks: list[tuple[str, frozenset[str]]] = []
    for name in sorted(when.model_fields_set):
        test = getattr(when, name)
        if isinstance(test, RedFlagTest):
            ticks.append((name, frozenset(test.includes_any + test.includes_all)))
        elif isinstance(test, HealthFlagTest):
            ticks.append((name, frozenset(test.includes_any)))
        elif test is not None:
            plain.append(name)
    order = sorted([*plain, *(name for name, _ in ticks)])

    def read(intake: Intake) -> AnswersRead:
        found: dict[str, Any] = {name: getattr(intake, name) for name in plain}
        for name, looked_for in ticks:
            found[name] = looked_for & getattr(intake, name)
        return tuple((name, found[name]) for name in order)

    return read


def because(when: When, answers: Mapping[str, Any], rules: Ruleset, thresholds: bool = True) -> str:
    """Why a rule's conditions hold for these answers, e.g. 'Because you are 55 (this rule
    applies from 51) and ...', in the rules' language. Only the ticks the rule looks for are named."""
    wording, say = rules.wording, rules.say
    clauses: list[str] = []
    ticked: list[str] = []
    for name in When.model_fields:
        test = getattr(when, name)
        if test is None:
            continue  # not read: answers so far may not have it at all
        answer = answers[name]
        if isinstance(test, NumberTest):
            clauses.append(_number(name, answer, test, wording, say) if thresholds
                           else _number_answer(name, answer, wording, say))
        elif isinstance(test, ExperienceTest | PainDurationTest | ProfessionalCheckTest | bool):
            clauses.append(_chosen(name, answer, wording, rules))
        elif isinstance(test, RedFlagTest | HealthFlagTest):
            labels = _labels(wording, name)
            looked_for = test.includes_all + test.includes_any if isinstance(test, RedFlagTest) else test.includes_any
            ticked += [labels.get(flag, flag) for flag in dict.fromkeys(looked_for) if flag in answer]
        elif isinstance(test, FollowUpTest):
            question = wording.questions[name].label
            if test.answered is False:
                clauses.append(say("you did not answer “{question}”").format(question=question))
            elif test.answered:
                clauses.append((say("you answered “{question}”") if answer
                                else say("you answered “{question}” with “None of these”")).format(question=question))
            else:
                labels = _labels(wording, name)
                ticked += [labels.get(item, item) for item in test.includes_any or () if item in (answer or ())]
        else:  # a new kind of condition in ruleset.When needs its own wording here
            raise TypeError(f"no wording for the condition {name}: {test!r}")
    if ticked:
        clauses.append(say("you ticked: {ticks}").format(ticks=say("; ").join(ticked)))
    return say("Because {reasons}.").format(reasons=_and(clauses, say))


def _number_answer(name: str, value: int, wording: IntakeWording, say: Say) -> str:
    if name == "age":
        return say("you are {age}").format(age=value)
    if name == "pain_now":
        return say("you rated your pain {pain} out of {most}").format(pain=value, most=PAIN_RANGE[1])
    return say("your answer to “{question}” was {answer}").format(question=wording.questions[name].label,
                                                                   answer=value)


def _number(name: str, value: int, test: NumberTest, wording: IntakeWording, say: Say) -> str:
    answer = _number_answer(name, value, wording, say)
    low, high = _NUMBER_RANGES.get(name, (None, None))
    at_least = test.at_least if test.at_least is not None else low
    at_most = test.at_most if test.at_most is not None else high
    if at_least is not None and at_least == at_most:
        return say("{answer} (this rule applies only at {value})").format(answer=answer, value=at_least)
    if test.at_most is None:
        return say("{answer} (this rule applies from {low})").format(answer=answer, low=test.at_least)
    if test.at_least is None:
        return say("{answer} (this rule applies up to {high})").format(answer=answer, high=test.at_most)
    return say("{answer} (this rule applies from {low} to {high})").format(
        answer=answer, low=test.at_least, high=test.at_most)


def _chosen(name: str, value: Any, wording: IntakeWording, rules: Ruleset) -> str:
    question = wording.questions[name]
    option = next((o for o in question.options if o.value == value and type(o.value) is type(value)), None)
    shown = option.label if option else value
    if option and option.help:
        return rules.say("your answer to “{question}” was “{answer}” ({meaning})").format(
            question=question.label, answer=shown, meaning=in_sentence(option.help.removesuffix("."), rules.language))
    return rules.say("your answer to “{question}” was “{answer}”").format(question=question.label, answer=shown)


def _labels(wording: IntakeWording, name: str) -> dict[Any, str]:
    return {option.value: option.label for option in wording.questions[name].options}


def _and(parts: list[str], say: Say) -> str:
    if len(parts) == 1:
        return parts[0]
    return say("{items} and {last}").format(items=say(", ").join(parts[:-1]), last=parts[-1])


# --- the check-in ---------------------------------------------------------------------------

def progress_because(rule: ProgressionRule, intake: Intake, ruleset: Ruleset, thresholds: bool = True) -> str:
    """Why a progression rule's conditions hold for this report, in the check-in's words."""
    assert intake.progress is not None, "only a check-in fires progression rules"
    report = intake.progress
    questions = IntakeWording(questions={**ruleset.wording.questions, **ruleset.progression.questions})
    say = ruleset.say
    clauses = []
    for name in ProgressWhen.model_fields:
        test = getattr(rule.when, name)
        if test is None:
            continue
        answer = intake.experience if name == "experience" else getattr(report, name)
        if isinstance(test, NumberTest):
            clauses.append(_number(name, int(answer), test, questions, say) if thresholds
                           else _number_answer(name, int(answer), questions, say))
        else:
            clauses.append(_chosen(name, answer, questions, ruleset))
    return say("Because {reasons}.").format(reasons=_and(clauses, say))


def check_in_result(visit: CheckIn, ruleset: Ruleset) -> CheckInResult:
    """The check-in's decision as the person is told it: what today's screening lets them do,
    with the progression rules' reasons, most cautious first."""
    progress = visit.progress
    reported = progress.reported_tier
    decision = visit.decision
    wording: Wording = next(item for item in ruleset.progression.decisions if item.id == decision)
    tier = ruleset.tier_title(visit.start or reported)
    held_back = None
    if visit.start is None:
        wording = ruleset.progression.plan_withheld
    elif progress.decision != "see_professional" and visit.capped:
        held_back = ruleset.say("Your check-in on its own would take you to {decided}, "
                                "but your answers today allow no more than {tier} for now.").format(
            decided=ruleset.tier_title(progress.decided_tier), tier=tier)
    fired = sorted(progress.fired, key=lambda rule: DECISIONS.index(rule.decide))
    return CheckInResult(
        decision=decision,
        title=wording.title.replace("{tier}", tier),
        advice=wording.advice.replace("{tier}", tier),
        reported_tier=reported,
        next_tier=visit.start,
        reasons=[ProgressReason(rule=rule.id, reason=rule.reason) for rule in fired],
        held_back=held_back,
    )


def check_in_start_reason(visit: CheckIn, ruleset: Ruleset) -> LimitReason:
    """Why a check-in's plan starts where it does: the progression rules that decided, and
    today's plan limit, whose limits on load the starting tier keeps."""
    assert visit.start is not None, "only a plan that is shown has a starting tier"
    limit = visit.screening.limit
    title = ruleset.tier_title(visit.start)
    deciding = [rule for rule in visit.progress.fired if rule.decide == visit.progress.decision]
    say = ruleset.say
    effect = _starting_tier_effect(limit, say)
    rules = say(", ").join(say("rule {rule}").format(rule=rule.id) for rule in deciding)
    if visit.capped and effect:
        reason = say("You go on at {tier} because of your check-in ({rules}), capped by plan limit {limit}; "
                     "plan limit {limit} {effect}.")
    elif visit.capped:
        reason = say("You go on at {tier} because of your check-in ({rules}), capped by plan limit {limit}.")
    elif effect:
        reason = say("You go on at {tier} because of your check-in ({rules}); plan limit {limit} {effect}.")
    else:
        reason = say("You go on at {tier} because of your check-in ({rules}).")
    reason = reason.format(tier=title, rules=rules, limit=limit.id, effect=effect)
    plain = say("You go on at {tier}, as your check-in showed.").format(tier=title)
    if limit.starting_tier.no_external_load:
        plain += " " + say("Your first moves use no weights.")
    return LimitReason(rule=limit.id, set_by=[rule.id for rule in deciding], reason=reason, plain=plain)


# --- the plan limit: the starting tier, hidden tiers, a withheld plan ------------------------

def limit_reasons(experience: Experience, ruleset: Ruleset, decision: ScreeningDecision,
                  start: Tier) -> tuple[LimitReason, LimitReason | None]:
    """Why the plan starts where it does, and why tiers are hidden (None when none are)."""
    return start_tier_reason(experience, ruleset, decision, start), hidden_tiers_reason(ruleset, decision)


def start_tier_reason(experience: Experience, ruleset: Ruleset, decision: ScreeningDecision,
                      start: Tier) -> LimitReason:
    """Why the plan starts at `start`: the person's experience, or the rules that set the limit."""
    limit = decision.limit
    setters = _setters(ruleset, decision)
    title = ruleset.tier_title(start)
    say = ruleset.say
    effect = _starting_tier_effect(limit, say)
    if limit.start_tier == "from_experience":
        answer = _chosen("experience", experience, ruleset.wording, ruleset)
        reason = (say("You start at {tier} because {answer}, and plan limit {limit} {effect}.") if effect
                  else say("You start at {tier} because {answer}, and nothing in your answers calls for "
                           "a gentler start (plan limit {limit})."))
        reason = reason.format(tier=title, answer=answer, limit=limit.id, effect=effect)
        plain = say("You start at {tier}, to match how much you have trained.").format(tier=title)
    elif not setters:
        reason = say("You start at {tier} because plan limit {limit} starts everyone there.").format(
            tier=title, limit=limit.id)
        plain = say("Everyone starts at {tier}.").format(tier=title)
    else:
        plain = say("You start at {tier} because {causes}.").format(tier=title, causes=_plain_causes(setters, ruleset))
        effect = effect or say("sets your starting tier to {tier}").format(tier=title)
        if len(setters) == 1:
            reason = say("You start at {tier} because {cause}, which {effect} (plan limit {limit}).").format(
                tier=title, cause=_cause(setters[0], ruleset), effect=effect, limit=limit.id)
        else:
            reason = say("You start at {tier} because of these answers: {causes}. "
                         "Plan limit {limit} {effect}.").format(
                tier=title, causes=_causes(setters, ruleset), limit=limit.id, effect=effect)
    if limit.starting_tier.no_external_load:
        plain += " " + say("Your first moves use no weights.")
    return LimitReason(rule=limit.id, set_by=[rule.id for rule in setters], reason=reason, plain=plain)


def hidden_tiers_reason(ruleset: Ruleset, decision: ScreeningDecision) -> LimitReason | None:
    """Why some tiers are not shown, or None when every tier is."""
    limit = decision.limit
    hidden = [tier for tier in TIERS if tier not in limit.tiers]
    if not hidden:
        return None
    setters = _setters(ruleset, decision)
    say = ruleset.say
    words = {"names": _and([ruleset.tier_title(tier) for tier in hidden], say),
             "shown": _and([ruleset.tier_title(tier) for tier in limit.tiers], say),
             "limit": limit.id, "cause": _cause(setters[0], ruleset) if setters else "",
             "causes": _causes(setters, ruleset), "plain_causes": _plain_causes(setters, ruleset) if setters else ""}
    one_hidden, one_shown = len(hidden) == 1, len(limit.tiers) == 1
    if one_hidden:
        plain = (say("The {names} tier is not shown for now because {plain_causes}.") if setters
                 else say("The {names} tier is not shown for now."))
    else:
        plain = (say("The {names} tiers are not shown for now because {plain_causes}.") if setters
                 else say("The {names} tiers are not shown for now."))
    if not setters:
        reason = {
            (True, True): say("The {names} tier is not shown because plan limit {limit} shows only the {shown} "
                              "tier."),
            (True, False): say("The {names} tier is not shown because plan limit {limit} shows only the {shown} "
                               "tiers."),
            (False, True): say("The {names} tiers are not shown because plan limit {limit} shows only the {shown} "
                               "tier."),
            (False, False): say("The {names} tiers are not shown because plan limit {limit} shows only the "
                                "{shown} tiers."),
        }[one_hidden, one_shown]
    elif len(setters) == 1:
        reason = {
            (True, True): say("The {names} tier is not shown because {cause}, so plan limit {limit} shows only "
                              "the {shown} tier."),
            (True, False): say("The {names} tier is not shown because {cause}, so plan limit {limit} shows only "
                               "the {shown} tiers."),
            (False, True): say("The {names} tiers are not shown because {cause}, so plan limit {limit} shows "
                               "only the {shown} tier."),
            (False, False): say("The {names} tiers are not shown because {cause}, so plan limit {limit} shows "
                                "only the {shown} tiers."),
        }[one_hidden, one_shown]
    else:
        reason = {
            (True, True): say("The {names} tier is not shown because of these answers: {causes}. So plan limit "
                              "{limit} shows only the {shown} tier."),
            (True, False): say("The {names} tier is not shown because of these answers: {causes}. So plan limit "
                               "{limit} shows only the {shown} tiers."),
            (False, True): say("The {names} tiers are not shown because of these answers: {causes}. So plan "
                               "limit {limit} shows only the {shown} tier."),
            (False, False): say("The {names} tiers are not shown because of these answers: {causes}. So plan "
                                "limit {limit} shows only the {shown} tiers."),
        }[one_hidden, one_shown]
    return LimitReason(rule=limit.id, set_by=[rule.id for rule in setters], reason=reason.format(**words),
                       plain=plain.format(**words))


def plan_withheld_reason(ruleset: Ruleset, decision: ScreeningDecision) -> LimitReason:
    """Why no plan is shown: the rules whose plan limit shows none."""
    limit = decision.limit
    setters = _setters(ruleset, decision)
    say = ruleset.say
    if not setters:
        reason = say("We have not made an exercise plan because plan limit {limit} shows none.").format(
            limit=limit.id)
        plain = say("We have not made an exercise plan. A health professional should check you first.")
    else:
        if len(setters) == 1:
            reason = say("We have not made an exercise plan because {cause}. Plan limit {limit} holds back "
                         "the plan until a health professional has checked you.").format(
                cause=_cause(setters[0], ruleset), limit=limit.id)
        else:
            reason = say("We have not made an exercise plan because of these answers: {causes}. Plan limit "
                         "{limit} holds back the plan until a health professional has checked you.").format(
                causes=_causes(setters, ruleset), limit=limit.id)
        plain = say("We have not made an exercise plan because {causes}. A health professional should check "
                    "you first.").format(causes=_plain_causes(setters, ruleset))
    return LimitReason(rule=limit.id, set_by=[rule.id for rule in setters], reason=reason, plain=plain)


def _setters(ruleset: Ruleset, decision: ScreeningDecision) -> list[ScreeningRule]:
    # The fired rules whose own limit, or their level's, is the one that applies: most
    # urgent first, as the findings are listed.
    fired = sorted(decision.fired, key=lambda rule: LEVELS.index(rule.level))
    return [rule for rule in fired if ruleset.plan_limit_of(rule) == decision.limit.id]


def _first_sentence(rule: ScreeningRule, ruleset: Ruleset) -> str:
    # The finding's first sentence, which says what the person told us in plain words.
    return in_sentence(rule.finding.split(". ", 1)[0].removesuffix("."), ruleset.language)


def _cause(rule: ScreeningRule, ruleset: Ruleset) -> str:
    return ruleset.say("{finding} (rule {rule})").format(finding=_first_sentence(rule, ruleset), rule=rule.id)


def _causes(rules: list[ScreeningRule], ruleset: Ruleset) -> str:
    return ruleset.say("; ").join(_cause(rule, ruleset) for rule in rules)


def _plain_causes(rules: list[ScreeningRule], ruleset: Ruleset) -> str:
    # The same first sentences, for a person: no rule ids.
    return _and([_first_sentence(rule, ruleset) for rule in rules], ruleset.say)


def _starting_tier_effect(limit: PlanLimit, say: Say) -> str | None:
    # What the limit keeps the starting tier to, as what follows "plan limit X" or "which".
    kept_to = []
    if limit.starting_tier.no_external_load:
        kept_to.append(say("no weights"))
    if limit.starting_tier.max_spinal_load == "low":
        kept_to.append(say("low load on your spine"))
    elif limit.starting_tier.max_spinal_load == "moderate":
        kept_to.append(say("moderate load on your spine"))
    if not kept_to:
        return None
    return say("keeps your starting tier to moves with {kept_to}").format(kept_to=_and(kept_to, say))


# --- the plan: each tier, exercise and candidate in words ----------------------------------

def warm_up_why(say: Say) -> str:
    return say("It gets your body warm and your joints moving before you start.")


def cool_down_why(say: Say) -> str:
    return say("Stretching after exercise, once your muscles are warm, keeps your hips and back supple.")


WordExercise = Callable[[ChosenExercise, Tier, str], PlannedExercise]


def tier_plans(plan: PlanDecision, ruleset: Ruleset) -> list[TierPlan]:
    return [tier_plan(record, ruleset) for record in plan.tiers]


def tier_plan(record: TierRecord, ruleset: Ruleset, word: WordExercise | None = None) -> TierPlan:
    """A tier in words. `word` words one chosen exercise (see `planned_exercise`)."""
    word = word or (lambda chosen, tier, purpose: planned_exercise(ruleset, chosen, tier, purpose))
    design = next(design for design in ruleset.plan.tiers if design.tier == record.tier)
    return TierPlan(
        tier=record.tier,
        title=design.title,
        summary=design.summary,
        is_start=record.is_start,
        exercises=[word(slot.chosen, record.tier, slot.slot.purpose)
                   for slot in record.slots if slot.chosen is not None],
        move_on_when=design.move_on_when,
        step_back_when=design.step_back_when,
        slots=[_slot_decision(slot, ruleset) for slot in record.slots],
    )


def routine(chosen: tuple[ChosenExercise, ...], tier: Tier, ruleset: Ruleset, why: str,
            word: WordExercise | None = None) -> list[PlannedExercise]:
    word = word or (lambda exercise, tier, purpose: planned_exercise(ruleset, exercise, tier, purpose))
    return [word(exercise, tier, why) for exercise in chosen]


def planned_exercise(ruleset: Ruleset, chosen: ChosenExercise, tier: Tier, purpose: str) -> PlannedExercise:
    exercise = ruleset.exercises[chosen.id]
    dose = exercise.dose.for_tier(tier)
    assert dose is not None, "the loader checks every exercise has a dose for the tiers it can be in"
    why = f"{purpose} {exercise.benefit}"
    if chosen.uses:
        why += " " + ruleset.say("Uses what you ticked: {equipment}.").format(equipment=_names(chosen.uses, ruleset))
    return PlannedExercise(
        id=exercise.id,
        name=exercise.name,
        equipment=list(chosen.equipment),
        equipment_names=[ruleset.equipment[item].name for item in chosen.equipment],
        dose=dose.describe(ruleset.say),
        why=why,
        why_short=purpose,
        sets=dose.sets,
        per_side=dose.per_side,
        rest_seconds=dose.rest_seconds or 0,
        spinal_load=exercise.spinal_load,
        light_day=exercise.spinal_load == "low",
        muscles=list(exercise.muscles),
        steps=list(exercise.steps),
        cues=list(exercise.cues),
        common_mistake=exercise.common_mistake,
        easier=_ref(exercise.easier, ruleset),
        harder=_ref(exercise.harder, ruleset),
    )


def _ref(exercise_id: str | None, ruleset: Ruleset) -> ExerciseRef | None:
    if exercise_id is None:
        return None
    return ExerciseRef(id=exercise_id, name=ruleset.exercises[exercise_id].name)


def _slot_decision(record: SlotRecord, ruleset: Ruleset) -> SlotDecision:
    slot = record.slot
    return SlotDecision(
        slot=slot.id, purpose=slot.purpose, chosen=record.chosen.id if record.chosen else None,
        considered=[ExerciseDecision(id=candidate.exercise_id, name=ruleset.exercises[candidate.exercise_id].name,
                                     included=candidate.included, rule=candidate.decided_by,
                                     reason=_candidate_reason(candidate, slot.id, ruleset))
                    for candidate in record.candidates])


def _candidate_reason(candidate: Candidate, slot: str, ruleset: Ruleset) -> str:
    why = candidate.why
    say = ruleset.say
    if isinstance(why, Picked):
        if why.after_others:
            picked = (say("the first choice in slot {slot} that you have the equipment for and that your "
                          "starting tier allows") if why.starting_tier_limited
                      else say("the first choice in slot {slot} that you have the equipment for"))
        else:
            picked = (say("the first choice in slot {slot}, and you ticked what it needs") if why.needs_equipment
                      else say("the first choice in slot {slot}, and it needs no equipment"))
        return picked.format(slot=slot)
    if isinstance(why, NotNeeded):
        return say("not needed: {exercise}, an earlier choice in this slot, was picked").format(
            exercise=ruleset.exercises[why.picked].name)
    if isinstance(why, AlreadyUsed):
        return say("already used earlier in this tier (slot {slot})").format(slot=why.slot)
    if isinstance(why, LeftOutByClinic):
        return say("your clinic does not prescribe it")
    if isinstance(why, LeftOutForSafety):
        return say("left out for now because of your answers (rule {rule})").format(rule=why.rule)
    if isinstance(why, EndRangeAvoided):
        reason = {
            ("bending",): say("it bends your back as far as it goes, which thin bones should avoid"),
            ("twisting",): say("it twists your back as far as it goes, which thin bones should avoid"),
            ("bending", "twisting"): say("it bends or twists your back as far as it goes, which thin bones "
                                         "should avoid"),
            ("twisting", "bending"): say("it twists or bends your back as far as it goes, which thin bones "
                                         "should avoid"),
        }[why.moves]
    elif isinstance(why, EquipmentNotTicked):
        return say("needs equipment you did not tick: {equipment}").format(equipment=_names(why.missing, ruleset))
    elif isinstance(why, TooMuchSpinalLoad):
        reason = {
            ("moderate", "low"): say("puts moderate load on your spine, and your starting tier keeps to low load"),
            ("high", "low"): say("puts high load on your spine, and your starting tier keeps to low load"),
            ("high", "moderate"): say("puts high load on your spine, and your starting tier keeps to moderate "
                                      "load"),
        }[why.load, why.allowed]
    else:
        assert isinstance(why, WeightsKeptOut)
        reason = say("uses weights ({equipment}), which are kept out of your starting tier for now").format(
            equipment=_names(why.weights, ruleset))
    limit = candidate.decided_by
    return (say("{reason} (plan limit {limit})").format(reason=reason, limit=limit) if limit in ruleset.plan_limits
            else reason)


def _names(items: tuple[Equipment, ...], ruleset: Ruleset) -> str:
    return ruleset.say(", ").join(in_sentence(ruleset.equipment[item].name, ruleset.language) for item in items)


# --- the safety net -----------------------------------------------------------------------

def safety_net(ruleset: Ruleset) -> list[SafetyNetItem]:
    """The signs that would need prompt help, grouped by how fast, from the screening rules.

    A plan that goes ahead still carries these, so a person knows what to do if a sign
    appears later.
    """
    # The form's short labels: never narrower than the sign, and short enough to keep the list
    # on one screen, and on paper beside the plan.
    labels = {option.value: option.short_label or option.label
              for option in ruleset.wording.questions["red_flags"].options}
    items = []
    for level in ("emergency", "same_day"):
        # Only signs that decide the level on their own: "previous cancer and a weak leg" does
        # not make a weak leg on its own an emergency.
        signs = [labels[flag]
                 for rule in ruleset.screening_rules
                 if rule.level == level and rule.when.red_flags is not None and not rule.when.red_flags.includes_all
                 and rule.when.model_fields_set == {"red_flags"}
                 for flag in rule.when.red_flags.includes_any]
        if signs:
            wording = ruleset.levels[level]
            # The same for everyone the rules answer: named by the rules and the level.
            items.append(SafetyNetItem(level=level, title=wording.title, action=wording.action,
                                       signs=list(dict.fromkeys(signs))).decided_from((ruleset.digest, level)))
    return items
