"""The outcome, assembled last: screen, decide the plan, then put both into words.

`recommend` is the whole path, step by step, keeping nothing. A `Recommender` walks the same
path for one ruleset with the caches it owns (`caching`): each cached step is given exactly the
part of the answers it reads (the rules a person's answers fire, the answers one rule reads, what
one tier is decided from), so its arguments are its key, and people who share that part share
the result.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any, NamedTuple

from recommender.engine.caching import Caches, CacheStats
from recommender.engine.explaining import (
    AnswersRead,
    check_in_result,
    check_in_start_reason,
    cool_down_why,
    finding,
    hidden_tiers_reason,
    limit_reasons,
    plan_withheld_reason,
    planned_exercise,
    reader_of,
    routine,
    safety_net,
    tier_plan,
    triage,
    warm_up_why,
)
from recommender.engine.planning import (
    ChosenExercise,
    PlanBases,
    PlanReads,
    RoutineBasis,
    TierBasis,
    decide_routine,
    decide_tier,
    plan_bases,
    start_tier_for,
)
from recommender.engine.progressing import CheckIn, check_in, decide_progress
from recommender.engine.screening import ScreeningDecision, decided_so_far, decision_of, fired_rule_ids
from recommender.model.intake import Experience, Intake, ScreenedAnswers, Tier
from recommender.model.outcome import (
    Finding,
    LimitReason,
    PainGuide,
    Plan,
    PlannedExercise,
    Recommendation,
    SafetyNetItem,
    ScheduleDay,
    TierPlan,
)
from recommender.model.rules import ScreeningRule
from recommender.model.ruleset import Ruleset

# Each cache's bound, with its worst case in memory (measured sizes of the largest entries).
# A worded tier with its slot decisions is at most about 12 KB; a routine about 4 KB; a
# finding 1 KB; a decision or the plan's reasons under 2 KB. So all together at most about
# 2,048 x 12 + 512 x 4 + 8,192 x 1 + 4,096 x 2 + 4,096 x 2 + 2,048 x 2 KB, about 51 MB.
TIERS_KEPT = 2_048
ROUTINES_KEPT = 512
EXERCISES_KEPT = 2_048
FINDINGS_KEPT = 8_192
DECISIONS_KEPT = 4_096
REASONS_KEPT = 4_096


class PlanKey(NamedTuple):
    """What the parts of a plan every person shares are decided from: its tiers, warm-up and
    cool-down, its week (the days a week) and its plan limit (whose note it shows)."""

    tiers: tuple[Hashable, ...]
    warm_up: RoutineBasis
    cool_down: RoutineBasis
    days_per_week: int
    limit: str


def recommend(intake: Intake, ruleset: Ruleset, never_prescribe: frozenset[str] = frozenset()) -> Recommendation:
    """Screen the answers and, when screening allows, build the plan, keeping nothing.

    `never_prescribe` narrows the catalogue for a clinic: a slot skips those exercises and
    takes its next choice. Screening is never narrowed.
    """
    return Recommender(ruleset, caching=False).recommend(intake, never_prescribe)


class Recommender:
    """Recommendations from one ruleset, and the caches that make them quick to repeat."""

    def __init__(self, ruleset: Ruleset, caching: bool = True) -> None:
        self.ruleset = ruleset
        self.caches = caches = Caches(enabled=caching)
        self._reads = PlanReads(ruleset)
        self._decision = caches.cached("screening decisions", self._decide, DECISIONS_KEPT)
        self._finding = caches.cached("findings", self._word_finding, FINDINGS_KEPT)
        self._limit_reasons = caches.cached("plan reasons", self._word_limit_reasons, REASONS_KEPT)
        self._tier = caches.cached("tiers", self._word_tier, TIERS_KEPT)
        self._routine = caches.cached("routines", self._word_routine, ROUTINES_KEPT)
        self._exercise = caches.cached("exercises", self._word_exercise, EXERCISES_KEPT)
        self._readers = {rule.id: reader_of(rule.when) for rule in ruleset.screening_rules}
        # The same for everyone: worked out once.
        self.safety_net: list[SafetyNetItem] = safety_net(ruleset)
        self._schedules = {days: weekly_schedule(ruleset, days)
                           for days in {week.days_per_week for week in ruleset.plan.weekly_schedule}}
        design = ruleset.plan
        self._pain_guide = PainGuide(**design.pain_monitoring.model_dump())
        self._stop_signs = list(design.stop_signs)

    def cache_stats(self) -> dict[str, CacheStats]:
        return self.caches.stats()

    def recommend(self, intake: Intake, never_prescribe: frozenset[str] = frozenset()) -> Recommendation:
        ruleset = self.ruleset
        fired = fired_rule_ids(ScreenedAnswers.of(intake), ruleset)
        decision = self._decision(fired)
        visit = None
        if intake.progress is not None:
            # A check-in: today's screening first, then the report, which can only add caution.
            visit = check_in(decision, decide_progress(intake.progress, intake.experience, ruleset), ruleset)
            decision = visit.screening
        shows_plan = decision.limit.shows_plan
        return Recommendation(
            triage=triage(decision, intake, ruleset, self._finding_of, visit),
            plan=self._plan(intake, fired, decision, never_prescribe, visit) if shows_plan else None,
            plan_withheld_reason=None if shows_plan else plan_withheld_reason(ruleset, decision),
            check_in=check_in_result(visit, ruleset) if visit is not None else None,
            safety_net=self.safety_net,
            rules_version=ruleset.version,
            rules_sha256=ruleset.digest,
        )

    def recommend_so_far(self, given: Mapping[str, Any]) -> Recommendation | None:
        """The result the answers given so far (by question) already settle: only a level that
        sends the person for help at once (see `decided_so_far`), so never a plan; else None."""
        decision = decided_so_far(given, self.ruleset)
        if decision is None:
            return None
        # The findings read only the answers of the rules that fired, all of them given.
        so_far = Intake.model_construct(**given)
        return Recommendation(
            triage=triage(decision, so_far, self.ruleset, self._finding_of),
            plan=None,
            plan_withheld_reason=plan_withheld_reason(self.ruleset, decision),
            safety_net=self.safety_net,
            rules_version=self.ruleset.version,
            rules_sha256=self.ruleset.digest,
        )

    def worded_tier(self, basis: TierBasis) -> TierPlan:
        """The tier decided from `basis`, in words: the one a plan holds with that basis."""
        return self._tier(self._reads.tier(basis))

    def _plan(self, intake: Intake, fired: tuple[str, ...], decision: ScreeningDecision,
              never_prescribe: frozenset[str], visit: CheckIn | None) -> Plan:
        ruleset = self.ruleset
        if visit is not None and visit.start is not None:
            start = visit.start
        else:
            start = start_tier_for(decision.limit, intake.experience, ruleset)
        bases: PlanBases = plan_bases(ruleset, decision.limit.id, start, intake.equipment, never_prescribe,
                                      decision.left_out, decision.avoid_end_range)
        if visit is not None:
            start_reason = check_in_start_reason(visit, ruleset)
            hidden_reason = hidden_tiers_reason(ruleset, decision)
        else:
            start_reason, hidden_reason = self._limit_reasons(fired, start, intake.experience)
        warm_up, cool_down = self._reads.routine(bases.warm_up), self._reads.routine(bases.cool_down)
        tiers = [self.worded_tier(basis) for basis in bases.tiers]
        return Plan(
            start_tier=start,
            start_tier_reason=start_reason,
            hidden_tiers_reason=hidden_reason,
            limit_note=decision.limit.note,
            tiers=tiers,
            warm_up=self._routine(warm_up, warm_up_why(ruleset.say)),
            cool_down=self._routine(cool_down, cool_down_why(ruleset.say)),
            schedule=self._schedules.get(intake.days_per_week, []),
            pain_guide=self._pain_guide,
            stop_signs=self._stop_signs,
        ).decided_from(PlanKey(tuple(tier.made_from for tier in tiers), warm_up, cool_down,
                               intake.days_per_week, decision.limit.id))

    # --- the cached steps: each reads only its arguments (and the ruleset) -----------------

    def _finding_of(self, rule: ScreeningRule, intake: Intake) -> Finding:
        return self._finding(rule.id, self._readers[rule.id](intake))

    def _decide(self, fired: tuple[str, ...]) -> ScreeningDecision:
        return decision_of(fired, self.ruleset)

    def _word_finding(self, rule_id: str, answers: AnswersRead) -> Finding:
        return finding(rule_id, answers, self.ruleset)

    def _word_limit_reasons(self, fired: tuple[str, ...], start: Tier,
                            experience: Experience) -> tuple[LimitReason, LimitReason | None]:
        return limit_reasons(experience, self.ruleset, self._decision(fired), start)

    def _word_tier(self, basis: TierBasis) -> TierPlan:
        return tier_plan(decide_tier(basis, self.ruleset), self.ruleset, self._exercise).decided_from(basis)

    def _word_routine(self, basis: RoutineBasis, why: str) -> list[PlannedExercise]:
        return routine(decide_routine(basis, self.ruleset), basis.tier, self.ruleset, why, self._exercise)

    def _word_exercise(self, chosen: ChosenExercise, tier: Tier, purpose: str) -> PlannedExercise:
        return planned_exercise(self.ruleset, chosen, tier, purpose)


def weekly_schedule(ruleset: Ruleset, days_per_week: int) -> list[ScheduleDay]:
    design = ruleset.plan
    return [ScheduleDay(day=day.day, session=day.session, title=design.sessions[day.session].title,
                        description=design.sessions[day.session].description)
            for week in design.weekly_schedule if week.days_per_week == days_per_week
            for day in week.days]

