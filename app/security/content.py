"""Input checks every view gets: the content type (OWASP ASVS 13.1.5) and no NUL characters (ASVS 5.1.4).

Views take HTML form posts unless they say they take JSON: Flask-WTF reads a JSON body as if it were form data
and fails on anything but a flat object, so a JSON body sent to a form view is refused with 415 before the view
runs; JSON endpoints are marked with @accepts_json. PostgreSQL cannot store NUL in text, and no person types
one, so any NUL in the query, form or JSON is a 400 rather than a database error.
"""
from urllib.parse import unquote_to_bytes

from flask import Flask, abort, current_app, request
from werkzeug.routing import IntegerConverter

from app import validation

DATABASE_INT_MAX = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in URLs stops at PostgreSQL's integer range, so a huge id is a 404, not a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", DATABASE_INT_MAX)
        super().__init__(map, *args, **kwargs)


def date_arg(name: str, *, today=None):
    """A date from the query string under the one date policy: None when absent, a clear 400 when garbled or far
    outside the clinic's range (?week=9999-12-31 used to overflow the week arithmetic)."""
    try:
        return validation.query_date(request.args.get(name), today=today)
    except validation.BadQuery as problem:
        abort(400, description=str(problem))


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


MAX_JSON_DEPTH = 20
"""Our JSON bodies (a push subscription, an outbox entry) nest two or three levels; a deeper body is refused
before the parser sees it, since Python's json recurses and a few thousand '[' exhaust the stack."""


def json_depth(data: bytes, *, stop_at: int = MAX_JSON_DEPTH + 1) -> int:
    """The deepest nesting of arrays and objects in a JSON text, skipping strings; stops counting at `stop_at`."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest >= stop_at:
                    return deepest
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


BAD_ENCODING = "Some of what was sent isn't valid text (it isn't UTF-8). Please retype it and try again."


def _refuse_malformed():
    """Invalid UTF-8 is a clear 400 rather than text silently stored with U+FFFD in it, and JSON nested deeper
    than MAX_JSON_DEPTH is a 400 before parsing (it used to be a RecursionError, with no sign-in needed)."""
    if not _is_utf8(unquote_to_bytes(request.query_string.replace(b"+", b" "))):
        abort(400, description=BAD_ENCODING)
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return
    if request.mimetype == "application/x-www-form-urlencoded":
        if not _is_utf8(unquote_to_bytes(request.get_data(cache=True).replace(b"+", b" "))):
            abort(400, description=BAD_ENCODING)
    elif request.is_json:
        data = request.get_data(cache=True)
        if not _is_utf8(data):
            abort(400, description=BAD_ENCODING)
        if json_depth(data) > MAX_JSON_DEPTH:
            abort(400, description="That request was nested too deeply to read.")


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIdConverter
    app.before_request(_refuse_unexpected_json)
    app.before_request(_refuse_malformed)
    app.before_request(_refuse_nul)
