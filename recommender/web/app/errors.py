"""Error pages: a plain page for people, problem details (RFC 9457) for the API, OperationOutcome
for FHIR, never a stack trace."""

from __future__ import annotations

from flask import Flask, Response, make_response, render_template, request
from flask.globals import request_ctx
from gunicorn.http.errors import NoMoreData, ParseException
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError

from recommender.web.api.responses import error_outcome, problem

MESSAGES = {
    400: "The request could not be read.",
    403: ("This form was sent from another website, so we did not accept it. "
          "Please answer the questions on this page instead."),
    404: "There is no page at this address.",
    405: "This address does not accept that kind of request.",
    413: "What was sent is too large (the limit is 64 KB).",
    415: "Send the answers as JSON, with Content-Type: application/json.",
    429: "Too many requests at once. Please wait a few seconds and try again.",
    503: "We are making many documents just now. Please wait a few seconds and try again.",
}

HEADINGS = {
    403: "We could not accept this form",
}


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    # gunicorn reads a body only as the view asks for it, so a malformed chunked body (a bad size
    # line, a missing terminator) or one cut short is found mid-view, as gunicorn's exception.
    app.register_error_handler(ParseException, _unreadable_body)
    app.register_error_handler(NoMoreData, _unreadable_body)
    app.register_error_handler(Exception, _unexpected)


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    message = MESSAGES.get(status, error.description or "Something went wrong.")
    if request.path.startswith("/api/"):
        response = problem(status, message)
    elif request.path.startswith("/fhir/"):
        response = error_outcome(status, message)
    elif request_ctx.url_adapter is None:
        # A Host outside TRUSTED_HOSTS: no address can be built for it, so no page either.
        response = make_response(message, status, {"Content-Type": "text/plain; charset=utf-8"})
    else:
        response = make_response(render_template("errors/error.html", status=status, message=message,
                                                 heading=HEADINGS.get(status)))
    response.status_code = status
    # Keep what the error says about itself, such as the methods a 405 allows (RFC 9110).
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _unreadable_body(error: Exception) -> Response:
    return _http_error(BadRequest())


def _unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return _http_error(error)
    # Logged without the request: a traceback carries no answers, a request body would.
    from flask import current_app

    current_app.logger.exception("unexpected error while answering %s", request.path)
    return _http_error(InternalServerError())
