"""The engine's one memo: bounded, keyed by function and arguments, and emptied by one call."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from recommender.engine.explaining import triage
from recommender.engine.memo import MEMO, Memo, forget_everything
from recommender.engine.recommending import recommend
from recommender.engine.screening import decide, screen
from recommender.model.intake import Intake
from recommender.model.ruleset import Ruleset
from tests.conftest import MakeIntake
from tests.strategies import intakes


def test_a_remembered_function_runs_once_for_the_same_arguments() -> None:
    memo = Memo(capacity=8)
    calls: list[int] = []

    @memo.remembered
    def square(number: int) -> int:
        calls.append(number)
        return number * number

    assert [square(3), square(3), square(4)] == [9, 9, 16]
    assert calls == [3, 4]


def test_the_memo_never_holds_more_than_its_capacity_and_lets_the_oldest_go() -> None:
    memo = Memo(capacity=3)
    calls: list[int] = []

    @memo.remembered
    def double(number: int) -> int:
        calls.append(number)
        return 2 * number

    for number in (1, 2, 3, 4):
        double(number)
    assert len(memo) == 3
    double(4)
    double(1)  # the oldest, let go when 4 came in
    assert calls == [1, 2, 3, 4, 1]


def test_recall_keeps_a_result_under_the_key_its_caller_names() -> None:
    memo = Memo(capacity=8)
    assert memo.recall(("greeting", "en"), str.upper, "hello") == "HELLO"
    assert memo.recall(("greeting", "en"), str.upper, "ignored: the key is already known") == "HELLO"


def test_forgetting_empties_every_cache_of_the_engine(make_intake: MakeIntake, rules: Ruleset) -> None:
    recommend(make_intake(pain_now=3, pain_duration="under_6_weeks", equipment={"mat"}), rules)
    assert len(MEMO) > 0
    forget_everything()
    assert len(MEMO) == 0


def test_a_plan_worked_out_from_scratch_equals_the_remembered_one(make_intake: MakeIntake, rules: Ruleset) -> None:
    intake = make_intake(experience="advanced", equipment={"barbell", "power_rack", "bench"})
    remembered = recommend(intake, rules)
    forget_everything()
    assert recommend(intake, rules) == remembered


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(intake=intakes(), other=intakes())
def test_screening_kept_for_the_answers_rules_read_is_the_screening_of_the_person(
        intake: Intake, other: Intake, rules: Ruleset) -> None:
    # Someone screened earlier with the same answers to every question a rule can read, but
    # other equipment and days: their screening and its reasons are kept, and must be this
    # person's own.
    earlier = intake.model_copy(update={"equipment": other.equipment, "days_per_week": other.days_per_week})
    recommend(other, rules)
    recommend(earlier, rules)
    decision = decide(rules.fired_rules(intake), rules)
    assert screen(intake, rules) == decision
    assert recommend(intake, rules).triage == triage(decision, intake, rules)
