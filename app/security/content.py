"""Input checks every view gets: the content type (OWASP ASVS 13.1.5) and no NUL characters (ASVS 5.1.4).

Views take HTML form posts unless they say they take JSON: Flask-WTF reads a JSON body as if it were form data
and fails on anything but a flat object, so a JSON body sent to a form view is refused with 415 before the view
runs; JSON endpoints are marked with @accepts_json. PostgreSQL cannot store NUL in text, and no person types
one, so any NUL in the query, form or JSON is a 400 rather than a database error.
"""
from flask import Flask, abort, current_app, request
from werkzeug.routing import IntegerConverter

DATABASE_INT_MAX = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in URLs stops at PostgreSQL's integer range, so a huge id is a 404, not a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", DATABASE_INT_MAX)
        super().__init__(map, *args, **kwargs)


def accepts_json(view):
    view.accepts_json = True
    return view


def _refuse_unexpected_json():
    if request.method in {"GET", "HEAD", "OPTIONS"} or not request.is_json or request.endpoint is None:
        return
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, "accepts_json", False):
        abort(415)


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _refuse_nul():
    fields = [*request.args.items(multi=True), *request.form.items(multi=True)]
    if any(_has_nul(key) or _has_nul(value) for key, value in fields) or any(_has_nul(key) for key in request.files):
        abort(400)
    if request.is_json and _has_nul(request.get_json(silent=True)):
        abort(400)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIdConverter
    app.before_request(_refuse_unexpected_json)
    app.before_request(_refuse_nul)
