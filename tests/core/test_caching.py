"""The engine's caches cannot change an answer: a recommender that keeps results answers every
intake exactly as one that keeps nothing, and a tier decided from the part of the answers it
reads is the tier decided from all of them, as is a plan the exhaustive check builds that way."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommender.engine.explaining import tier_plan
from recommender.engine.planning import PlansAsServed, decide_plan, decide_tier, plan_bases, start_tier_for
from recommender.engine.recommending import Recommender, recommend
from recommender.engine.screening import screen
from recommender.model.intake import EQUIPMENT, Equipment, Intake, ScreenedAnswers, Tier
from recommender.model.rules import EndRange
from recommender.model.ruleset import Ruleset
from tests.conftest import BASELINE
from tests.strategies import any_answers, intakes

# A clinic's narrowing: exercises it never prescribes, so slots take their next choice.
NARROWINGS = [frozenset(), frozenset({"deadlift", "bird-dog", "glute-bridge", "cat-camel"})]


PlanAsked = tuple[str, Tier, frozenset[Equipment], frozenset[str], tuple[tuple[str, str], ...], tuple[EndRange, ...]]


def plan_asked(intake: Intake, narrowing: frozenset[str], rules: Ruleset) -> PlanAsked | None:
    """What a plan for these answers is decided from (`plan_bases`, `decide_plan`): the plan
    limit, start tier, equipment, narrowing, exercises left out and end-range moves avoided;
    None when screening shows no plan."""
    decision = screen(ScreenedAnswers.of(intake), rules)
    if not decision.limit.shows_plan:
        return None
    start = start_tier_for(decision.limit, intake.experience, rules)
    return (decision.limit.id, start, intake.equipment, narrowing, decision.left_out, decision.avoid_end_range)


@pytest.fixture(scope="module")
def keeping(rules: Ruleset) -> Recommender:
    return Recommender(rules)


@pytest.fixture(scope="module")
def as_served(rules: Ruleset) -> PlansAsServed:
    return PlansAsServed(rules)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(intake=any_answers(), narrowing=st.sampled_from(NARROWINGS))
def test_a_recommender_that_keeps_results_answers_as_one_that_keeps_nothing(
        intake: Intake, narrowing: frozenset[str], keeping: Recommender, rules: Ruleset) -> None:
    kept, afresh = keeping.recommend(intake, narrowing), recommend(intake, rules, narrowing)
    assert kept == afresh
    assert kept.model_dump_json() == afresh.model_dump_json()


def test_every_cache_of_the_recommender_is_used_and_stays_within_its_bound(keeping: Recommender) -> None:
    # After the property test above: a cache no answer reaches would be a step that escaped it.
    stats = keeping.cache_stats()
    assert set(stats) == {"screening decisions", "findings", "plan reasons", "tiers", "routines", "exercises"}
    for name, counted in stats.items():
        assert counted.hits > 0 and counted.misses > 0, name
        assert counted.entries <= counted.bound, name


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(intake=intakes(), narrowing=st.sampled_from(NARROWINGS))
def test_a_tier_decided_from_the_answers_it_reads_is_the_tier_decided_from_all_of_them(
        intake: Intake, narrowing: frozenset[str], keeping: Recommender, rules: Ruleset) -> None:
    asked = plan_asked(intake, narrowing, rules)
    if asked is None:
        return
    for whole in plan_bases(rules, *asked).tiers:
        from_all = tier_plan(decide_tier(whole, rules), rules)
        assert keeping.worded_tier(whole) == from_all.decided_from(keeping.worded_tier(whole).made_from)


def test_a_recommender_without_caching_keeps_nothing(rules: Ruleset) -> None:
    fresh = Recommender(rules, caching=False)
    intake = Intake.model_validate(BASELINE)
    assert fresh.recommend(intake) == fresh.recommend(intake)
    assert all(counted.entries == 0 and counted.hits == 0 for counted in fresh.cache_stats().values())


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(intake=intakes(), narrowing=st.sampled_from(NARROWINGS))
def test_a_plan_built_as_the_exhaustive_check_builds_it_is_the_plan_built_from_all_the_answers(
        intake: Intake, narrowing: frozenset[str], as_served: PlansAsServed, rules: Ruleset) -> None:
    # The check decides each tier from what it reads, and each once; the plan must be the same.
    asked = plan_asked(intake, narrowing, rules)
    if asked is None:
        return
    assert as_served.decide(*asked) == decide_plan(rules, *asked)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(intake=intakes())
def test_the_starting_tier_decided_alone_is_the_start_of_the_whole_plan(
        intake: Intake, as_served: PlansAsServed, rules: Ruleset) -> None:
    # `rules diff` compares starting exercises and decides only the starting tier.
    asked = plan_asked(intake, frozenset(), rules)
    if asked is None:
        return
    # It decides them for many equipment sets at once: here the person's, none and every item.
    limit, start, equipment, never_prescribe, left_out, avoid = asked
    sets = [equipment, frozenset[Equipment](), frozenset(EQUIPMENT)]
    decided = [tier for _, tier in as_served.starting_tiers(limit, start, sets, left_out, avoid)]
    assert decided == [
        next(tier for tier in decide_plan(rules, limit, start, each, never_prescribe, left_out, avoid).tiers
             if tier.is_start)
        for each in sets]
