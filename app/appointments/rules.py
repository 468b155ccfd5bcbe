"""Pure scheduling rules for therapy appointments (no clock, no database): which slot the form suggests, and the
weekly series a repeat makes. Times are clinic wall-clock times.

CLINICAL.md: most combined programmes sequence TMS in the morning and therapy in the afternoon of the same day
(TMS effects on plasticity are thought to last several hours); some interleave TMS days with therapy days.
"""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

AFTERNOON = time(14, 0)
"""The earliest suggested start on a TMS day: the afternoon after the morning visit."""
GAP_AFTER_TMS = timedelta(hours=1)
"""Time to leave the chair, eat and get to therapy after the day's last visit."""
NON_TMS_DAY_START = time(10, 0)
SEARCH_DAYS = 28
"""How far ahead a suggestion looks before it gives up and offers the first day."""
MAX_WEEKS = 26


class Pattern(StrEnum):
    same_day = "same_day"
    """Therapy in the afternoon of a TMS day."""
    interleaved = "interleaved"
    """Therapy on a weekday without TMS."""


@dataclass(frozen=True)
class Slot:
    day: date
    start: time


def _round_up(moment: datetime, minutes: int = 30) -> datetime:
    extra = (-moment.minute) % minutes
    return (moment + timedelta(minutes=extra)).replace(second=0, microsecond=0)


def suggest_slot(tms_visits: Iterable[datetime], *, pattern: Pattern, first_day: date, visit_minutes: int,
                 appointment_minutes: int, closes_at: time, closed: frozenset[date] = frozenset()) -> Slot:
    """The first slot on or after `first_day`: an afternoon after the day's last TMS visit (same_day), or a
    weekday without TMS (interleaved). `tms_visits` are the patient's booked visits in clinic wall-clock time;
    a slot must end by the clinic's closing time and never falls on a closed day or a weekend."""
    by_day: dict[date, list[datetime]] = {}
    for visit in tms_visits:
        by_day.setdefault(visit.date(), []).append(visit)
    for offset in range(SEARCH_DAYS):
        day = first_day + timedelta(days=offset)
        if day.weekday() >= 5 or day in closed:
            continue
        visits = by_day.get(day)
        if pattern == Pattern.interleaved:
            if not visits:
                return Slot(day, NON_TMS_DAY_START)
            continue
        if not visits:
            continue
        after = _round_up(max(visits) + timedelta(minutes=visit_minutes) + GAP_AFTER_TMS)
        start = max(after, datetime.combine(day, AFTERNOON))
        if start + timedelta(minutes=appointment_minutes) <= datetime.combine(day, closes_at) and start.date() == day:
            return Slot(day, start.time())
    fallback = first_day
    while fallback.weekday() >= 5 or fallback in closed:
        fallback += timedelta(days=1)
    return Slot(fallback, AFTERNOON if pattern == Pattern.same_day else NON_TMS_DAY_START)


def weekly_days(first: date, weeks: int) -> list[date]:
    """The series a repeat makes: the same weekday for `weeks` weeks (1 is a single appointment)."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks must be from 1 to {MAX_WEEKS}")
    return [first + timedelta(weeks=n) for n in range(weeks)]


def previous_appointment_day(starts: Iterable[datetime], today: date) -> date | None:
    """The local day of the last appointment before today (`starts` are local, cancelled ones left out)."""
    earlier = [start.date() for start in starts if start.date() < today]
    return max(earlier) if earlier else None


@dataclass(frozen=True)
class Busy:
    """A stretch of time the patient or the therapist is already taken: `what` says by what (for the message)."""

    start: datetime
    minutes: int
    what: str


def first_clash(start: datetime, minutes: int, busy: Iterable[Busy]) -> Busy | None:
    """The earliest booking that overlaps [start, start + minutes), else None: back-to-back is fine (a therapy
    session may begin as the TMS visit ends, the same-day sequential pattern)."""
    end = start + timedelta(minutes=minutes)
    overlapping = [b for b in busy if b.start < end and start < b.start + timedelta(minutes=b.minutes)]
    return min(overlapping, key=lambda b: b.start, default=None)
