"""Jinja filters and globals that turn UTC instants into the viewer's local, human wording.

English pages keep the house formats ("Sat 28 Nov, 09:00", "Saturday 28 November"). In any other language the same
format is rendered by Babel with that language's names and order ("sáb 28 nov, 09:00", "sábado, 28 de noviembre").
"""
import re
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from flask import Flask, current_app, has_request_context

from app.models.types import utcnow

_CLDR = {"%a": "EEE", "%A": "EEEE", "%d": "dd", "%b": "MMM", "%B": "MMMM", "%H": "HH", "%M": "mm", "%Y": "y",
         "%m": "MM", "%y": "yy"}


def _babel_locale() -> str | None:
    """The request's language when it is not English (None: use the English house formats)."""
    if not has_request_context():
        return None
    from app.i18n import current_language

    code = current_language()
    return None if code == "en" else code


def _pattern(fmt: str) -> str:
    """A strftime format as a CLDR pattern: fields become Babel fields, other text is quoted."""
    out, literal, i = [], "", 0
    while i < len(fmt):
        token = fmt[i:i + 2]
        if token in _CLDR:
            if literal:
                out.append("'" + literal.replace("'", "''") + "'")
                literal = ""
            out.append(_CLDR[token])
            i += 2
        else:
            literal += fmt[i]
            i += 1
    if literal:
        out.append("'" + literal.replace("'", "''") + "'")
    return "".join(out)


def _zone(tz: str | None) -> str:
    if tz:
        return tz
    if has_request_context():
        from flask_login import current_user

        if current_user.is_authenticated:
            return current_user.timezone
    return current_app.config.get("CLINIC_TIMEZONE", "UTC")


def to_local(instant: datetime, tz: str) -> datetime:
    return instant.astimezone(ZoneInfo(tz))


def localtime(instant: datetime | None, tz: str | None, fmt: str = "%a %d %b, %H:%M") -> str:
    if instant is None:
        return ""
    local = to_local(instant, _zone(tz))
    locale = _babel_locale()
    return local.strftime(fmt) if locale is None else format_datetime(local, _pattern(fmt), locale=locale)


def hhmm(instant: datetime | None, tz: str) -> str:
    return localtime(instant, tz, "%H:%M")


def localdate(instant: datetime, tz: str) -> str:
    return longdate(to_local(instant, tz).date())


def when(instant: datetime, tz: str, today: date) -> str:
    """"14:30" for today, "Thu 26 Nov, 09:00" otherwise."""
    local = to_local(instant, tz)
    if local.date() == today:
        return f"{local:%H:%M}"
    locale = _babel_locale()
    if locale is None:
        return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"
    return format_datetime(local, "EEE d MMM, HH:mm", locale=locale)


def longdate(value: date | datetime) -> str:
    return long_day(value, _babel_locale() or "en")


def long_day(value: date | datetime, locale: str) -> str:
    """"Tuesday 3 March" in `locale`, also outside a request (a reminder is written in its recipient's language)."""
    if locale == "en":
        return f"{value:%A} {value.day} {value:%B}"
    day = value.date() if isinstance(value, datetime) else value
    return format_date(day, _long_day_pattern(locale), locale=locale)


@lru_cache(maxsize=16)
def _long_day_pattern(locale: str) -> str:
    """The language's own "weekday, day month" order (CLDR skeleton MMMMEd), with the weekday written in full."""
    known = Locale.parse(locale)
    pattern = str(known.datetime_skeletons.get("MMMMEd") or known.date_formats["long"].pattern)
    return re.sub(r"(?<!E)E{1,3}(?!E)", "EEEE", pattern)


def shortdate(value: date) -> str:
    """"Sat 28 Nov" (a day without a time)."""
    locale = _babel_locale()
    return value.strftime("%a %d %b") if locale is None else format_date(value, "EEE d MMM", locale=locale)


def monthyear(value: date) -> str:
    """"November 2026" (a month heading), in the reader's language."""
    locale = _babel_locale()
    return value.strftime("%B %Y") if locale is None else format_date(value, "LLLL y", locale=locale)


def now_local(tz: str) -> datetime:
    return to_local(utcnow(), tz)


def init_app(app: Flask) -> None:
    app.add_template_filter(localtime)
    app.add_template_filter(hhmm)
    app.add_template_filter(longdate)
    app.add_template_filter(localdate)
    app.add_template_filter(when)
    app.add_template_filter(shortdate)
    app.add_template_global(now_local)

    from app.policy import may_invite_patients, may_see
    from app.today.hub import patient_tabs

    app.add_template_global(patient_tabs)
    app.add_template_global(may_see)
    app.add_template_global(may_invite_patients)
