"""Field checks shared by patient and therapist entry forms: required text, length limits, whole-number scales.

Each check raises FieldError (a ValueError carrying the form field and a human message); a validator that checks
many fields collects them into one FormInvalid so every problem is shown beside its field at once.
"""
import re
from collections.abc import Iterable
from datetime import date, datetime, timezone
from urllib.parse import urlsplit

from flask_babel import gettext


class FieldError(ValueError):
    """One field's problem, worded for the person filling in the form."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class FormInvalid(ValueError):
    """Several field problems from one submission; `errors` maps field name to message (first problem wins)."""

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors: dict[str, str] = {}
        for error in errors:
            self.errors.setdefault(error.field, error.message)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


class Collector:
    """Runs checks and keeps their FieldErrors, so one submission reports all of its problems."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def check(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except FieldError as error:
            self.errors.append(error)
            return None

    def add(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise FormInvalid(self.errors)


def _named(label: str) -> str:
    """A field's name in the reader's language (labels are marked N_ where they are written); "" stays ""."""
    return gettext(label) if label else label


def text(value: str | None, *, field: str, label: str, limit: int, required: bool = False) -> str:
    """Trimmed text; empty is allowed unless required; over `limit` characters is refused with the limit shown."""
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise FieldError(field, gettext("%(label)s is needed.", label=_named(label)))
    if len(cleaned) > limit:
        raise FieldError(field, gettext("%(label)s can be at most %(limit)s characters (this has %(count)s).",
                                        label=_named(label), limit=limit, count=len(cleaned)))
    return cleaned


def score(value: str | int | None, *, field: str, label: str, low: int, high: int, required: bool = False) -> int | None:
    """A whole number in [low, high] (inclusive), from a form string or an int; blank is None unless required."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise FieldError(field, gettext("%(label)s is needed: choose a number from %(low)s to %(high)s.",
                                            label=_named(label), low=low, high=high))
        return None
    return integer(value, field=field, label=label, low=low, high=high)


# -- one policy for dates, numbers and redirect targets (issue 19): every form, query string and JSON body uses these

EARLIEST_SCHEDULE_DATE = date(2000, 1, 1)
SCHEDULE_YEARS_AHEAD = 20
"""A clinic-plausible range for anything on a calendar (TMS courses, visits, homework, diaries, weeks to show):
nothing in this app happened before 2000, and nothing is planned more than 20 years ahead. Dates far outside it
(0001-01-01, 9999-12-31) overflow date arithmetic and make schedule expansion run for minutes."""
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
MAX_INTEGER_CHARS = 15
"""No count, scale, id or epoch-millisecond timestamp in this app needs more; longer input is refused before int()."""


def latest_schedule_date(today: date) -> date:
    try:
        return today.replace(year=today.year + SCHEDULE_YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + SCHEDULE_YEARS_AHEAD, day=28)


def _today(today: date | None) -> date:
    """Parsing happens at the edge, in the present: callers with a patient's local day pass it."""
    return today if today is not None else datetime.now(timezone.utc).date()


def iso_date(value: object) -> date | None:
    """A strict YYYY-MM-DD date (what date inputs send), else None; other ISO spellings and long input are refused."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    text_value = str(value if value is not None else "").strip()
    if len(text_value) != 10:
        return None
    try:
        return date.fromisoformat(text_value)
    except ValueError:
        return None


def in_schedule_range(day: date, *, today: date | None = None) -> bool:
    return EARLIEST_SCHEDULE_DATE <= day <= latest_schedule_date(_today(today))


def schedule_date(value: object, *, field: str, label: str = "the date", today: date | None = None,
                  required: bool = True) -> date | None:
    """A calendar date for a schedule (course, visit, homework, diary, review period), within the clinic range."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise FieldError(field, f"Enter {label}, like 2026-11-30.")
        return None
    day = iso_date(value)
    if day is None:
        raise FieldError(field, f"Enter {label} like 2026-11-30.")
    latest = latest_schedule_date(_today(today))
    if not in_schedule_range(day, today=today):
        raise FieldError(field, f"Choose {label} between {EARLIEST_SCHEDULE_DATE:%-d %B %Y} and {latest:%-d %B %Y}.")
    return day


def birth_date(value: object, *, field: str = "birth_date", today: date | None = None) -> date:
    """A date of birth: from 1900 to today (never in the future)."""
    day = iso_date(value)
    if day is None:
        raise FieldError(field, "Enter the date of birth like 1980-05-31.")
    if not EARLIEST_BIRTH_DATE <= day <= _today(today):
        raise FieldError(field, f"Choose a date of birth between {EARLIEST_BIRTH_DATE:%Y} and today.")
    return day


class BadQuery(ValueError):
    """A query-string value outside the policy: the view answers 400 with this message."""


def query_date(value: str | None, *, today: date | None = None) -> date | None:
    """A date in a query string (?week=, ?day=, ?since=): None when absent; BadQuery when garbled or out of range."""
    if value is None or not value.strip():
        return None
    try:
        return schedule_date(value, field="query", today=today)
    except FieldError as error:
        raise BadQuery(error.message) from None


def integer(value: object, *, field: str, label: str, low: int | None = None, high: int | None = None) -> int:
    """The one whole-number parser: refuses absurd lengths before converting (a 5,000-digit string is refused, not
    converted), and anything outside [low, high] when given (callers without bounds check ranges in their rule)."""
    bounded = low is not None and high is not None
    wrong = FieldError(field, gettext("%(label)s must be a whole number from %(low)s to %(high)s.", label=_named(label),
                                      low=low, high=high) if bounded
                       else gettext("%(label)s must be a whole number.", label=_named(label)))
    if isinstance(value, bool):
        raise wrong
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise wrong
        number = int(value)
    else:
        text_value = str(value if value is not None else "").strip()
        body = text_value[1:] if text_value[:1] in "+-" else text_value
        if not body or len(text_value) > MAX_INTEGER_CHARS or not body.isascii() or not body.isdigit():
            raise wrong
        number = int(text_value)
    if (low is not None and number < low) or (high is not None and number > high):
        raise FieldError(field, gettext("%(label)s must be from %(low)s to %(high)s.", label=_named(label), low=low,
                                        high=high) if bounded else gettext("%(label)s must be in range.", label=_named(label)))
    return number


def whole_number(value: object) -> int | None:
    """A non-negative whole number written in ASCII digits (at most MAX_INTEGER_CHARS), else None: for ids, choices
    and counts whose caller has its own message. '²' and 5,000-digit strings are None, never an exception."""
    if isinstance(value, bool) or value is None:
        return None
    text_value = str(value).strip()
    if not text_value or len(text_value) > MAX_INTEGER_CHARS or not text_value.isascii() or not text_value.isdigit():
        return None
    return int(text_value)


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")


def safe_next(target: str | None) -> str | None:
    """A same-site relative path to go back to after signing in, else None: no scheme or host, no '//' or '/\\'
    (browsers read both as another site), and no control characters (CR/LF would split the Location header)."""
    if not target or len(target) > 2000 or CONTROL_CHARACTERS.search(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    return target


# -- phone numbers (crisis lines, the clinic, the people in a safety plan): checked with `phonenumbers`

PHONE_MAX = 40
PHONE_LIKE = re.compile(r"(?<![\w/-])\+?\(?\d[\d ().-]{5,}\d(?![\w/-])")
"""Something in free text that is meant as a phone number: seven or more characters of digits and separators."""
ISO_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_phone(value: str | None, *, field: str, label: str, region: str = "US", required: bool = False,
                short_ok: bool = False) -> str:
    """A number someone in distress can dial: valid for the clinic's `region` (or in +international form), or, where
    `short_ok`, a valid short code such as 988, 911 or 741741. Returns it trimmed, as typed (it is shown as typed
    and dialled from its digits); blank is '' unless required."""
    import phonenumbers

    text_value = (value or "").strip()
    if not text_value:
        if required:
            raise FieldError(field, f"Give {label}.")
        return ""
    wrong = FieldError(field, f"{text_value[:40]} isn't a phone number we can dial: check {label}, like "
                              f"{'988 or ' if short_ok else ''}(212) 555-0100 or +44 20 7946 0960.")
    if len(text_value) > PHONE_MAX or not re.fullmatch(r"[\d +().-]+", text_value):
        raise wrong
    try:
        number = phonenumbers.parse(text_value, region)
    except phonenumbers.NumberParseException:
        raise wrong from None
    if phonenumbers.is_valid_number(number):
        return text_value
    if short_ok and not text_value.startswith("+") and phonenumbers.is_valid_short_number_for_region(number, region):
        return text_value
    raise wrong


def phones_in_text(text_value: str, *, field: str, label: str, region: str = "US") -> None:
    """Every phone-like run in free text (a safety plan's contacts) must be a number that can be dialled."""
    for match in PHONE_LIKE.finditer(text_value or ""):
        candidate = match.group(0).strip()
        if ISO_DATE_LIKE.match(candidate) or sum(c.isdigit() for c in candidate) < 7:
            continue
        parse_phone(candidate, field=field, label=f"the number in “{label}”", region=region, short_ok=True)
