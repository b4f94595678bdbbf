"""Screening: which findings apply, how urgent the most urgent one is, and the plan limit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from recommender.explaining import because_for
from recommender.intake import Intake
from recommender.loading import Ruleset
from recommender.outcome import Finding, SafetyNetItem, Triage
from recommender.ruleset import LEVELS, Level, PlanLimit, ScreeningRule


@dataclass(frozen=True)
class Decision:
    """What a set of fired rules decides: the level, the plan limit and the action shown."""

    level: Level
    limit: PlanLimit
    action: str


def screen(intake: Intake, rules: Ruleset) -> tuple[Triage, PlanLimit]:
    """The triage result and the strictest plan limit that any finding or its level sets."""
    fired = [compiled.rule for compiled in rules.rules if compiled.matches(intake)]
    decision = _decided(fired, rules)
    # Most urgent first, so a person reads the reason for the level before the rest.
    findings = sorted(fired, key=lambda rule: LEVELS.index(rule.level))
    triage = Triage(
        level=decision.level,
        title=rules.levels[decision.level].title,
        action=decision.action,
        reasons=[Finding(id=rule.id, level=rule.level, text=rule.finding,
                         because=because_for(rule, intake, rules)) for rule in findings],
    )
    return triage, decision.limit


# The same few sets of fired rules recur, and a decision depends on nothing else: keep the
# recent ones, by the rules' content and the fired ids (bounded, cleared when full).
_DECISIONS_KEPT = 4096
_decisions_kept: dict[tuple[str, tuple[str, ...]], Decision] = {}


def _decided(fired: Sequence[ScreeningRule], rules: Ruleset) -> Decision:
    key = (rules.digest, tuple(rule.id for rule in fired))
    decision = _decisions_kept.get(key)
    if decision is None:
        if len(_decisions_kept) >= _DECISIONS_KEPT:
            _decisions_kept.clear()
        decision = _decisions_kept[key] = decide(fired, rules)
    return decision


def decide(fired: Sequence[ScreeningRule], rules: Ruleset) -> Decision:
    """The decision of the fired rules alone: the answers matter only through which rules fired.

    The exhaustive safety check relies on this, and calls it for every set of rules that
    some possible answers can fire.
    """
    level: Level = min((rule.level for rule in fired), key=LEVELS.index, default="clear")
    wording = rules.levels[level]
    limit_order = list(rules.plan_limits)
    limit_id = min([wording.plan] + [rules.plan_limit_of(rule) for rule in fired], key=limit_order.index)

    # The action comes from the deciding level's strictest rules: a rule that withholds the
    # plan must not be followed by the level's words inviting the person to start exercising.
    # Among those, a rule's own action beats the level's general one. Rules that could fire
    # together here with different actions are refused when the rules are loaded, so file
    # order never picks the advice.
    deciding = [rule for rule in fired if rule.level == level]
    strictest = min((limit_order.index(rules.plan_limit_of(rule)) for rule in deciding), default=None)
    own_actions = [rule.action for rule in deciding
                   if rule.action and limit_order.index(rules.plan_limit_of(rule)) == strictest]
    return Decision(level=level, limit=rules.plan_limits[limit_id],
                    action=own_actions[0] if own_actions else wording.action)


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
