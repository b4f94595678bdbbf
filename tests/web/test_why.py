"""The "Why this plan?" section of the result page, and the reasons in the API's answer."""

from __future__ import annotations

from collections.abc import Callable

from werkzeug.test import TestResponse

Answer = Callable[..., TestResponse]


def text_of(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def test_the_plan_page_says_why_with_the_rule_and_what_equipment_is_missing(answer_questionnaire: Answer) -> None:
    page = text_of(answer_questionnaire(pain_now="3", pain_duration="under_6_weeks"))
    assert "Why this plan?" in page
    assert "Because you rated your pain 3 out of 10 (this rule applies from 1)." in page
    assert "Rule: pain-now" in page
    assert "You start at Beginner because you have back pain right now (rule pain-now)" in page
    assert "Slot: beginner-hinge" in page
    assert "Hip hinge with a stick</strong>: needs equipment you did not tick: broom handle or long stick." in page


def test_the_why_section_comes_after_the_tiers_and_before_the_safety_net(answer_questionnaire: Answer) -> None:
    page = text_of(answer_questionnaire())
    assert page.index('id="tier-advanced"') < page.index("Why this plan?") < page.index('id="safety-net"')


def test_a_withheld_plan_says_which_rule_and_limit_withheld_it(answer_questionnaire: Answer) -> None:
    page = text_of(answer_questionnaire(red_flags="cancer_history", no_red_flags=None, pain_now="3",
                                        pain_duration="under_6_weeks"))
    assert "Why there is no exercise plan" in page
    assert "Because you ticked: You have had cancer." in page
    assert "(rule previous-cancer)" in page and "Plan limit no-plan" in page
    assert "Slot:" not in page


def test_hidden_tiers_are_explained_on_the_page(answer_questionnaire: Answer) -> None:
    page = text_of(answer_questionnaire(pain_now="8", pain_duration="under_6_weeks"))
    assert "The Intermediate and Advanced tiers are not shown because" in page


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
