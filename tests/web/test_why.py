"""Why the result is what it is: plain words for the person, rule ids in "For your clinician", and the API's reasons."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from werkzeug.test import TestResponse

Answer = Callable[..., TestResponse]


def text_of(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def for_people(page: str) -> str:
    """The page without its closed "For your clinician" section and the print-only header and
    small print (which name the rules for a clinician who checks the paper)."""
    page = re.sub(r'<details class="card why".*?</details>\s*<p class="again">', "", page, flags=re.S)
    page = re.sub(r'<footer class="print-footer print-only">.*?</footer>', "", page, flags=re.S)
    return re.sub(r'<div class="print-header print-only">.*?</div>\s*<section', "<section", page, flags=re.S)


def test_the_clinician_section_says_why_with_the_rule_and_what_equipment_is_missing(
        answer_questionnaire: Answer) -> None:
    page = text_of(answer_questionnaire(pain_now="3", pain_duration="under_6_weeks"))
    assert '<details class="card why" id="for-your-clinician">' in page  # closed until opened
    assert "<summary>For your clinician</summary>" in page
    assert "Because you rated your pain 3 out of 10 (this rule applies from 1)." in page
    assert "Rule: pain-now" in page
    assert "You start at Beginner because you have back pain right now (rule pain-now)" in page
    assert "Slot: beginner-hinge" in page
    assert "Hip hinge with a stick</strong>: needs equipment you did not tick: broom handle or long stick." in page


@pytest.mark.parametrize("changes", [
    {}, {"pain_now": "3", "pain_duration": "over_12_weeks", "experience": "intermediate"},
    {"red_flags": "cancer_history", "no_red_flags": None}, {"red_flags": "saddle_numbness", "no_red_flags": None},
], ids=["clear", "caution", "urgent", "emergency"])
def test_a_person_reads_no_rule_ids_plan_limits_hash_or_fhir_outside_the_clinician_section(
        answer_questionnaire: Answer, changes: dict[str, str | None]) -> None:
    page = for_people(text_of(answer_questionnaire(**changes)))
    for jargon in ("Rule:", "(rule ", "plan limit", "Plan limit", "SHA-256", "FHIR", "Slot:"):
        assert jargon not in page, jargon


def test_a_person_reads_why_they_start_where_they_do_in_plain_words(answer_questionnaire: Answer) -> None:
    page = text_of(answer_questionnaire(pain_now="3", pain_duration="under_6_weeks"))
    assert "You start at Beginner because you have back pain right now. Your first moves use no weights." in page


def test_the_clinician_section_comes_after_the_plan_and_the_safety_net(answer_questionnaire: Answer) -> None:
    page = text_of(answer_questionnaire())
    assert page.index('id="tier-advanced"') < page.index('id="safety-net"') < page.index("For your clinician")


def test_a_withheld_plan_says_which_rule_and_limit_withheld_it(answer_questionnaire: Answer) -> None:
    page = text_of(answer_questionnaire(red_flags="cancer_history", no_red_flags=None, pain_now="3",
                                        pain_duration="under_6_weeks"))
    assert "What to tell the doctor" in page
    assert "you ticked: You have had cancer." in page
    assert "(rule previous-cancer)" in page and "Plan limit no-plan" in page
    assert "Slot:" not in page


def test_hidden_tiers_are_explained_on_the_page(answer_questionnaire: Answer) -> None:
    page = text_of(answer_questionnaire(pain_now="8", pain_duration="under_6_weeks"))
    assert "The Intermediate and Advanced tiers are not shown for now because" in page


def test_the_api_carries_every_reason_with_its_rule_id(ask_api: Callable[..., TestResponse]) -> None:
    body = ask_api(pain_now=3, pain_duration="under_6_weeks", equipment=["kettlebell"]).get_json()
    assert body["triage"]["reasons"][0]["because"].startswith("Because you rated your pain 3")
    assert body["plan_withheld_reason"] is None
    plan = body["plan"]
    assert plan["start_tier_reason"]["rule"] == "start-gentle"
    assert plan["start_tier_reason"]["set_by"] == ["pain-now"]
    assert plan["hidden_tiers_reason"] is None
    hinge = next(slot for tier in plan["tiers"] for slot in tier["slots"] if slot["slot"] == "intermediate-hinge")
    assert hinge["chosen"] == "romanian-deadlift"
    assert set(hinge["considered"][0]) == {"id", "name", "included", "rule", "reason"}
    assert [(c["id"], c["included"], c["rule"]) for c in hinge["considered"]] == [
        ("romanian-deadlift", True, "intermediate-hinge"),
        ("kettlebell-deadlift", False, "intermediate-hinge"),
        ("good-morning", False, "intermediate-hinge"),
    ]


def test_the_api_says_why_a_plan_is_withheld(ask_api: Callable[..., TestResponse]) -> None:
    body = ask_api(red_flags=["saddle_numbness"]).get_json()
    assert body["plan"] is None
    assert body["plan_withheld_reason"]["rule"] == "no-plan"
    assert body["plan_withheld_reason"]["set_by"] == ["saddle-numbness"]
