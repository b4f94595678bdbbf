"""A form post is read first without building the form (`read_answers`); the form itself is
built only to say what is wrong. The two readings must never differ."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from recommender.model.intake import EQUIPMENT, EXPERIENCE_LEVELS, HEALTH_FLAGS, PAIN_DURATIONS, RED_FLAGS
from recommender.model.ruleset import Ruleset
from recommender.web.pages.forms import IntakeForm, read_answers
from tests.web.conftest import FORM_BASELINE

# Besides the right answers: blanks, near misses and writings of numbers the form refuses.
ODD = st.sampled_from(["", " ", "yes", "no", "y", "false", "0", "7", "17", "٧", "+3", "3.5", "none", "None", "x"])
NUMBERS = st.one_of(st.integers(-2, 120).map(str), ODD)
VALUES: dict[str, st.SearchStrategy[str]] = {
    "age": NUMBERS,
    "experience": st.one_of(st.sampled_from(EXPERIENCE_LEVELS), ODD),
    "pain_now": NUMBERS,
    "pain_duration": st.one_of(st.sampled_from(PAIN_DURATIONS), ODD),
    "pain_below_knee": st.one_of(st.sampled_from(["yes", "no"]), ODD),
    "back_surgery_or_injury": st.one_of(st.sampled_from(["yes", "no"]), ODD),
    "professional_check": st.one_of(st.sampled_from(["no", "checked", "cleared_to_exercise"]), ODD),
    "red_flags": st.one_of(st.sampled_from(RED_FLAGS), ODD),
    "no_red_flags": ODD,
    "health_flags": st.one_of(st.sampled_from(HEALTH_FLAGS), ODD),
    "no_health_flags": ODD,
    "equipment": st.one_of(st.sampled_from(EQUIPMENT), ODD),
    "days_per_week": NUMBERS,
    "not_a_question": ODD,
}
# Made once, not at every draw (see tests/strategies.py).
TOUCHED = st.sets(st.sampled_from(list(VALUES)), max_size=4)
CHOICES = st.sampled_from(["drop", "change", "more"])
MORE = {name: st.lists(strategy, min_size=1, max_size=3) for name, strategy in VALUES.items()}


@st.composite
def form_posts(draw: st.DrawFn) -> MultiDict[str, str]:
    """The baseline answers with a few left out, changed, or given more than once."""
    touched = draw(TOUCHED)
    pairs: list[tuple[str, Any]] = []
    for name, strategy in VALUES.items():
        given = [FORM_BASELINE[name]] if name in FORM_BASELINE else []
        choice = draw(CHOICES) if name in touched else "keep"
        if choice == "drop":
            given = []
        elif choice == "change":
            given = [draw(strategy)]
        elif choice == "more":
            given += draw(MORE[name])
        pairs += [(name, value) for value in given]
    return MultiDict(pairs)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(post=form_posts())
def test_reading_a_post_without_the_form_gives_what_the_form_gives(post: MultiDict[str, str], rules: Ruleset) -> None:
    assert read_answers(post) == IntakeForm.for_rules(rules, post).check()


def test_the_baseline_post_is_read_without_the_form(rules: Ruleset) -> None:
    post = MultiDict(list(FORM_BASELINE.items()))
    intake = read_answers(post)
    assert intake is not None
    assert intake == IntakeForm.for_rules(rules, post).check()
