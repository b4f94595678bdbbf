"""Screening: which rules fire, how urgent the most urgent one is, the plan limit and the action."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from recommender.model.intake import Intake, ScreenedAnswers
from recommender.model.rules import LEVELS, EndRange, Level, PlanLimit, ScreeningRule, When
from recommender.model.ruleset import Ruleset


@dataclass(frozen=True)
class ScreeningDecision:
    """What screening decided, and from which rules: the record the reasons are built from."""

    fired: tuple[ScreeningRule, ...]  # in the rules file's order
    level: Level
    limit: PlanLimit
    action: str
    # Exercises the fired rules keep out of the plan, each with the first rule that does.
    left_out: tuple[tuple[str, str], ...] = ()
    # End-range moves the fired rules keep out, on top of the plan limit's.
    avoid_end_range: tuple[EndRange, ...] = ()

    @property
    def verdict(self) -> tuple[Level, PlanLimit, str]:
        """What the person is told and may be shown, without which rules said it."""
        return self.level, self.limit, self.action


def fired_rule_ids(answers: ScreenedAnswers, ruleset: Ruleset) -> tuple[str, ...]:
    """The screening rules these answers fire, in the rules file's order: all the decision
    depends on, so the decision is worked out (and kept) for each such set."""
    return tuple(rule.id for rule in ruleset.fired_rules(answers))


def screen(answers: ScreenedAnswers, ruleset: Ruleset) -> ScreeningDecision:
    return decision_of(fired_rule_ids(answers, ruleset), ruleset)


def decision_of(fired_ids: tuple[str, ...], ruleset: Ruleset) -> ScreeningDecision:
    return decide([ruleset.screening_rule(rule_id) for rule_id in fired_ids], ruleset)


def decide(fired: Sequence[ScreeningRule], ruleset: Ruleset) -> ScreeningDecision:
    """The decision of the fired rules alone: the answers matter only through which rules fired.

    The exhaustive safety check relies on this, and calls it for every set of rules that
    some possible answers can fire.
    """
    level: Level = min((rule.level for rule in fired), key=LEVELS.index, default="clear")
    wording = ruleset.levels[level]
    limit_order = list(ruleset.plan_limits)
    limit_id = min([wording.plan] + [ruleset.plan_limit_of(rule) for rule in fired], key=limit_order.index)

    # The action comes from the deciding level's strictest rules: a rule that withholds the
    # plan must not be followed by the level's words inviting the person to start exercising.
    # Among those, a rule's own action beats the level's general one. Rules that could fire
    # together here with different actions are refused when the rules are checked, so file
    # order never picks the advice.
    deciding = [rule for rule in fired if rule.level == level]
    strictest = min((limit_order.index(ruleset.plan_limit_of(rule)) for rule in deciding), default=None)
    own_actions = [action for rule in deciding
                   if (action := ruleset.action_of(rule))
                   and limit_order.index(ruleset.plan_limit_of(rule)) == strictest]
    left_out: dict[str, str] = {}
    for rule in fired:
        for exercise in rule.leave_out:
            left_out.setdefault(exercise, rule.id)
    return ScreeningDecision(fired=tuple(fired), level=level, limit=ruleset.plan_limits[limit_id],
                             action=own_actions[0] if own_actions else wording.action,
                             left_out=tuple(sorted(left_out.items())),
                             avoid_end_range=tuple(sorted({move for rule in fired for move in rule.avoid_end_range})))


# The levels that send a person for help at once: worth saying as soon as the answers decide
# them, before the questions that cannot change that (health, equipment, days).
AT_ONCE: tuple[Level, ...] = LEVELS[:LEVELS.index("same_day") + 1]


def decided_so_far(given: Mapping[str, Any], ruleset: Ruleset) -> ScreeningDecision | None:
    """The decision when the answers given so far (`given`, by question) already settle it at
    a level in AT_ONCE, whatever the rest of the answers will be; else None.

    A rule counts once every answer it reads is given and its conditions hold: more answers
    can then only add rules, never take it away. Its level settles the result only when no
    rule of a more urgent level could still fire: one whose given answers all hold and
    which reads an answer not given yet.
    """
    answered = frozenset(given)
    so_far = Intake.model_construct(**given)  # only the given answers are ever read
    fired = [rule for rule in ruleset.screening_rules
             if _reads(rule.when) <= answered and rule.when.compile()(so_far)]
    decision = decide(fired, ruleset)
    if decision.level not in AT_ONCE:
        return None
    more_urgent = LEVELS[:LEVELS.index(decision.level)]
    if any(_could_still_fire(rule.when, answered, so_far)
           for rule in ruleset.screening_rules if rule.level in more_urgent):
        return None
    return decision


def _could_still_fire(when: When, answered: frozenset[str], so_far: Intake) -> bool:
    read = _reads(when)
    if read <= answered:
        return False  # decided already: it did not fire
    return all(When.model_construct(**{name: getattr(when, name)}).compile()(so_far)
               for name in read & answered)


def _reads(when: When) -> frozenset[str]:
    """The answers a rule's conditions read."""
    return frozenset(name for name in When.model_fields if getattr(when, name) is not None)
