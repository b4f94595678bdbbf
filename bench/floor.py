"""The floor: a Flask app that does almost nothing per request, served like the real one.

bench/run serves it with the Procfile's gunicorn settings beside the real app, so each of the
app's scenarios can be compared with the least any Flask app on this machine could do.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, request

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """The floor for the form page: a page from a string."""
    return "<!doctype html><html lang=en><title>Hello</title><p>Hello, world.</p></html>"


@app.post("/echo")
def echo_json() -> Response:
    """The floor for the API: read a JSON body, answer it back as JSON."""
    return jsonify(request.get_json())


@app.post("/form")
def echo_form() -> str:
    """The floor for the plan page: read a posted form, answer a small page."""
    return f"<!doctype html><html lang=en><title>Form</title><p>{len(request.form)} fields.</p></html>"
