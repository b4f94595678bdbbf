"""The safety promises, checked on answer sets drawn from the whole answer space.

`recommender.safety.broken_promises` states each promise from the clinical brief without
looking at the rules; here hypothesis searches every kind of answer for a counter-example.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from recommender.checking.safety import broken_promises
from recommender.engine.recommending import Recommender, recommend
from recommender.model.intake import Intake
from recommender.model.ruleset import Ruleset
from tests.strategies import intakes


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(intake=intakes())
def test_every_safety_promise_holds_for_any_answers(intake: Intake, rules: Ruleset,
                                                   keeping_nothing: Recommender) -> None:
    result = keeping_nothing.recommend(intake)
    unchecked = keeping_nothing.recommend(intake.model_copy(update={"professional_check": "no"}))
    assert broken_promises(intake, result, rules, unchecked) == []
    assert keeping_nothing.recommend(intake) == result  # the same answers, the same plan


def test_the_promises_catch_a_plan_shown_despite_an_emergency(rules: Ruleset) -> None:
    intake = Intake(age=40, experience="none", pain_now=0, pain_duration="none", pain_below_knee=False,
                    back_surgery_or_injury=False, red_flags=frozenset({"saddle_numbness"}),
                    health_flags=frozenset(), equipment=frozenset(), days_per_week=3)
    clear = Intake(**{**intake.model_dump(), "red_flags": frozenset()})
    wrong = recommend(clear, rules)  # a plan, as if the emergency sign were not there
    broken = broken_promises(intake, wrong, rules)
    assert any("must be at least 'emergency'" in promise for promise in broken)
