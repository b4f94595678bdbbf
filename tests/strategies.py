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

# Each strategy is made once: one made inside a draw is made again for every example, which
# took Hypothesis about half the time of the tests that draw intakes.
_AGES = st.integers(*AGE_RANGE)
_PAIN = st.integers(*PAIN_RANGE)
_EXPERIENCES = st.sampled_from(EXPERIENCE_LEVELS)
# Pain now means the back hurts, so its duration cannot be "none".
_DURATIONS = {in_pain: st.sampled_from([d for d in PAIN_DURATIONS if not (in_pain and d == "none")])
              for in_pain in (False, True)}
_CHECKS = st.sampled_from(PROFESSIONAL_CHECKS)
_RED_FLAGS = st.frozensets(st.sampled_from(RED_FLAGS))
_HEALTH_FLAGS = st.frozensets(st.sampled_from(HEALTH_FLAGS))
_EQUIPMENT = st.frozensets(st.sampled_from(EQUIPMENT))
_DAYS = st.integers(2, 4)


@st.composite
def intakes(draw: st.DrawFn) -> Intake:
    """Any answers the questionnaire accepts, on a first visit."""
    pain_now = draw(_PAIN)
    return Intake(
        age=draw(_AGES),
        experience=draw(_EXPERIENCES),
        pain_now=pain_now,
        pain_duration=draw(_DURATIONS[pain_now > 0]),
        pain_below_knee=draw(st.booleans()),
        back_surgery_or_injury=draw(st.booleans()),
        professional_check=draw(_CHECKS),
        red_flags=draw(_RED_FLAGS),
        health_flags=draw(_HEALTH_FLAGS),
        equipment=draw(_EQUIPMENT),
        days_per_week=draw(_DAYS),
    )


_TIERS = st.sampled_from(TIERS)
_SESSIONS = st.integers(*SESSIONS_RANGE)
_MORNINGS = st.sampled_from(NEXT_MORNINGS)
_SETS = st.sampled_from(SETS_COMPLETED)


@st.composite
def check_ins(draw: st.DrawFn) -> Intake:
    """Any answers with any report of the two weeks on a tier."""
    progress = Progress(tier=draw(_TIERS), sessions_done=draw(_SESSIONS), pain_during_max=draw(_PAIN),
                        next_morning=draw(_MORNINGS), sets_completed=draw(_SETS))
    return draw(intakes()).model_copy(update={"progress": progress})


def json_values(*, max_text: int, max_key: int, max_children: int, max_leaves: int) -> st.SearchStrategy[Any]:
    """Any JSON value: null, a boolean, a number, a string, or lists and objects of them."""
    return st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=max_text),
        lambda children: (st.lists(children, max_size=max_children)
                          | st.dictionaries(st.text(max_size=max_key), children, max_size=max_children)),
        max_leaves=max_leaves,
    )


_FOLLOW_UPS: st.SearchStrategy[frozenset[Any] | None] = st.one_of(st.none(), st.just(frozenset()))
_HEART_DETAILS = st.one_of(_FOLLOW_UPS, st.frozensets(st.sampled_from(HEART_DETAILS)))
_CANCER_DETAILS = st.one_of(_FOLLOW_UPS, st.frozensets(st.sampled_from(CANCER_DETAILS)))
_VISITS = st.one_of(intakes(), check_ins())


@st.composite
def any_answers(draw: st.DrawFn) -> Intake:
    """A first visit or a check-in, with the follow-up questions unanswered, answered "none" or
    with some signs."""
    return draw(_VISITS).model_copy(update={
        "heart_condition_details": draw(_HEART_DETAILS),
        "cancer_details": draw(_CANCER_DETAILS),
    })
