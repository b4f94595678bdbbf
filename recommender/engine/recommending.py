"""The outcome, assembled last: screen, decide the plan, then put both into words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from recommender.engine.explaining import (
    COOL_DOWN_WHY,
    WARM_UP_WHY,
    check_in_result,
    check_in_start_reason,
    limit_reasons,
    plan_withheld_reason,
    routine,
    safety_net,
    tier_plans,
    triage,
)
from recommender.engine.memo import recall, remembered
from recommender.engine.planning import decide_plan, start_tier_for
from recommender.engine.progressing import CheckIn, check_in, decide_progress
from recommender.engine.screening import ScreeningDecision, decided_so_far, screen, screened_answers
from recommender.model.intake import Equipment, Intake, Tier
from recommender.model.outcome import PainGuide, Plan, PlannedExercise, Recommendation, ScheduleDay, TierPlan
from recommender.model.rules import EndRange
from recommender.model.ruleset import Ruleset


def recommend(intake: Intake, ruleset: Ruleset, never_prescribe: frozenset[str] = frozenset()) -> Recommendation:
    """Screen the answers and, when screening allows, build the plan.

    `never_prescribe` narrows the catalogue for a clinic: a slot skips those exercises and
    takes its next choice. Screening is never narrowed.
    """
    decision = screen(intake, ruleset)
    visit = None
    if intake.progress is not None:
        # A check-in: today's screening first, then the report, which can only add caution.
        visit = check_in(decision, decide_progress(intake.progress, intake.experience, ruleset), ruleset)
        decision = visit.screening
    shows_plan = decision.limit.shows_plan
    return Recommendation(
        # The findings and their reasons read only the answers screening reads, so on a first
        # visit they are worded once for each of those, as the decision is; a check-in's
        # referral adds its own findings from the report.
        triage=(triage(decision, intake, ruleset, visit) if visit is not None
                else recall((triage, ruleset, screened_answers(intake)), triage, decision, intake, ruleset)),
        plan=_plan(intake, ruleset, decision, never_prescribe, visit) if shows_plan else None,
        plan_withheld_reason=None if shows_plan else plan_withheld_reason(ruleset, decision),
        check_in=check_in_result(visit, ruleset) if visit is not None else None,
        safety_net=safety_net(ruleset),
        rules_version=ruleset.version,
        rules_sha256=ruleset.digest,
    )


def recommend_so_far(given: Mapping[str, Any], ruleset: Ruleset) -> Recommendation | None:
    """The result the answers given so far (by question) already settle: only a level that
    sends the person for help at once (see `decided_so_far`), so never a plan; else None."""
    decision = decided_so_far(given, ruleset)
    if decision is None:
        return None
    # The findings' reasons read only the answers of the rules that fired, all of them given.
    so_far = Intake.model_construct(**given)
    return Recommendation(
        triage=triage(decision, so_far, ruleset),
        plan=None,
        plan_withheld_reason=plan_withheld_reason(ruleset, decision),
        safety_net=safety_net(ruleset),
        rules_version=ruleset.version,
        rules_sha256=ruleset.digest,
    )


def _plan(intake: Intake, ruleset: Ruleset, decision: ScreeningDecision, never_prescribe: frozenset[str],
          visit: CheckIn | None) -> Plan:
    if visit is not None and visit.start is not None:
        start = visit.start
    else:
        start = start_tier_for(decision.limit, intake.experience, ruleset)
    worded = _worded_plan(ruleset, decision.limit.id, start, intake.equipment, never_prescribe,
                          decision.left_out, decision.avoid_end_range)
    # The reasons name the person's own answers and findings, so they are added around the
    # part every person with the same limit, start and equipment shares.
    start_reason, hidden_reason = limit_reasons(intake, ruleset, decision, start)
    if visit is not None:
        start_reason = check_in_start_reason(visit, ruleset)
    return Plan(
        start_tier=start,
        start_tier_reason=start_reason,
        hidden_tiers_reason=hidden_reason,
        limit_note=decision.limit.note,
        tiers=worded.tiers,
        warm_up=worded.warm_up,
        cool_down=worded.cool_down,
        schedule=weekly_schedule(ruleset, intake.days_per_week),
        pain_guide=worded.pain_guide,
        stop_signs=worded.stop_signs,
    )


@dataclass(frozen=True)
class _WordedPlan:
    """The part of a plan that depends only on the arguments of `_worded_plan`."""

    tiers: list[TierPlan]
    warm_up: list[PlannedExercise]
    cool_down: list[PlannedExercise]
    pain_guide: PainGuide
    stop_signs: list[str]


@remembered
def _worded_plan(ruleset: Ruleset, limit_id: str, start: Tier, equipment: frozenset[Equipment],
                 never_prescribe: frozenset[str], left_out: tuple[tuple[str, str], ...],
                 avoid_end_range: tuple[EndRange, ...]) -> _WordedPlan:
    decided = decide_plan(ruleset, limit_id, start, equipment, never_prescribe, left_out, avoid_end_range)
    design = ruleset.plan
    return _WordedPlan(
        tiers=tier_plans(decided, ruleset),
        warm_up=routine(decided.warm_up, start, ruleset, WARM_UP_WHY),
        cool_down=routine(decided.cool_down, start, ruleset, COOL_DOWN_WHY),
        pain_guide=PainGuide(**design.pain_monitoring.model_dump()),
        stop_signs=list(design.stop_signs),
    )


@remembered
def weekly_schedule(ruleset: Ruleset, days_per_week: int) -> list[ScheduleDay]:
    design = ruleset.plan
    return [ScheduleDay(day=day.day, session=day.session, title=design.sessions[day.session].title,
                        description=design.sessions[day.session].description)
            for week in design.weekly_schedule if week.days_per_week == days_per_week
            for day in week.days]
