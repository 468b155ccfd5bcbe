"""Rules for a visit's actual start, pure: staff enter when a visit really began, and these decide whether that
time can be true. All instants UTC-aware; `now` is passed in."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.validation import FieldError

SLACK = timedelta(days=1)
"""A visit may have started up to a day outside the booked day's opening hours (a late-running list, a visit
recorded against the wrong booking); further than that it is a different visit: move or add one instead."""


class VisitTimeError(FieldError):
    """An actual start that cannot be true, shown beside the field staff typed it in."""


def check_actual_start(
    started: datetime,
    *,
    scheduled: datetime,
    course_start: date,
    tz: ZoneInfo,
    opens_at: time,
    closes_at: time,
    now: datetime,
    field: str = "started_at",
) -> None:
    """Refuse a start in the future, before the course's first day, or more than a day outside clinic hours on the
    booked day (all in clinic time)."""
    if started.tzinfo is None:
        raise ValueError("started must be timezone-aware")
    if started > now:
        raise VisitTimeError(field, "A visit can't have started in the future. Enter the time it really began.")
    local = started.astimezone(tz)
    if local.date() < course_start:
        raise VisitTimeError(field, f"That is before this course began on {course_start.isoformat()}.")
    booked_day = scheduled.astimezone(tz).date()
    earliest = datetime.combine(booked_day, opens_at, tzinfo=tz) - SLACK
    latest = datetime.combine(booked_day, closes_at, tzinfo=tz) + SLACK
    if not earliest <= local <= latest:
        raise VisitTimeError(
            field,
            f"That is more than a day outside clinic hours ({opens_at:%H:%M}–{closes_at:%H:%M}) on the booked day, "
            f"{booked_day.isoformat()}. Move the visit or add a session instead.",
        )


def patient_reported_start(scheduled: datetime, now: datetime, length: timedelta) -> datetime:
    """A patient saying "I've just had my TMS" at `now`: the visit began at its booked time, or, if they confirm
    before that, one session-length ago (so the window is open when they are told it is)."""
    return min(scheduled, now - length)
