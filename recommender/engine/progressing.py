"""The check-in: from how the last two weeks went, move up a tier, stay, step back, or see a
professional. Today's screening has already run on the rest of the answers; this module only
decides, and `explaining` puts the decision into words.

A check-in can make today's result more careful, never less: a referral raises the level and
tightens the plan limit, and the tier the person goes on with is never above the highest tier
today's screening shows and keeps today's limits on load (the planner applies the limit to
whichever tier is the starting one).
"""

from __future__ import annotations

from dataclasses import dataclass

from recommender.engine.screening import ScreeningDecision
from recommender.model.intake import TIERS, Experience, Progress, Tier
from recommender.model.rules import DECISIONS, LEVELS, Decision, ProgressionRule
from recommender.model.ruleset import Ruleset


@dataclass(frozen=True)
class ProgressDecision:
    """What the progression rules decided from the report, before today's screening caps it."""

    fired: tuple[ProgressionRule, ...]  # in the rules file's order
    decision: Decision
    reported_tier: Tier
    decided_tier: Tier


@dataclass(frozen=True)
class CheckIn:
    progress: ProgressDecision
    screening: ScreeningDecision  # today's, made stricter by a referral
    start: Tier | None  # the tier to go on with; None when today's result shows no plan
    capped: bool  # today's screening shows less than the check-in decided

    @property
    def decision(self) -> Decision:
        """What the person is told to do next, once today's screening has had its say."""
        if self.progress.decision == "see_professional" or self.start is None:
            return "see_professional"
        moved = TIERS.index(self.start) - TIERS.index(self.progress.reported_tier)
        return "move_up" if moved > 0 else "step_back" if moved < 0 else "stay"


def decide_progress(progress: Progress, experience: Experience, ruleset: Ruleset) -> ProgressDecision:
    fired = tuple(ruleset.fired_progression_rules(progress, experience))
    # A report that fires no rule is refused when the rules are checked; were one ever to get
    # through, it would be sent to a professional rather than guessed at.
    decision: Decision = min((rule.decide for rule in fired), key=DECISIONS.index, default="see_professional")
    return ProgressDecision(fired=fired, decision=decision, reported_tier=progress.tier,
                            decided_tier=tier_after(decision, progress.tier))


def tier_after(decision: Decision, tier: Tier) -> Tier:
    """The tier a decision leads to from `tier`; a referral goes back to the gentlest."""
    index = TIERS.index(tier)
    if decision == "move_up":
        return TIERS[min(index + 1, len(TIERS) - 1)]
    if decision == "step_back":
        return TIERS[max(index - 1, 0)]
    if decision == "see_professional":
        return TIERS[0]
    return tier


def check_in(screening: ScreeningDecision, progress: ProgressDecision, ruleset: Ruleset) -> CheckIn:
    """Today's screening and the progress decision together: what the person is told, and the
    tier they go on with."""
    if progress.decision == "see_professional":
        screening = referred(screening, ruleset)
    limit = screening.limit
    if not limit.shows_plan:
        return CheckIn(progress=progress, screening=screening, start=None, capped=False)
    # Today's limit may hold a check-in below the tier it decided (e.g. no advanced tier while
    # in pain).
    decided = TIERS.index(progress.decided_tier)
    if limit.check_in_up_to is not None:
        decided = min(decided, TIERS.index(limit.check_in_up_to))
    shown = [tier for tier in TIERS if tier in limit.tiers]
    allowed = [tier for tier in shown if TIERS.index(tier) <= decided]
    start = allowed[-1] if allowed else shown[0]
    return CheckIn(progress=progress, screening=screening, start=start, capped=start != progress.decided_tier)


def referred(screening: ScreeningDecision, ruleset: Ruleset) -> ScreeningDecision:
    """Today's decision with a referral from the check-in: at least the referral's level, at
    most the referral's plan limit, and the referral's action unless today's result is more
    urgent or already holds the plan tighter."""
    referral = ruleset.progression.referral
    limit_order = list(ruleset.plan_limits)
    level = min(screening.level, referral.level, key=LEVELS.index)
    limit_id = min(screening.limit.id, referral.plan, key=limit_order.index)
    today_first = (LEVELS.index(screening.level), limit_order.index(screening.limit.id)) < (
        LEVELS.index(referral.level), limit_order.index(referral.plan))
    return ScreeningDecision(fired=screening.fired, level=level, limit=ruleset.plan_limits[limit_id],
                             action=screening.action if today_first else referral.action,
                             left_out=screening.left_out, avoid_end_range=screening.avoid_end_range)
