"""When a reminder may go out: local wall-clock times to UTC, quiet hours, and how late is too late.

Pure rules (no clock, no database). Local times follow the homework timing convention: a time inside a
spring-forward gap moves forward by the gap, and an ambiguous fall-back time means its first occurrence.
"""
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.models.push import ReminderKind
from app.validation import FieldError

STALE_AFTER: dict[ReminderKind, timedelta] = {
    ReminderKind.post_tms_window: timedelta(hours=2),
    ReminderKind.post_tms_nudge: timedelta(hours=1),
    ReminderKind.daily_checkin: timedelta(hours=4),
    ReminderKind.homework_due: timedelta(hours=4),
    ReminderKind.homework_overdue: timedelta(hours=6),
    ReminderKind.questionnaire_due: timedelta(hours=12),
    ReminderKind.safety_alert: timedelta(hours=24),
    ReminderKind.therapist_digest: timedelta(hours=3),
    ReminderKind.therapy_appointment: timedelta(hours=2),
    ReminderKind.test: timedelta(minutes=30),
}
"""A reminder not sent by due_at + this (clock down, push service refusing) is skipped: stale news is noise."""

BYPASSES_QUIET_HOURS = frozenset({ReminderKind.safety_alert, ReminderKind.test})
"""CLINICAL.md Safety: a therapist alert goes out at once; a test is what the person asked for just now."""


class QuietHoursError(FieldError):
    """Quiet hours that cannot work, with the field a form shows the message beside."""


@dataclass(frozen=True)
class QuietHours:
    """A nightly (or daytime) span of local wall-clock time with no notifications; may cross midnight."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise QuietHoursError("quiet_start", "Give local times, without a zone.")
        if self.start == self.end:
            raise QuietHoursError("quiet_end", "Quiet hours must start and end at different times.")

    def covers(self, wall: time) -> bool:
        if self.start < self.end:
            return self.start <= wall < self.end
        return wall >= self.start or wall < self.end


def local_instant(day: date, wall_time: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of a local date and wall time (DST: gap times move forward, repeated times are the first)."""
    return datetime.combine(day, wall_time.replace(fold=0), tzinfo=tz).astimezone(UTC)


def defer_past_quiet_hours(at: datetime, quiet: QuietHours | None, tz: ZoneInfo) -> datetime:
    """`at` itself when outside quiet hours, else the instant the quiet hours end (in the person's zone)."""
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    if quiet is None:
        return at
    local = at.astimezone(tz)
    wall = local.time().replace(tzinfo=None, fold=0)
    if not quiet.covers(wall):
        return at
    end_day = local.date() + timedelta(days=1) if quiet.start > quiet.end and wall >= quiet.start else local.date()
    end = local_instant(end_day, quiet.end, tz)
    if end <= at:
        end = datetime.combine(end_day, quiet.end.replace(fold=1), tzinfo=tz).astimezone(UTC)
    return max(end, at)


def release_time(kind: ReminderKind, due_at: datetime, quiet: QuietHours | None, tz: ZoneInfo) -> datetime:
    """When a reminder of `kind` due at `due_at` may be sent; safety alerts and tests ignore quiet hours."""
    if kind in BYPASSES_QUIET_HOURS:
        return due_at
    return defer_past_quiet_hours(due_at, quiet, tz)


def stale_at(kind: ReminderKind, due_at: datetime) -> datetime:
    return due_at + STALE_AFTER[kind]


QUIET_LEAD = timedelta(minutes=15)
"""A reminder moved ahead of quiet hours goes this long before they start, so it is read before bed."""


def quiet_span_start(at: datetime, quiet: QuietHours, tz: ZoneInfo) -> datetime:
    """The instant the quiet span containing `at` began (call only when `at` is inside quiet hours)."""
    local = at.astimezone(tz)
    wall = local.time().replace(tzinfo=None, fold=0)
    day = local.date() - timedelta(days=1) if quiet.start > quiet.end and wall < quiet.end else local.date()
    return local_instant(day, quiet.start, tz)


def fit_to_window(
    kind: ReminderKind,
    at: datetime,
    *,
    opens_at: datetime,
    closes_at: datetime,
    quiet: QuietHours | None,
    tz: ZoneInfo,
    now: datetime,
) -> datetime | None:
    """When to send a reminder planned for `at` about something open on [opens_at, closes_at), or None to drop it.

    A reminder never goes out once its window or due time has passed. Inside quiet hours: if the window outlasts
    them, the reminder waits for them to end; if it closes inside them, the reminder goes just before they start
    when the window is already open then (and that moment is not past), else it is dropped.
    """
    for value in (at, opens_at, closes_at, now):
        if value.tzinfo is None:
            raise ValueError("instants must be timezone-aware")
    at = max(at, now)  # a reminder planned for a moment already past goes now, if at all
    if at >= closes_at:
        return None
    if kind in BYPASSES_QUIET_HOURS or quiet is None:
        return at
    released = defer_past_quiet_hours(at, quiet, tz)
    if released == at:
        return at
    if released < closes_at:
        return released
    before = max(opens_at, quiet_span_start(at, quiet, tz) - QUIET_LEAD)
    quiet_start = quiet_span_start(at, quiet, tz)
    if before < quiet_start and before >= now and before < closes_at:
        return before
    return None
