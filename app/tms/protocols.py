"""TMS course protocols and their expansion into session start instants.

A protocol is a frozen value object holding wall-clock times in the clinic's IANA zone; `expand_course`
turns it into sorted, timezone-aware UTC datetimes. Shapes follow CLINICAL.md: a standard acute course
(weekdays for 4-6 weeks), an accelerated course (about 10 short iTBS sessions a day, about 50 minutes apart),
a taper (for example 3, 2, 1 sessions a week), booster/maintenance sessions, and a custom list.

DST choices: a wall-clock time that falls in a spring-forward gap does not exist, so it is a `ProtocolError`
naming the date; an ambiguous fall-back time is taken as its first occurrence (fold=0, the earlier instant).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo
from app.validation import FieldError

SESSION_MINUTES = 10
"""Shortest chair time a session takes (an accelerated iTBS session: a few minutes of stimulation plus set-up)."""

MIN_SESSION_GAP = timedelta(minutes=SESSION_MINUTES)
"""Two sessions for one patient must start at least this far apart, or they would overlap."""

MAX_WEEKS = 52
MAX_SESSIONS_PER_DAY = 20
MAX_ACCELERATED_DAYS = 31
MAX_BOOSTER_SESSIONS = 52
MAX_BOOSTER_INTERVAL = 52
ACCELERATED_GAP_WARNING = 45
"""Accelerated iTBS protocols space sessions about 50 minutes apart (CLINICAL.md); below 45 minutes staff must
confirm the shorter gap on purpose."""
"""Upper bounds catch form typos (400 weeks) before they expand into thousands of sessions."""



class ProtocolError(FieldError):
    """A protocol value a form should show beside `field`, with a message a therapist can act on."""


class IntervalUnit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"


@dataclass(frozen=True)
class StandardProtocol:
    """One session a day on the chosen weekdays (0=Mon..6=Sun) for `weeks` weeks, e.g. Mon-Fri for 4-6 weeks."""

    weekdays: frozenset[int]
    weeks: int
    local_time: time
    sessions: int | None = None
    """Prescribed sessions when not every chosen weekday of every week (deep TMS for OCD: 29 over 6 weeks)."""
    taper: tuple[int, ...] = ()
    """Sessions per week after the daily phase (NeuroStar-style 30 + 3, 2, 1 = 36)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "weekdays", _check_weekdays(self.weekdays))
        _check_count("weeks", self.weeks, 1, MAX_WEEKS, "Number of weeks")
        _check_wall_time("local_time", self.local_time)
        if self.sessions is not None:
            _check_count("sessions", self.sessions, 1, len(self.weekdays) * self.weeks, "Number of sessions")
        object.__setattr__(self, "taper", tuple(self.taper))
        for count in self.taper:
            if not _is_int(count) or not 1 <= count <= len(self.weekdays):
                raise ProtocolError("sessions_per_week", "Each taper week needs 1 to as many sessions as weekdays.")

    @property
    def daily_count(self) -> int:
        return self.sessions if self.sessions is not None else len(self.weekdays) * self.weeks


@dataclass(frozen=True)
class AcceleratedProtocol:
    """`sessions_per_day` sessions `minutes_apart` minutes apart on `days` consecutive days (accelerated iTBS)."""

    sessions_per_day: int
    minutes_apart: int
    days: int
    first_session: time

    def __post_init__(self) -> None:
        _check_count("sessions_per_day", self.sessions_per_day, 1, MAX_SESSIONS_PER_DAY, "Sessions a day")
        _check_count("days", self.days, 1, MAX_ACCELERATED_DAYS, "Number of days")
        _check_wall_time("first_session", self.first_session)
        if not _is_int(self.minutes_apart) or self.minutes_apart < SESSION_MINUTES:
            raise ProtocolError(
                "minutes_apart",
                f"Sessions must start at least {SESSION_MINUTES} minutes apart or they would overlap.",
            )
        first_minutes = self.first_session.hour * 60 + self.first_session.minute
        last_end = first_minutes + (self.sessions_per_day - 1) * self.minutes_apart + SESSION_MINUTES
        if last_end > 24 * 60:
            raise ProtocolError(
                "minutes_apart",
                f"The last of {self.sessions_per_day} sessions would run past midnight; "
                "start earlier, use fewer sessions or a shorter gap.",
            )


@dataclass(frozen=True)
class TaperProtocol:
    """Falling sessions per week (e.g. 3, 2, 1), spread over the preferred weekdays of each week."""

    sessions_per_week: tuple[int, ...]
    weekdays: frozenset[int]
    local_time: time

    def __post_init__(self) -> None:
        object.__setattr__(self, "weekdays", _check_weekdays(self.weekdays))
        counts = tuple(self.sessions_per_week)
        object.__setattr__(self, "sessions_per_week", counts)
        if not counts:
            raise ProtocolError("sessions_per_week", "Give the number of sessions for at least one week.")
        if len(counts) > MAX_WEEKS:
            raise ProtocolError("sessions_per_week", f"A taper can last at most {MAX_WEEKS} weeks.")
        for week, count in enumerate(counts, start=1):
            if not _is_int(count) or count < 1:
                raise ProtocolError("sessions_per_week", f"Week {week} needs at least one session.")
            if count > len(self.weekdays):
                raise ProtocolError(
                    "sessions_per_week",
                    f"Week {week} has {count} sessions but only {len(self.weekdays)} preferred weekdays.",
                )
        _check_wall_time("local_time", self.local_time)


@dataclass(frozen=True)
class BoosterProtocol:
    """`sessions` booster/maintenance sessions, one every `every` days or weeks, the first on the start date."""

    sessions: int
    every: int
    unit: IntervalUnit
    local_time: time

    def __post_init__(self) -> None:
        _check_count("sessions", self.sessions, 1, MAX_BOOSTER_SESSIONS, "Number of sessions")
        _check_count("every", self.every, 1, MAX_BOOSTER_INTERVAL, "The interval")
        try:
            object.__setattr__(self, "unit", IntervalUnit(self.unit))
        except ValueError as exc:
            raise ProtocolError("unit", "Choose days or weeks.") from exc
        _check_wall_time("local_time", self.local_time)


@dataclass(frozen=True)
class CustomProtocol:
    """An explicit list of naive local date-times, for schedules the other shapes cannot express."""

    local_datetimes: tuple[datetime, ...]

    def __post_init__(self) -> None:
        values = tuple(self.local_datetimes)
        object.__setattr__(self, "local_datetimes", values)
        if not values:
            raise ProtocolError("local_datetimes", "Add at least one session.")
        if any(not isinstance(value, datetime) or value.tzinfo is not None for value in values):
            raise ProtocolError("local_datetimes", "Give session times as local wall-clock times, without a zone.")


CourseProtocol = StandardProtocol | AcceleratedProtocol | TaperProtocol | BoosterProtocol | CustomProtocol


@dataclass(frozen=True)
class ClinicDays:
    """Which days the clinic gives TMS: closures (public holidays, training days) are never booked; weekends only
    when a course says so (accelerated inpatient programmes). Courses are extended, not shortened (CLINICAL.md)."""

    closed: frozenset[date] = frozenset()
    include_weekends: bool = False

    def is_open(self, day: date, *, weekdays: frozenset[int] | None = None) -> bool:
        if day in self.closed:
            return False
        if weekdays is not None:
            return day.weekday() in weekdays
        return self.include_weekends or day.weekday() < 5


ALL_OPEN = ClinicDays(include_weekends=True)
SEARCH_LIMIT = timedelta(days=366)
"""How far past its start a course may be pushed by closures before the closure list is refused."""


def open_days(first: date, count: int, days: ClinicDays, *, weekdays: frozenset[int] | None = None,
              field: str = "start_date") -> list[date]:
    """The first `count` open days from `first`, or ProtocolError when closures leave none within a year."""
    found: list[date] = []
    day = first
    while len(found) < count:
        if day - first > SEARCH_LIMIT:
            raise ProtocolError(
                field, f"Clinic closures leave no clinic day for this course after {first.isoformat()}; "
                "check the closure list.")
        if days.is_open(day, weekdays=weekdays):
            found.append(day)
        day += timedelta(days=1)
    return found


def expand_course(protocol: CourseProtocol, *, start: date, tz: ZoneInfo, days: ClinicDays = ALL_OPEN) -> list[datetime]:
    """Expand a protocol from `start` into sorted UTC session starts; `tz` is the zone its wall-clock times are in.

    Closed days are skipped and the course runs on until it has its prescribed number of sessions; consecutive-day
    shapes (accelerated, booster) skip weekends unless `days.include_weekends`."""
    match protocol:
        case StandardProtocol():
            starts = _expand_standard(protocol, start, tz, days)
        case AcceleratedProtocol():
            starts = _expand_accelerated(protocol, start, tz, days)
        case TaperProtocol():
            starts = _expand_taper(protocol, start, tz, days)
        case BoosterProtocol():
            starts = _expand_booster(protocol, start, tz, days)
        case CustomProtocol():
            starts = _expand_custom(protocol, tz, days)
        case _:
            raise TypeError(f"Unknown protocol type: {type(protocol).__name__}")
    return sorted(starts)


def check_no_overlap(
    new_start_utc: datetime,
    existing_starts_utc: Iterable[datetime],
    min_gap: timedelta = MIN_SESSION_GAP,
    *,
    tz: ZoneInfo | None = None,
) -> None:
    """Raise ProtocolError if a new or rescheduled session starts less than `min_gap` from an existing one.

    Exclude the session being rescheduled from `existing_starts_utc`. Starts exactly `min_gap` apart are allowed.
    `tz`, if given, is used only to show the clashing session in local time.
    """
    _require_aware(new_start_utc)
    for existing in sorted(existing_starts_utc):
        _require_aware(existing)
        if abs(new_start_utc - existing) < min_gap:
            shown = existing.astimezone(tz) if tz is not None else existing.astimezone(UTC)
            label = f"{shown:%Y-%m-%d %H:%M}" + ("" if tz is not None else " UTC")
            minutes = int(min_gap.total_seconds() // 60)
            raise ProtocolError(
                "scheduled_at",
                f"Another session starts at {label}; sessions must be at least {minutes} minutes apart.",
            )


def local_to_utc(day: date, wall_time: time, tz: ZoneInfo, *, field: str) -> datetime:
    """Convert a clinic wall-clock time to UTC; a time in a DST gap is an error, an ambiguous one takes fold=0."""
    local = datetime.combine(day, wall_time.replace(fold=0), tzinfo=tz)
    instant = local.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ProtocolError(
            field,
            f"{wall_time:%H:%M} does not exist on {day.isoformat()} in {tz.key} because the clocks go forward; "
            "choose another time for that day.",
        )
    return instant


def _expand_standard(protocol: StandardProtocol, start: date, tz: ZoneInfo, days: ClinicDays) -> list[datetime]:
    daily = open_days(start, protocol.daily_count, days, weekdays=protocol.weekdays)
    starts = [local_to_utc(day, protocol.local_time, tz, field="local_time") for day in daily]
    if protocol.taper:
        taper = TaperProtocol(protocol.taper, protocol.weekdays, protocol.local_time)
        starts += _expand_taper(taper, daily[-1] + timedelta(days=1), tz, days)
    return starts


def _expand_accelerated(protocol: AcceleratedProtocol, start: date, tz: ZoneInfo, days: ClinicDays) -> list[datetime]:
    """Later sessions keep their real spacing from the first, so on a DST day their wall-clock times shift."""
    starts: list[datetime] = []
    gap = timedelta(minutes=protocol.minutes_apart)
    for day in open_days(start, protocol.days, days):
        first = local_to_utc(day, protocol.first_session, tz, field="first_session")
        day_starts = [first + index * gap for index in range(protocol.sessions_per_day)]
        last_end = day_starts[-1] + MIN_SESSION_GAP
        if last_end.astimezone(tz) > datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz):
            raise ProtocolError(
                "minutes_apart",
                f"On {day.isoformat()} the clock change pushes the last session past midnight; start earlier.",
            )
        starts.extend(day_starts)
    return starts


def _expand_taper(protocol: TaperProtocol, start: date, tz: ZoneInfo, days: ClinicDays = ALL_OPEN) -> list[datetime]:
    """Taper weeks are 7-day blocks from the first preferred weekday on or after `start`; a closure inside a week
    takes the next open preferred day (which may be in the following week)."""
    first = _first_on_or_after(start, protocol.weekdays)
    chosen: list[date] = []
    for week, count in enumerate(protocol.sessions_per_week):
        block_start = first + timedelta(weeks=week)
        available = [
            day
            for day in (block_start + timedelta(days=offset) for offset in range(7))
            if day.weekday() in protocol.weekdays
        ]
        for day in _spread(available, count):
            if chosen and day <= chosen[-1]:
                day = chosen[-1] + timedelta(days=1)
            chosen.append(open_days(day, 1, days, weekdays=protocol.weekdays, field="local_time")[0])
    return [local_to_utc(day, protocol.local_time, tz, field="local_time") for day in chosen]


def _expand_booster(protocol: BoosterProtocol, start: date, tz: ZoneInfo, days: ClinicDays) -> list[datetime]:
    """A booster due on a closed day (or a weekend) moves to the next open day; the next keeps its own date."""
    step = timedelta(days=protocol.every) if protocol.unit is IntervalUnit.DAYS else timedelta(weeks=protocol.every)
    chosen: list[date] = []
    for index in range(protocol.sessions):
        day = start + index * step
        if chosen and day <= chosen[-1]:
            day = chosen[-1] + timedelta(days=1)
        chosen.append(open_days(day, 1, days)[0])
    return [local_to_utc(day, protocol.local_time, tz, field="local_time") for day in chosen]


def _expand_custom(protocol: CustomProtocol, tz: ZoneInfo, days: ClinicDays = ALL_OPEN) -> list[datetime]:
    """Custom sessions are explicit, so `start` does not filter them; they must not overlap each other or fall on a
    closure (weekends are allowed: the dates were typed on purpose)."""
    for value in protocol.local_datetimes:
        if value.date() in days.closed:
            raise ProtocolError("local_datetimes", f"The clinic is closed on {value.date().isoformat()}.")
    starts = sorted(
        local_to_utc(value.date(), value.time(), tz, field="local_datetimes") for value in protocol.local_datetimes
    )
    for earlier, later in zip(starts, starts[1:]):
        if later - earlier < MIN_SESSION_GAP:
            raise ProtocolError(
                "local_datetimes",
                f"Two sessions near {later.astimezone(tz):%Y-%m-%d %H:%M} are less than "
                f"{SESSION_MINUTES} minutes apart.",
            )
    return starts


def _spread(days: Sequence[date], count: int) -> list[date]:
    """Pick `count` of `days` as evenly as possible, keeping the first and last (3 of Mon-Fri: Mon, Wed, Fri)."""
    if count == 1:
        return [days[0]]
    last = len(days) - 1
    return [days[(2 * index * last + count - 1) // (2 * (count - 1))] for index in range(count)]


def _first_on_or_after(start: date, weekdays: frozenset[int]) -> date:
    return next(
        start + timedelta(days=offset) for offset in range(7) if (start + timedelta(days=offset)).weekday() in weekdays
    )


def _check_weekdays(weekdays: Iterable[int]) -> frozenset[int]:
    values = frozenset(weekdays)
    if not values:
        raise ProtocolError("weekdays", "Choose at least one weekday.")
    if any(not _is_int(day) or not 0 <= day <= 6 for day in values):
        raise ProtocolError("weekdays", "Weekdays run from 0 (Monday) to 6 (Sunday).")
    return values


def _check_count(field_name: str, value: int, low: int, high: int, label: str) -> None:
    if not _is_int(value) or not low <= value <= high:
        raise ProtocolError(field_name, f"{label} must be a whole number from {low} to {high}.")


def _check_wall_time(field_name: str, value: time) -> None:
    if not isinstance(value, time) or value.tzinfo is not None:
        raise ProtocolError(field_name, "Give a local wall-clock time, without a zone.")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _require_aware(value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("Session instants must be timezone-aware datetimes.")
