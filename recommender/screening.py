"""Screening: which findings apply, how urgent the most urgent one is, and the plan limit."""

from __future__ import annotations

from functools import lru_cache

from recommender.explaining import because
from recommender.intake import Intake
from recommender.loading import Ruleset
from recommender.outcome import Finding, SafetyNetItem, Triage
from recommender.ruleset import LEVELS, Level, PlanLimit, ScreeningRule


def screen(intake: Intake, rules: Ruleset) -> tuple[Triage, PlanLimit]:
    """The triage result and the strictest plan limit that any finding or its level sets."""
    fired = [compiled.rule for compiled in rules.rules if compiled.matches(intake)]
    level: Level = min((rule.level for rule in fired), key=LEVELS.index, default="clear")
    wording = rules.levels[level]

    limit_order = list(rules.plan_limits)

    def plan_limit_of(rule: ScreeningRule) -> str:
        return rule.plan or rules.levels[rule.level].plan

    def strictness(rule: ScreeningRule) -> int:
        return limit_order.index(plan_limit_of(rule))

    limit_ids = [wording.plan] + [plan_limit_of(rule) for rule in fired]
    limit = rules.plan_limits[min(limit_ids, key=limit_order.index)]

    # The action comes from the deciding level's strictest rule, so a rule that withholds
    # the plan is not followed by words inviting the person to start the exercises.
    deciding = min((rule for rule in fired if rule.level == level), key=strictness, default=None)
    action = (deciding.action if deciding and deciding.action else None) or wording.action

    # Most urgent first, so a person reads the reason for the level before the rest.
    findings = sorted(fired, key=lambda rule: LEVELS.index(rule.level))
    triage = Triage(
        level=level,
        title=wording.title,
        action=action,
        reasons=[Finding(id=rule.id, level=rule.level, text=rule.finding,
                         because=because(rule.when, intake, rules.wording)) for rule in findings],
    )
    return triage, limit


@lru_cache(maxsize=8)
def safety_net(rules: Ruleset) -> list[SafetyNetItem]:
    """The signs that would need prompt help, grouped by how fast, from the screening rules.

    A plan that goes ahead still carries these, so a person knows what to do if a sign
    appears later.
    """
    labels = {option.value: option.label for option in rules.wording.questions["red_flags"].options}
    items = []
    for level in ("emergency", "same_day"):
        signs = [labels[flag]
                 for compiled in rules.rules if compiled.rule.level == level
                 and compiled.rule.when.red_flags is not None
                 for flag in compiled.rule.when.red_flags.includes_any]
        if signs:
            items.append(SafetyNetItem(level=level, action=rules.levels[level].action,
                                       signs=list(dict.fromkeys(signs))))
    return items
