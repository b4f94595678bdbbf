"""The safety promises hold for every possible intake, not only the ones a test tried."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender.checking.answerspace import other_answers, possible_intakes
from recommender.checking.safety import RED_SIGN_GROUPS, broken_promises, decisive, flag_signature
from recommender.checking.verification import (
    FLAG_FIELDS,
    OTHER_FIELDS,
    FlagGroups,
    RuleEvaluator,
    Verification,
    red_flag_groups,
    verify,
)
from recommender.engine.recommending import recommend
from recommender.loading.rules import load_ruleset
from recommender.model.intake import RED_FLAGS, Intake, RedFlag
from recommender.model.rules import When
from recommender.model.ruleset import Ruleset
from tests.conftest import RULES_DIR, copy_of_the_rules
from tests.core.test_rules_tools import without_saddle_numbness_rule
from tests.strategies import intakes


def test_every_possible_intake_keeps_every_safety_promise(rules: Ruleset, shipped_proof: Verification) -> None:
    # With every narrowing a shipped clinic makes to its plans, as `recommender rules check` checks them.
    print(shipped_proof.summary())
    assert shipped_proof.counterexamples == []
    assert shipped_proof.intakes_covered == possible_intakes(other_answers(rules))


def test_the_classes_cover_every_valid_intake(rules: Ruleset) -> None:
    # 85 ages x 4 experiences x (no pain with 4 durations + 10 pains with 3) x 2 x 2 x 3
    # answers on a professional's check, then every red-flag and health-flag set, each answer
    # to the heart follow-up (unanswered or any of 2**4 sets) and the cancer one (unanswered or
    # any of 2**3), every equipment set and 3 day counts.
    assert possible_intakes(other_answers(rules)) == (85 * 4 * (4 + 10 * 3) * 2 * 2 * 3
                                                      * 2**20 * 2**7 * 17 * 9 * 2**12 * 3)


@settings(max_examples=200, deadline=None)
@given(red=st.frozensets(st.sampled_from(RED_FLAGS)))
def test_every_red_flag_set_falls_in_a_group_built_flag_by_flag(red: frozenset[RedFlag], rules: Ruleset) -> None:
    evaluator, groups = red_flag_groups_of(rules)
    assert sum(count for _, count in groups.values()) == 2 ** len(RED_FLAGS)
    signature = decisive(flag_signature(red, frozenset()))
    assert ((evaluator.red_key(red),), signature) in {(keys, extra) for keys, extra in groups}


_GROUPS: dict[int, tuple[RuleEvaluator, FlagGroups]] = {}


def red_flag_groups_of(rules: Ruleset) -> tuple[RuleEvaluator, FlagGroups]:
    """The groups are worked out once: the same evaluator must number the rules' contributions."""
    if id(rules) not in _GROUPS:
        evaluator = RuleEvaluator(rules)
        _GROUPS[id(rules)] = evaluator, red_flag_groups(
            [evaluator], lambda ticks: decisive(flag_signature(ticks[0], ticks[1].flags)),
            list(RED_SIGN_GROUPS.values()))
    return _GROUPS[id(rules)]


def test_deleting_the_saddle_numbness_rule_is_caught_with_a_counter_example(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    copy_of_the_rules(folder)
    without_saddle_numbness_rule(folder)
    verification = verify(load_ruleset(folder), max_counterexamples=1)  # one is enough to refuse the rules
    assert verification.counterexamples, "removing an emergency rule must break a promise"
    example = verification.counterexamples[0]
    assert "saddle_numbness" in example.intake.red_flags
    assert any("must be at least 'emergency'" in promise for promise in example.broken)
    # The counter-example is real: the full engine breaks the promise for these answers.
    rules = load_ruleset(folder)
    assert broken_promises(example.intake, recommend(example.intake, rules), rules)


def test_a_rule_that_lets_the_plan_through_an_urgent_sign_is_caught(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    copy_of_the_rules(folder)
    screening = folder / "screening.yaml"
    text = screening.read_text()
    screening.write_text(text.replace("    level: urgent\n    finding: \"You have lost weight",
                                      "    level: caution\n    finding: \"You have lost weight"))
    found = verify(load_ruleset(folder), max_counterexamples=1).counterexamples
    assert any("weight_loss" in c.intake.red_flags and any("at least 'urgent'" in b for b in c.broken)
               for c in found)


@settings(max_examples=300, deadline=None)
@given(intake=intakes())
def test_a_rule_fires_exactly_when_its_sign_and_other_conditions_both_hold(intake: Intake, rules: Ruleset) -> None:
    # The exhaustive check evaluates the two halves of each rule apart; they must agree with the whole.
    fired = rules.fired_rules(intake)
    for rule in rules.screening_rules:
        halves = [When.model_construct(**{n: getattr(rule.when, n) for n in names}).compile()
                  for names in (OTHER_FIELDS, FLAG_FIELDS)]
        assert (rule in fired) == (halves[0](intake) and halves[1](intake))


def test_the_shipped_rules_have_no_empty_answer_class() -> None:
    assert all(c.size > 0 for c in other_answers(load_ruleset(RULES_DIR)))


@pytest.mark.parametrize("rules_folder", [RULES_DIR])
def test_same_decision_for_rules_with_the_same_contribution(rules_folder: Path) -> None:
    from recommender.engine.screening import decide
    rules = load_ruleset(rules_folder)
    by_id = rules.screening_rule
    # Two emergency rules contribute the same level, limit and action: either decides alike.
    assert decide([by_id("saddle-numbness")], rules).verdict == decide([by_id("both-legs")], rules).verdict
    assert decide([by_id("heart-condition-unanswered"), by_id("mid-back-pain")], rules).verdict == \
        decide([by_id("pregnancy"), by_id("inflammatory-stiffness")], rules).verdict
