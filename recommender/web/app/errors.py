"""Error pages: a plain page for people, problem details (RFC 9457) for the API, OperationOutcome
for FHIR, never a stack trace."""

from __future__ import annotations

from flask import Flask, Response, make_response, render_template, request
from flask.globals import request_ctx
from gunicorn.http.errors import NoMoreData, ParseException
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError

from recommender.web.api.responses import error_outcome, problem
from recommender.web.app.words import gettext, lazy_gettext

# In the request's language (lazily, as these are made before any request).
MESSAGES = {
    400: lazy_gettext("The request could not be read."),
    403: lazy_gettext("This form was sent from another website, so we did not accept it. "
                      "Please answer the questions on this page instead."),
    404: lazy_gettext("There is no page at this address."),
    405: lazy_gettext("This address does not accept that kind of request."),
    413: lazy_gettext("What was sent is too large (the limit is 64 KB)."),
    415: lazy_gettext("Send the answers as JSON, with Content-Type: application/json."),
    429: lazy_gettext("Too many requests at once. Please wait a few seconds and try again."),
    503: lazy_gettext("We are making many documents just now. Please wait a few seconds and try again."),
}

HEADINGS = {
    403: lazy_gettext("We could not accept this form"),
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
    message = str(MESSAGES[status]) if status in MESSAGES else error.description or gettext("Something went wrong.")
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
