"""The engine's one memo: bounded, keyed by function and arguments, and emptied by one call."""

from __future__ import annotations

from recommender.engine.memo import MEMO, Memo, forget_everything
from recommender.engine.recommending import recommend
from recommender.model.ruleset import Ruleset
from tests.conftest import MakeIntake


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
