"""Hypothesis strategies more than one test module draws from: any valid intake, any check-in,
any JSON value."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from recommender.model.intake import (
    AGE_RANGE,
    CANCER_DETAILS,
    EQUIPMENT,
    EXPERIENCE_LEVELS,
    HEALTH_FLAGS,
    HEART_DETAILS,
    NEXT_MORNINGS,
    PAIN_DURATIONS,
    PAIN_RANGE,
    PROFESSIONAL_CHECKS,
    RED_FLAGS,
    SESSIONS_RANGE,
    SETS_COMPLETED,
    TIERS,
    Intake,
    Progress,
)


@st.composite
def intakes(draw: st.DrawFn) -> Intake:
    """Any answers the questionnaire accepts, on a first visit."""
    pain_now = draw(st.integers(*PAIN_RANGE))
    durations = [d for d in PAIN_DURATIONS if not (pain_now > 0 and d == "none")]
    return Intake(
        age=draw(st.integers(*AGE_RANGE)),
        experience=draw(st.sampled_from(EXPERIENCE_LEVELS)),
        pain_now=pain_now,
        pain_duration=draw(st.sampled_from(durations)),
        pain_below_knee=draw(st.booleans()),
        back_surgery_or_injury=draw(st.booleans()),
        professional_check=draw(st.sampled_from(PROFESSIONAL_CHECKS)),
        red_flags=draw(st.frozensets(st.sampled_from(RED_FLAGS))),
        health_flags=draw(st.frozensets(st.sampled_from(HEALTH_FLAGS))),
        equipment=draw(st.frozensets(st.sampled_from(EQUIPMENT))),
        days_per_week=draw(st.integers(2, 4)),
    )


@st.composite
def check_ins(draw: st.DrawFn) -> Intake:
    """Any answers with any report of the two weeks on a tier."""
    progress = Progress(tier=draw(st.sampled_from(TIERS)), sessions_done=draw(st.integers(*SESSIONS_RANGE)),
                        pain_during_max=draw(st.integers(*PAIN_RANGE)),
                        next_morning=draw(st.sampled_from(NEXT_MORNINGS)),
                        sets_completed=draw(st.sampled_from(SETS_COMPLETED)))
    return draw(intakes()).model_copy(update={"progress": progress})


def json_values(*, max_text: int, max_key: int, max_children: int, max_leaves: int) -> st.SearchStrategy[Any]:
    """Any JSON value: null, a boolean, a number, a string, or lists and objects of them."""
    return st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=max_text),
        lambda children: (st.lists(children, max_size=max_children)
                          | st.dictionaries(st.text(max_size=max_key), children, max_size=max_children)),
        max_leaves=max_leaves,
    )


@st.composite
def any_answers(draw: st.DrawFn) -> Intake:
    """A first visit or a check-in, with the follow-up questions unanswered, answered "none" or
    with some signs."""
    intake = draw(st.one_of(intakes(), check_ins()))
    follow_ups: st.SearchStrategy[frozenset[Any] | None] = st.one_of(st.none(), st.just(frozenset()))
    return intake.model_copy(update={
        "heart_condition_details": draw(st.one_of(follow_ups, st.frozensets(st.sampled_from(HEART_DETAILS)))),
        "cancer_details": draw(st.one_of(follow_ups, st.frozensets(st.sampled_from(CANCER_DETAILS)))),
    })
