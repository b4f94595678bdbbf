"""The views a person meets: the questionnaire and their result. Our own site (`pages`) and a
clinic's embedded pages (`embed`) register these same functions, so the two differ only in
branding and in the exercises the clinic never prescribes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

from flask import Blueprint, Flask, Response, current_app, redirect, render_template, request
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.wrappers import Response as BaseResponse

from recommender.model.intake import Intake
from recommender.model.outcome import Recommendation
from recommender.web.app.settings import secret_keys
from recommender.web.app.state import (
    chosen_language,
    current_clinic,
    in_frame,
    language_chosen,
    page_url,
    service,
    web_state,
)
from recommender.web.app.words import gettext
from recommender.web.pages.calling import call_numbers, tel_link
from recommender.web.pages.forms import CheckInForm, IntakeForm, read_answers
from recommender.web.pages.result import first_session
from recommender.web.pages.sealed import UnreadableAnswers, seal, unseal
from recommender.web.pdf.pool import PdfPool, RendererLost

PDF_RETRY_AFTER_SECONDS = 5


def questionnaire() -> bytes:
    return _empty_form("questionnaire", lambda: render_template(
        "questionnaire.html", form=IntakeForm.for_rules(service().ruleset)))


def check_in_questionnaire() -> bytes:
    return _empty_form("check-in", lambda: _check_in_form(CheckInForm.for_rules(service().ruleset)))


def _empty_form(kind: str, render: Callable[[], str]) -> bytes:
    # An empty form is the same for everyone who opens it: there is no session, no token and
    # nothing of the person in it. Rendering its fifty-odd inputs is most of the page's cost,
    # so it is rendered once per form, language (and whether the person chose it, as its links
    # then carry the choice), clinic, framing and day (pages carry the date), its only inputs,
    # then reused; it shows no address made from the request's host (tests say so). It is kept
    # as it is sent, in UTF-8: its few letters outside ASCII keep Python off its fast path, and
    # encoding its 27 KB again for each request took 18 to 25 µs, a sixth of its time in process.
    clinic = current_clinic()
    key = (kind, chosen_language(), language_chosen(), clinic.slug if clinic else "", in_frame(), date.today())
    rendered = web_state().empty_forms
    page = rendered.get(key)
    if page is None:
        page = render().encode()
        if service().caching:
            for stale in [other for other in rendered if other[-1] != key[-1]]:
                rendered.pop(stale, None)
            rendered[key] = page
    return page


def plan() -> tuple[str, int]:
    if request.form.get("switch_language"):
        return _in_another_language()
    intake = read_answers(request.form)
    if intake is None:
        form = IntakeForm.for_rules(service().ruleset, request.form)
        intake = form.check()
        if intake is None:
            return render_template("questionnaire.html", form=form), 422
    return sealed_result_page(intake), 200


def plan_so_far() -> tuple[str, int]:
    """What the stepper asks as a person leaves each step: whether the answers so far (the
    questions named `asked`) already settle a result that sends them for help at once. If
    they do, that result page; if not, nothing (204), and the person goes on to the next step.

    The result has no plan, so nothing on it is sealed for a download: "Answer the questions
    again" is the way on.
    """
    rules = service().ruleset
    given = IntakeForm.for_rules(rules, request.form).answers_so_far(request.form.getlist("asked"))
    recommendation = service().recommend_so_far(given)
    if recommendation is None:
        return "", 204
    intake = Intake.model_construct(**given)
    return render_result(recommendation, intake, answers_token=None), 200


def _in_another_language() -> tuple[str, int]:
    """The page the language switch was pressed on, in the language the address now names: a
    result from its sealed answers, or the form as filled in so far, not yet checked."""
    if "answers" in request.form:
        try:
            intake = unseal(request.form["answers"], secret_keys(current_app))
        except UnreadableAnswers as error:
            return _unreadable(error), 400
        return sealed_result_page(intake), 200
    if request.endpoint and request.endpoint.endswith("check_in_plan"):
        return _check_in_form(CheckInForm.for_rules(service().ruleset, request.form)), 200
    return render_template("questionnaire.html", form=IntakeForm.for_rules(service().ruleset, request.form)), 200


def sealed_result_page(intake: Intake) -> str:
    """The result page for `intake` on this clinic's page, with its answers sealed afresh."""
    recommendation = service().recommend(intake, current_clinic())
    return render_result(recommendation, intake, seal(intake, secret_keys(current_app)))


def _check_in_form(form: CheckInForm) -> str:
    return render_template("questionnaire.html", form=form, checking_in=True,
                           check_in_title=service().ruleset.progression.title)


def check_in_plan() -> tuple[str, int]:
    """A check-in's result: the same screening as a first visit, then the report's decision."""
    if request.form.get("switch_language"):
        return _in_another_language()
    form = CheckInForm.for_rules(service().ruleset, request.form)
    intake = form.check()
    if intake is None:
        return _check_in_form(form), 422
    return sealed_result_page(intake), 200


def render_result(recommendation: Recommendation, intake: Intake, answers_token: str | None,
                  for_pdf: bool = False) -> str:
    """The result page, on screen (with the sealed answers its downloads post) or for the PDF."""
    plan = recommendation.plan
    numbers = web_state().call_numbers
    assert numbers is not None, "create_app reads them at start-up"
    call = call_numbers(numbers, current_clinic()).for_level(recommendation.triage.level)
    return render_template("plan.html", result=recommendation, intake=intake, answers_token=answers_token,
                           for_pdf=for_pdf, call_number=call,
                           call_link=tel_link(call) if call else None,
                           session=first_session(plan) if plan else None)


def plan_without_answers() -> BaseResponse:
    # A refreshed or bookmarked result page: answers are never kept, so start again.
    return redirect(page_url("questionnaire"))


def plan_pdf() -> tuple[Response | str, int]:
    """The plan page as a PDF, rebuilt from the sealed answers the plan page posts back."""
    try:
        intake = unseal(request.form.get("answers", ""), secret_keys(current_app))
    except UnreadableAnswers as error:
        return _unreadable(error), 400
    recommendation = service().recommend(intake, current_clinic())
    html = render_result(recommendation, intake, answers_token=None, for_pdf=True)
    # A PDF takes most of a second of CPU. Only a few render at once in a worker; the next one
    # is told at once to come back (503 with Retry-After) instead of queueing behind them and
    # taking the threads that /healthz and the pages need.
    state = web_state()
    slots, pool = state.pdf_slots, state.pdf_pool
    assert slots is not None and pool is not None, "init_app sets them up"
    if not slots.acquire(blocking=False):
        raise ServiceUnavailable(retry_after=PDF_RETRY_AFTER_SECONDS)
    try:
        pdf = pool.render(html, current_clinic())
    except RendererLost as lost:
        raise ServiceUnavailable(retry_after=PDF_RETRY_AFTER_SECONDS) from lost
    finally:
        slots.release()
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": 'attachment; filename="lower-back-plan.pdf"',
    }), 200


def _unreadable(error: UnreadableAnswers) -> str:
    return render_template("errors/error.html", status=400, message=str(error),
                           heading=gettext("Please answer the questions again"))


def init_app(app: Flask) -> None:
    state = web_state(app)
    state.pdf_slots = threading.Semaphore(app.config["PDFS_AT_ONCE"])
    state.pdf_pool = PdfPool(app.config["PDFS_AT_ONCE"], app.config["PDFS_PER_PROCESS"], str(app.static_folder))


def add_to(blueprint: Blueprint, questionnaire_rule: str) -> None:
    """Serve these views under `blueprint`, with the same endpoint names on every blueprint."""
    blueprint.add_url_rule(questionnaire_rule, "questionnaire", questionnaire, methods=["GET"])
    blueprint.add_url_rule("/plan", "plan", plan, methods=["POST"])
    blueprint.add_url_rule("/plan", "plan_without_answers", plan_without_answers, methods=["GET"])
    blueprint.add_url_rule("/plan/so-far", "plan_so_far", plan_so_far, methods=["POST"])
    blueprint.add_url_rule("/plan/so-far", "plan_so_far_without_answers", plan_without_answers, methods=["GET"])
    blueprint.add_url_rule("/plan.pdf", "plan_pdf", plan_pdf, methods=["POST"])
    blueprint.add_url_rule("/check-in", "check_in", check_in_questionnaire, methods=["GET"])
    blueprint.add_url_rule("/check-in", "check_in_plan", check_in_plan, methods=["POST"])
