"""Turn a submitted course form into a protocol value object, with errors named by field."""
from collections.abc import Mapping
from datetime import date, datetime, time

from app.models.tms import ProtocolKind
from app.tms import protocols
from app.validation import FieldError, in_schedule_range, integer, schedule_date, whole_number

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class InputError(FieldError):
    """A field problem, worded for the person filling in the form."""


def parse_int(raw: Mapping, field: str, label: str) -> int:
    value = (raw.get(field) or "").strip()
    if not value:
        raise InputError(field, f"Enter {label.lower()}.")
    try:
        return integer(value, field=field, label=label)
    except FieldError as error:
        raise InputError(field, error.message) from None


def parse_time(raw: Mapping, field: str) -> time:
    value = (raw.get(field) or "").strip()
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise InputError(field, "Enter a time like 09:30.") from None


def parse_date(raw: Mapping, field: str, label: str = "a date") -> date:
    """A date under the app's one date policy (2000 to 20 years ahead)."""
    try:
        return schedule_date(raw.get(field), field=field, label=label)
    except FieldError as error:
        raise InputError(field, error.message) from None


def parse_weekdays(values: list[str], field: str) -> frozenset[int]:
    days = frozenset(day for day in map(whole_number, values) if day is not None and day <= 6)
    if not days:
        raise InputError(field, "Choose at least one weekday.")
    return days


def parse_local_datetimes(text: str, field: str) -> tuple[datetime, ...]:
    values = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            moment = datetime.fromisoformat(line.replace(" ", "T", 1)) if len(line) <= 32 else None
        except ValueError:
            moment = None
        if moment is None:
            raise InputError(field, f"Line {number}: write each session as 2026-11-30 09:00.")
        if not in_schedule_range(moment.date()):
            raise InputError(field, f"Line {number}: choose a date from 2000 to 20 years ahead.")
        values.append(moment)
    if not values:
        raise InputError(field, "Add at least one session, one per line.")
    if any(v.tzinfo for v in values):
        raise InputError(field, "Write local times without a time zone.")
    return tuple(values)


def protocol_from_form(kind: ProtocolKind, raw: Mapping, weekdays: list[str]) -> tuple[protocols.CourseProtocol, dict]:
    """The protocol and the JSON-safe parameters to store with the course; raises InputError or ProtocolError."""
    if kind == ProtocolKind.standard:
        days = parse_weekdays(weekdays, "weekdays")
        weeks = parse_int(raw, "weeks", "Number of weeks")
        at = parse_time(raw, "local_time")
        return protocols.StandardProtocol(days, weeks, at), {"weekdays": sorted(days), "weeks": weeks, "local_time": at.isoformat("minutes")}
    if kind == ProtocolKind.accelerated:
        per_day = parse_int(raw, "sessions_per_day", "Sessions a day")
        apart = parse_int(raw, "minutes_apart", "Minutes apart")
        days = parse_int(raw, "days", "Number of days")
        first = parse_time(raw, "first_session")
        params = {"sessions_per_day": per_day, "minutes_apart": apart, "days": days, "first_session": first.isoformat("minutes")}
        return protocols.AcceleratedProtocol(per_day, apart, days, first), params
    if kind == ProtocolKind.taper:
        text = (raw.get("sessions_per_week") or "").replace(" ", "")
        counts = tuple(whole_number(part) for part in text.split(",")) if text and len(text) <= 200 else (None,)
        if None in counts:
            raise InputError("sessions_per_week", "List sessions per week separated by commas, like 3,2,1.")
        days = parse_weekdays(weekdays, "weekdays")
        at = parse_time(raw, "local_time")
        params = {"sessions_per_week": list(counts), "weekdays": sorted(days), "local_time": at.isoformat("minutes")}
        return protocols.TaperProtocol(counts, days, at), params
    if kind == ProtocolKind.booster:
        sessions = parse_int(raw, "sessions", "Number of sessions")
        every = parse_int(raw, "every", "The interval")
        unit = raw.get("unit") or "weeks"
        at = parse_time(raw, "local_time")
        params = {"sessions": sessions, "every": every, "unit": unit, "local_time": at.isoformat("minutes")}
        return protocols.BoosterProtocol(sessions, every, unit, at), params
    moments = parse_local_datetimes(raw.get("local_datetimes", ""), "local_datetimes")
    return protocols.CustomProtocol(moments), {"local_datetimes": [m.isoformat(" ", "minutes") for m in moments]}


def describe(kind: ProtocolKind, params: dict) -> str:
    """A one-line human summary of a stored protocol, for lists."""
    days = "/".join(WEEKDAY_NAMES[d] for d in params.get("weekdays", []))
    if params.get("preset") in PRESETS:
        return PRESETS[params["preset"]]
    match kind:
        case ProtocolKind.standard:
            return f"{days} at {params['local_time']} for {params['weeks']} weeks"
        case ProtocolKind.accelerated:
            return (f"{params['sessions_per_day']} a day, {params['minutes_apart']} min apart from "
                    f"{params['first_session']}, {params['days']} days")
        case ProtocolKind.taper:
            return f"taper {'-'.join(map(str, params['sessions_per_week']))} a week on {days} at {params['local_time']}"
        case ProtocolKind.booster:
            return f"{params['sessions']} sessions every {params['every']} {params['unit']} at {params['local_time']}"
    return f"{len(params.get('local_datetimes', []))} custom sessions"


PRESETS = {
    "neurostar": "Standard 30 daily + 6 taper (36 sessions)",
    "deep_tms_ocd": "Deep TMS for OCD: 29 sessions over 6 weeks, provocation before each visit",
    "accelerated_itbs": "Accelerated iTBS: 10 a day, 50 minutes apart, 5 weekdays",
}
"""Common course shapes (CLINICAL.md); the start date and time of day come from the form."""

PRESET_MINUTES = {"neurostar": 40, "deep_tms_ocd": 30, "accelerated_itbs": 10}
"""Chair time per visit: ~37 min of 10 Hz rTMS; deep TMS ~20 min plus a few minutes of provocation; iTBS ~3-10 min."""


def preset_from_form(name: str, raw: Mapping) -> tuple[ProtocolKind, protocols.CourseProtocol, dict, int]:
    """A preset's protocol, parameters and session length; the time of day is the form's."""
    mon_fri = frozenset(range(5))
    if name == "neurostar":
        at = parse_time(raw, "local_time")
        protocol = protocols.StandardProtocol(mon_fri, 6, at, sessions=30, taper=(3, 2, 1))
        params = {"weekdays": sorted(mon_fri), "weeks": 6, "sessions": 30, "taper": [3, 2, 1],
                  "local_time": at.isoformat("minutes"), "preset": name}
        return ProtocolKind.standard, protocol, params, PRESET_MINUTES[name]
    if name == "deep_tms_ocd":
        at = parse_time(raw, "local_time")
        protocol = protocols.StandardProtocol(mon_fri, 6, at, sessions=29)
        params = {"weekdays": sorted(mon_fri), "weeks": 6, "sessions": 29, "local_time": at.isoformat("minutes"),
                  "preset": name}
        return ProtocolKind.standard, protocol, params, PRESET_MINUTES[name]
    if name == "accelerated_itbs":
        first = parse_time(raw, "first_session")
        protocol = protocols.AcceleratedProtocol(10, 50, 5, first)
        params = {"sessions_per_day": 10, "minutes_apart": 50, "days": 5, "first_session": first.isoformat("minutes"),
                  "preset": name}
        return ProtocolKind.accelerated, protocol, params, PRESET_MINUTES[name]
    raise InputError("preset", "Choose one of the listed presets.")
