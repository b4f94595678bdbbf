"""Plain-language reasons: why a screening rule fired and why the plan is shaped as it is.

Every reason is built from the rules and the person's own answers, in the questionnaire's
own words (rules/intake.yaml), so a clinician who edits a rule or a question never has to
edit an explanation as well.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from recommender.intake import AGE_RANGE, PAIN_RANGE, TIERS, Intake, Tier
from recommender.loading import Ruleset
from recommender.outcome import LimitReason, Triage
from recommender.ruleset import (
    ExperienceTest,
    HealthFlagTest,
    IntakeWording,
    NumberTest,
    PainDurationTest,
    PlanLimit,
    RedFlagTest,
    ScreeningRule,
    When,
)

_NUMBER_RANGES = {"age": AGE_RANGE, "pain_now": PAIN_RANGE}
_NUMBER_ANSWERS = {"age": "you are {}", "pain_now": f"you rated your pain {{}} out of {PAIN_RANGE[1]}"}


# A finding's reason depends only on the rules' content, the rule and the answers it reads, and
# the same few combinations recur: keep the recent ones (bounded, cleared when full).
_BECAUSE_KEPT = 4096
_because_kept: dict[tuple[str, str, tuple[Any, ...]], str] = {}


def because_for(rule: ScreeningRule, intake: Intake, rules: Ruleset) -> str:
    """`because` for a fired rule, remembered by the rules' digest and the answers it reads."""
    key = (rules.digest, rule.id, _answers_read(rule.when, intake))
    text = _because_kept.get(key)
    if text is None:
        if len(_because_kept) >= _BECAUSE_KEPT:
            _because_kept.clear()
        text = _because_kept[key] = because(rule.when, intake, rules.wording)
    return text


def _answers_read(when: When, intake: Intake) -> tuple[Any, ...]:
    read: list[Any] = []
    for name in when.model_fields_set:
        test = getattr(when, name)
        if isinstance(test, RedFlagTest | HealthFlagTest):
            read.append((name, frozenset(test.includes_any) & getattr(intake, name)))
        elif test is not None:
            read.append((name, getattr(intake, name)))
    return tuple(sorted(read, key=lambda pair: pair[0]))


def because(when: When, intake: Intake, wording: IntakeWording) -> str:
    """Why a rule's conditions hold for these answers, e.g. 'Because you are 55 (this rule
    applies from 51) and ...'. Only the ticks the rule looks for are named."""
    clauses: list[str] = []
    ticked: list[str] = []
    for name in When.model_fields:
        test = getattr(when, name)
        answer = getattr(intake, name)
        if test is None:
            continue
        if isinstance(test, NumberTest):
            clauses.append(_number(name, answer, test, wording))
        elif isinstance(test, ExperienceTest | PainDurationTest | bool):
            clauses.append(_chosen(name, answer, wording))
        elif isinstance(test, RedFlagTest | HealthFlagTest):
            labels = _labels(wording, name)
            ticked += [labels.get(flag, flag) for flag in dict.fromkeys(test.includes_any) if flag in answer]
        else:  # a new kind of condition in ruleset.When needs its own wording here
            raise TypeError(f"no wording for the condition {name}: {test!r}")
    if ticked:
        clauses.append("you ticked: " + "; ".join(ticked))
    return f"Because {_and(clauses)}."


def _number(name: str, value: int, test: NumberTest, wording: IntakeWording) -> str:
    template = _NUMBER_ANSWERS.get(name)
    answer = (template.format(value) if template
              else f"your answer to “{wording.questions[name].label}” was {value}")
    low, high = _NUMBER_RANGES.get(name, (None, None))
    at_least = test.at_least if test.at_least is not None else low
    at_most = test.at_most if test.at_most is not None else high
    if at_least is not None and at_least == at_most:
        applies = f"only at {at_least}"
    elif test.at_most is None:
        applies = f"from {test.at_least}"
    elif test.at_least is None:
        applies = f"up to {test.at_most}"
    else:
        applies = f"from {test.at_least} to {test.at_most}"
    return f"{answer} (this rule applies {applies})"


def _chosen(name: str, value: Any, wording: IntakeWording) -> str:
    question = wording.questions[name]
    option = next((o for o in question.options if o.value == value and type(o.value) is type(value)), None)
    shown = f"“{option.label}”" if option else f"“{value}”"
    if option and option.help:
        shown += f" ({in_sentence(option.help.removesuffix('.'))})"
    return f"your answer to “{question.label}” was {shown}"


def _labels(wording: IntakeWording, name: str) -> dict[Any, str]:
    return {option.value: option.label for option in wording.questions[name].options}


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def in_sentence(text: str) -> str:
    """Text that starts a sentence, made to follow other words: 'Less than' -> 'less than',
    but 'I have' and 'BOSU' stay as they are."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


# --- the plan limit: the starting tier, hidden tiers, a withheld plan ------------------------

def start_tier_reason(intake: Intake, rules: Ruleset, triage: Triage, limit: PlanLimit,
                      start: Tier) -> LimitReason:
    """Why the plan starts at `start`: the person's experience, or the rules that set the limit."""
    setters = _setters(rules, triage, limit)
    title = _title(rules, start)
    effect = _starting_tier_effect(limit)
    if limit.start_tier == "from_experience":
        answer = _chosen("experience", intake.experience, rules.wording)
        gentler = (f", and plan limit {limit.id} {effect}" if effect
                   else f", and nothing in your answers calls for a gentler start (plan limit {limit.id})")
        reason = f"You start at {title} because {answer}{gentler}."
    elif not setters:
        reason = f"You start at {title} because plan limit {limit.id} starts everyone there."
    else:
        effect = effect or f"sets your starting tier to {title}"
        if len(setters) == 1:
            reason = f"You start at {title} because {_cause(setters[0])}, which {effect} (plan limit {limit.id})."
        else:
            reason = (f"You start at {title} because of these answers: {_causes(setters)}. "
                      f"Plan limit {limit.id} {effect}.")
    return LimitReason(rule=limit.id, set_by=[rule.id for rule in setters], reason=reason)


def hidden_tiers_reason(rules: Ruleset, triage: Triage, limit: PlanLimit) -> LimitReason | None:
    """Why some tiers are not shown, or None when every tier is."""
    hidden = [tier for tier in TIERS if tier not in limit.tiers]
    if not hidden:
        return None
    setters = _setters(rules, triage, limit)
    names = _and([_title(rules, tier) for tier in hidden])
    tiers = "tier is" if len(hidden) == 1 else "tiers are"
    shown = _and([_title(rules, tier) for tier in limit.tiers])
    only = f"plan limit {limit.id} shows only the {shown} {'tier' if len(limit.tiers) == 1 else 'tiers'}"
    if not setters:
        reason = f"The {names} {tiers} not shown because {only}."
    elif len(setters) == 1:
        reason = f"The {names} {tiers} not shown because {_cause(setters[0])}, so {only}."
    else:
        reason = f"The {names} {tiers} not shown because of these answers: {_causes(setters)}. So {only}."
    return LimitReason(rule=limit.id, set_by=[rule.id for rule in setters], reason=reason)


def plan_withheld_reason(rules: Ruleset, triage: Triage, limit: PlanLimit) -> LimitReason:
    """Why no plan is shown: the rules whose plan limit shows none."""
    setters = _setters(rules, triage, limit)
    if not setters:
        reason = f"We have not made an exercise plan because plan limit {limit.id} shows none."
    else:
        cause = _cause(setters[0]) if len(setters) == 1 else f"of these answers: {_causes(setters)}"
        reason = (f"We have not made an exercise plan because {cause}. Plan limit {limit.id} holds back "
                  f"the plan until a health professional has checked you.")
    return LimitReason(rule=limit.id, set_by=[rule.id for rule in setters], reason=reason)


def _setters(rules: Ruleset, triage: Triage, limit: PlanLimit) -> list[ScreeningRule]:
    # The fired rules whose own limit, or their level's, is the one that applies: most
    # urgent first, as the findings are listed.
    by_id = _rules_by_id(rules)
    fired = [by_id[finding.id] for finding in triage.reasons]
    return [rule for rule in fired if rules.plan_limit_of(rule) == limit.id]


@lru_cache(maxsize=8)
def _rules_by_id(rules: Ruleset) -> dict[str, ScreeningRule]:
    return {compiled.rule.id: compiled.rule for compiled in rules.rules}


def _cause(rule: ScreeningRule) -> str:
    # The finding's first sentence, which says what the person told us in plain words.
    first = rule.finding.split(". ", 1)[0].removesuffix(".")
    return f"{in_sentence(first)} (rule {rule.id})"


def _causes(rules: list[ScreeningRule]) -> str:
    return "; ".join(_cause(rule) for rule in rules)


def _starting_tier_effect(limit: PlanLimit) -> str | None:
    kept_to = []
    if limit.starting_tier.no_external_load:
        kept_to.append("no weights")
    if limit.starting_tier.max_spinal_load != "high":
        kept_to.append(f"{limit.starting_tier.max_spinal_load} load on your spine")
    return f"keeps your starting tier to moves with {_and(kept_to)}" if kept_to else None


def _title(rules: Ruleset, tier: Tier) -> str:
    return next(design.title for design in rules.plan.tiers if design.tier == tier)
