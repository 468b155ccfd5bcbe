"""Homework timing: when each occurrence of an assignment opens, is reminded, falls due, and how it went.

CLINICAL.md: homework may be timed "within N hours after today's TMS session" (the post-TMS window, N set by the
therapist, default 4), after the day's last session on accelerated days, within N hours before each visit (OCD
provocation before deep TMS), in the gaps between sessions on accelerated days, daily or weekly, once, or on
non-TMS days. The therapist chooses per homework: nothing assumes "after" is right.

A visit's window belongs to the visit, not to the tap that records it: it opens when the session ends (its actual
start plus its length), however late staff mark it done.

Decisions, all instants UTC-aware and all intervals half-open:
- An occurrence is open on [opens_at, due_at); a completion exactly at due_at is late.
- It may be done late on [due_at, due_at + LATE_GRACE) (24 h for every kind); undone at due_at + LATE_GRACE it
  is missed.
- Local dates are the patient's: `tz` is the patient's zone, whatever zone the clinic schedules in.
- Day-based occurrences run from local midnight to the next local midnight (a 23 h or 25 h day on a clock change).
  A reminder time inside a spring-forward gap moves forward by the gap (09:00 is never affected; 02:30 becomes
  03:30 in New York); an ambiguous fall-back reminder uses the first occurrence (fold=0).
- Weekly: one occurrence per chosen weekday, due at the end of that weekday and open since the end of the previous
  one (seven local days, so every day belongs to one week); keyed by the ISO week of the due day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo
from app.validation import FieldError

LATE_GRACE = timedelta(hours=24)
"""Work done within a day of the due time still counts, as late; after that the occurrence is missed."""

DEFAULT_WINDOW_HOURS = 4
MIN_WINDOW_HOURS = 1
MAX_WINDOW_HOURS = 24


class TimingKind(StrEnum):
    POST_TMS = "post_tms"
    POST_LAST_TMS = "post_last_tms"
    DAILY = "daily"
    WEEKDAYS = "weekdays"
    WEEKLY = "weekly"
    ONCE = "once"
    NON_TMS_DAYS = "non_tms_days"
    PRE_TMS = "pre_tms"
    BETWEEN_TMS = "between_tms"


POST_TMS_KINDS = frozenset({TimingKind.POST_TMS, TimingKind.POST_LAST_TMS})
SESSION_KINDS = POST_TMS_KINDS | {TimingKind.PRE_TMS, TimingKind.BETWEEN_TMS}
"""Kinds whose occurrences hang off TMS sessions (their keys name a session or a day of sessions)."""
DAY_KINDS = frozenset({TimingKind.DAILY, TimingKind.WEEKDAYS, TimingKind.NON_TMS_DAYS})
_NEEDS_LOCAL_TIME = DAY_KINDS | {TimingKind.WEEKLY}


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    COMPLETED = "completed"
    MISSED = "missed"
    CANCELLED = "cancelled"


class OccurrenceStatus(StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    MISSED = "missed"


class TimingRuleError(FieldError):
    """A timing value a form should show beside `field`, with a message a therapist can act on."""


@dataclass(frozen=True)
class TimingRule:
    """When an assignment is due. Fields a kind does not use are ignored, so a form may leave them filled in."""

    kind: TimingKind
    window_hours: int = DEFAULT_WINDOW_HOURS
    local_time: time | None = None
    weekdays: frozenset[int] = frozenset()
    due_date: date | None = None

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "kind", TimingKind(self.kind))
        except ValueError as exc:
            raise TimingRuleError("kind", "Choose when this homework is due.") from exc
        weekdays = frozenset(self.weekdays)
        object.__setattr__(self, "weekdays", weekdays)
        hours = self.window_hours
        if not isinstance(hours, int) or isinstance(hours, bool) or not MIN_WINDOW_HOURS <= hours <= MAX_WINDOW_HOURS:
            raise TimingRuleError(
                "window_hours",
                f"The window must be a whole number of hours from {MIN_WINDOW_HOURS} to {MAX_WINDOW_HOURS}.",
            )
        local_time = self.local_time
        if local_time is not None and (not isinstance(local_time, time) or local_time.tzinfo is not None):
            raise TimingRuleError("local_time", "Give a local wall-clock time, without a zone.")
        if self.kind in _NEEDS_LOCAL_TIME and self.local_time is None:
            raise TimingRuleError("local_time", "Choose a reminder time.")
        if any(isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6 for day in weekdays):
            raise TimingRuleError("weekdays", "Weekdays run from 0 (Monday) to 6 (Sunday).")
        if self.kind is TimingKind.WEEKDAYS and not weekdays:
            raise TimingRuleError("weekdays", "Choose at least one weekday.")
        if self.kind is TimingKind.WEEKLY and len(weekdays) != 1:
            raise TimingRuleError("weekdays", "Choose the one weekday the weekly homework is due.")
        if self.kind is TimingKind.ONCE and not _is_date(self.due_date):
            raise TimingRuleError("due_date", "Choose a due date.")


@dataclass(frozen=True)
class RuleVersion:
    """A timing rule in force from `effective_from` (a patient-local date) until the next version's date."""

    effective_from: date
    rule: TimingRule

    def __post_init__(self) -> None:
        if not _is_date(self.effective_from):
            raise TimingRuleError("effective_from", "Give the date this timing takes effect.")


@dataclass(frozen=True)
class SessionFact:
    """What the timing engine needs to know about one TMS session.

    `started_at_utc` is the visit's actual start (staff enter it); `duration` its chair time. Without an actual
    start (facts from before visits had one) the recorded completion time stands in for the session's end.
    """

    id: int | str
    scheduled_at_utc: datetime
    status: SessionStatus
    completed_at_utc: datetime | None = None
    started_at_utc: datetime | None = None
    duration: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", SessionStatus(self.status))
        _require_aware(self.scheduled_at_utc)
        if (self.status is SessionStatus.COMPLETED) != (self.completed_at_utc is not None):
            raise ValueError("A session has completed_at_utc exactly when its status is completed.")
        if self.completed_at_utc is not None:
            _require_aware(self.completed_at_utc)
        if self.started_at_utc is not None:
            _require_aware(self.started_at_utc)
        if self.duration < timedelta(0):
            raise ValueError("A session cannot last a negative time.")

    @property
    def starts_at(self) -> datetime:
        """The actual start when known, else the booked one."""
        return (self.started_at_utc or self.scheduled_at_utc).astimezone(UTC)

    @property
    def ends_at(self) -> datetime | None:
        """When a completed session ended (its post-TMS window opens then); None if it was not completed."""
        if self.completed_at_utc is None:
            return None
        if self.started_at_utc is None:
            return self.completed_at_utc.astimezone(UTC)
        return self.starts_at + self.duration


@dataclass(frozen=True)
class Occurrence:
    """One due instance of an assignment; `key` is stable and unique within the assignment (store completions by it)."""

    key: str
    kind: TimingKind
    local_date: date
    opens_at: datetime
    remind_at: datetime
    due_at: datetime
    session_id: int | str | None = None

    @property
    def late_until(self) -> datetime:
        """First instant at which undone work is missed (exclusive end of the late period)."""
        return self.due_at + LATE_GRACE


@dataclass(frozen=True)
class Adherence:
    """Counts of decided and open occurrences; upcoming ones are not counted."""

    on_time: int
    late: int
    missed: int
    open: int

    @property
    def done(self) -> int:
        return self.on_time + self.late

    @property
    def rate(self) -> float | None:
        """Share of decided occurrences that were done (late counts as done); None while nothing is decided."""
        decided = self.done + self.missed
        return None if decided == 0 else self.done / decided


def expand_occurrences(
    versions: Sequence[RuleVersion],
    *,
    start: date,
    end: date | None,
    sessions: Sequence[SessionFact],
    tz: ZoneInfo,
    through: date,
) -> list[Occurrence]:
    """All occurrences whose local_date lies in [start, min(end, through)], sorted by opening time.

    Each local date follows the version in force that day, so an edit never rewrites earlier occurrences; dates
    before the first version's effective_from have none. `local_date` is the day an occurrence belongs to: the
    session's local day for post-TMS kinds, the day itself for day-based kinds, and the opening day for weekly and
    once (so open work is listed before it falls due). Weekly and once due times are cut back to the end of `end`.
    """
    ordered = _ordered(versions)
    last = through if end is None else min(end, through)
    sessions_by_day = _sessions_by_local_day(sessions, tz)
    occurrences: list[Occurrence] = []
    weekly = _WeeklyState()
    once: _OncePlan | None = None
    for version, first_day, last_day in _periods(ordered, start, last):
        rule = version.rule
        if rule.kind is TimingKind.POST_TMS:
            occurrences.extend(_post_tms(rule, first_day, last_day, sessions_by_day))
        elif rule.kind is TimingKind.POST_LAST_TMS:
            occurrences.extend(_post_last_tms(rule, first_day, last_day, sessions_by_day))
        elif rule.kind is TimingKind.PRE_TMS:
            occurrences.extend(_pre_tms(rule, first_day, last_day, sessions_by_day))
        elif rule.kind is TimingKind.BETWEEN_TMS:
            occurrences.extend(_between_tms(rule, first_day, last_day, sessions_by_day))
        elif rule.kind in DAY_KINDS:
            occurrences.extend(_day_based(rule, first_day, last_day, sessions_by_day, tz))
        elif rule.kind is TimingKind.WEEKLY:
            occurrences.extend(weekly.expand(rule, first_day, last_day, end, tz))
        else:
            once = _plan_once(once, version, first_day)
    if once is not None:
        occurrences.append(once.occurrence(end, tz))
    return sorted(occurrences, key=lambda occurrence: (occurrence.opens_at, occurrence.due_at, occurrence.key))


def classify(occurrence: Occurrence, completed_at: datetime | None, now: datetime) -> OccurrenceStatus:
    """Status of an occurrence given its matched completion (if any) at `now`; see the module's boundary rules."""
    _require_aware(now)
    if completed_at is not None:
        _require_aware(completed_at)
        if completed_at < occurrence.due_at:
            return OccurrenceStatus.DONE_ON_TIME
        if completed_at < occurrence.late_until:
            return OccurrenceStatus.DONE_LATE
        return OccurrenceStatus.MISSED
    if now < occurrence.opens_at:
        return OccurrenceStatus.UPCOMING
    if now < occurrence.late_until:
        return OccurrenceStatus.OPEN
    return OccurrenceStatus.MISSED


def match_completion(
    occurrences: Iterable[Occurrence], at: datetime, *, completed_keys: Iterable[str] = ()
) -> Occurrence | None:
    """The occurrence a completion recorded at `at` belongs to, skipping `completed_keys`; never a future one.

    An open occurrence wins (the one closing soonest, so overlapping post-TMS windows fill in order); otherwise the
    most recently due one still within its late grace; otherwise None.
    """
    _require_aware(at)
    done = frozenset(completed_keys)
    candidates = [occ for occ in occurrences if occ.key not in done and occ.opens_at <= at]
    open_now = [occ for occ in candidates if at < occ.due_at]
    if open_now:
        return min(open_now, key=lambda occ: (occ.due_at, occ.opens_at, occ.key))
    late = [occ for occ in candidates if occ.due_at <= at < occ.late_until]
    if late:
        return max(late, key=lambda occ: (occ.due_at, occ.opens_at, occ.key))
    return None


def summarize(statuses: Iterable[OccurrenceStatus]) -> Adherence:
    """Adherence counts for a set of classified occurrences; open ones (late work still possible) are not missed yet."""
    counts = {status: 0 for status in OccurrenceStatus}
    for status in statuses:
        counts[OccurrenceStatus(status)] += 1
    return Adherence(
        on_time=counts[OccurrenceStatus.DONE_ON_TIME],
        late=counts[OccurrenceStatus.DONE_LATE],
        missed=counts[OccurrenceStatus.MISSED],
        open=counts[OccurrenceStatus.OPEN],
    )


def open_post_tms_windows(
    occurrences: Iterable[Occurrence], now: datetime, *, completed_keys: Iterable[str] = ()
) -> list[Occurrence]:
    """Post-TMS windows open at `now` and not yet done, soonest closing first; each closes at its due_at."""
    _require_aware(now)
    done = frozenset(completed_keys)
    return sorted(
        (
            occ
            for occ in occurrences
            if occ.kind in POST_TMS_KINDS and occ.key not in done and occ.opens_at <= now < occ.due_at
        ),
        key=lambda occ: (occ.due_at, occ.key),
    )


def _post_tms(
    rule: TimingRule, first_day: date, last_day: date, sessions_by_day: dict[date, list[SessionFact]]
) -> Iterator[Occurrence]:
    """A window opens when a completed session ended (actual start + length), however late it was recorded.

    Scheduled, missed and cancelled sessions open none.
    """
    for day in _days(first_day, last_day):
        for session in sessions_by_day.get(day, []):
            if session.completed_at_utc is not None:
                yield _window(f"tms:{session.id}", rule, day, session)


def _post_last_tms(
    rule: TimingRule, first_day: date, last_day: date, sessions_by_day: dict[date, list[SessionFact]]
) -> Iterator[Occurrence]:
    """Accelerated days: the window opens after the day's last delivered session, once no session that day is
    still to come; missed and cancelled sessions after it do not take the window away."""
    for day in _days(first_day, last_day):
        held = [
            session
            for session in sessions_by_day.get(day, [])
            if session.status in (SessionStatus.SCHEDULED, SessionStatus.COMPLETED)
        ]
        if held and held[-1].completed_at_utc is not None:
            yield _window(f"day:{day.isoformat()}", rule, day, held[-1])


def _pre_tms(
    rule: TimingRule, first_day: date, last_day: date, sessions_by_day: dict[date, list[SessionFact]]
) -> Iterator[Occurrence]:
    """Within N hours before each visit (for example symptom provocation before deep TMS for OCD): open from
    N hours before the visit's start (actual if recorded, else booked) until it starts. Cancelled visits have none."""
    for day in _days(first_day, last_day):
        for session in sessions_by_day.get(day, []):
            if session.status is SessionStatus.CANCELLED:
                continue
            due_at = session.starts_at
            opens_at = due_at - timedelta(hours=rule.window_hours)
            yield Occurrence(
                key=f"pre:{session.id}",
                kind=rule.kind,
                local_date=day,
                opens_at=opens_at,
                remind_at=opens_at,
                due_at=due_at,
                session_id=session.id,
            )


def _between_tms(
    rule: TimingRule, first_day: date, last_day: date, sessions_by_day: dict[date, list[SessionFact]]
) -> Iterator[Occurrence]:
    """Accelerated days: the gap after each delivered session until the next one starts is the only window
    (CLINICAL.md: about 50 minutes). `window_hours` caps a long gap. The last session of a day opens no gap."""
    for day in _days(first_day, last_day):
        held = [s for s in sessions_by_day.get(day, []) if s.status is not SessionStatus.CANCELLED]
        for session, following in zip(held, held[1:]):
            opens_at = session.ends_at
            if opens_at is None:
                continue
            due_at = min(following.starts_at, opens_at + timedelta(hours=rule.window_hours))
            if due_at <= opens_at:
                continue
            yield Occurrence(
                key=f"gap:{session.id}",
                kind=rule.kind,
                local_date=day,
                opens_at=opens_at,
                remind_at=opens_at,
                due_at=due_at,
                session_id=session.id,
            )


def _window(key: str, rule: TimingRule, day: date, session: SessionFact) -> Occurrence:
    opens_at = session.ends_at
    assert opens_at is not None
    return Occurrence(
        key=key,
        kind=rule.kind,
        local_date=day,
        opens_at=opens_at,
        remind_at=opens_at,
        due_at=opens_at + timedelta(hours=rule.window_hours),
        session_id=session.id,
    )


def _day_based(
    rule: TimingRule,
    first_day: date,
    last_day: date,
    sessions_by_day: dict[date, list[SessionFact]],
    tz: ZoneInfo,
) -> Iterator[Occurrence]:
    """Non-TMS days are days without a non-cancelled session (a missed session still made it a TMS day)."""
    assert rule.local_time is not None
    for day in _days(first_day, last_day):
        if rule.kind is TimingKind.WEEKDAYS and day.weekday() not in rule.weekdays:
            continue
        if rule.kind is TimingKind.NON_TMS_DAYS and any(
            session.status is not SessionStatus.CANCELLED for session in sessions_by_day.get(day, [])
        ):
            continue
        yield Occurrence(
            key=f"day:{day.isoformat()}",
            kind=rule.kind,
            local_date=day,
            opens_at=_start_of_day(day, tz),
            remind_at=_wall_to_utc(day, rule.local_time, tz),
            due_at=_start_of_day(day + timedelta(days=1), tz),
        )


class _WeeklyState:
    """Weekly occurrences across versions: windows never overlap and each ISO week is used at most once, so a
    weekday changed mid-week takes effect from the next ISO week."""

    def __init__(self) -> None:
        self.covered_until: date | None = None
        self.used_weeks: set[tuple[int, int]] = set()

    def expand(
        self, rule: TimingRule, first_day: date, last_day: date, end: date | None, tz: ZoneInfo
    ) -> Iterator[Occurrence]:
        assert rule.local_time is not None
        (weekday,) = rule.weekdays
        earliest = first_day if self.covered_until is None else max(first_day, self.covered_until + timedelta(days=1))
        due_day = earliest + timedelta(days=(weekday - earliest.weekday()) % 7)
        while (open_day := max(due_day - timedelta(days=6), earliest)) <= last_day:
            iso = due_day.isocalendar()
            if (iso.year, iso.week) not in self.used_weeks:
                self.used_weeks.add((iso.year, iso.week))
                self.covered_until = due_day
                cut_day = due_day if end is None else min(due_day, end)
                yield Occurrence(
                    key=f"week:{iso.year}-W{iso.week:02d}",
                    kind=TimingKind.WEEKLY,
                    local_date=open_day,
                    opens_at=_start_of_day(open_day, tz),
                    remind_at=_wall_to_utc(cut_day, rule.local_time, tz),
                    due_at=_start_of_day(cut_day + timedelta(days=1), tz),
                )
            due_day += timedelta(days=7)


@dataclass(frozen=True)
class _OncePlan:
    open_day: date
    rule: TimingRule

    def occurrence(self, end: date | None, tz: ZoneInfo) -> Occurrence:
        assert self.rule.due_date is not None
        due_day = self.rule.due_date if end is None else min(self.rule.due_date, end)
        opens_at = _start_of_day(self.open_day, tz)
        remind_at = opens_at if self.rule.local_time is None else _wall_to_utc(due_day, self.rule.local_time, tz)
        return Occurrence(
            key="once",
            kind=TimingKind.ONCE,
            local_date=self.open_day,
            opens_at=opens_at,
            remind_at=remind_at,
            due_at=_start_of_day(due_day + timedelta(days=1), tz),
        )


def _plan_once(current: _OncePlan | None, version: RuleVersion, first_day: date) -> _OncePlan | None:
    """An assignment has one 'once' occurrence: an edit made while it is still pending moves its due date; a once
    version taking effect after it was already due leaves that history alone (set a new assignment instead)."""
    due_date = version.rule.due_date
    assert due_date is not None
    if due_date < first_day:
        raise TimingRuleError("due_date", f"The due date {due_date.isoformat()} is before the homework starts.")
    if current is None:
        return _OncePlan(open_day=first_day, rule=version.rule)
    assert current.rule.due_date is not None
    if version.effective_from <= current.rule.due_date:
        return _OncePlan(open_day=current.open_day, rule=version.rule)
    return current


def _ordered(versions: Sequence[RuleVersion]) -> list[RuleVersion]:
    ordered = sorted(versions, key=lambda version: version.effective_from)
    for earlier, later in zip(ordered, ordered[1:]):
        if earlier.effective_from == later.effective_from:
            raise TimingRuleError(
                "effective_from", f"Two timing versions take effect on {later.effective_from.isoformat()}."
            )
    return ordered


def _periods(ordered: list[RuleVersion], start: date, last: date) -> Iterator[tuple[RuleVersion, date, date]]:
    """Each version with the first and last local dates it governs inside [start, last]."""
    for index, version in enumerate(ordered):
        first_day = max(version.effective_from, start)
        last_day = last
        if index + 1 < len(ordered):
            last_day = min(last, ordered[index + 1].effective_from - timedelta(days=1))
        if first_day <= last_day:
            yield version, first_day, last_day


def _sessions_by_local_day(sessions: Iterable[SessionFact], tz: ZoneInfo) -> dict[date, list[SessionFact]]:
    by_day: defaultdict[date, list[SessionFact]] = defaultdict(list)
    for session in sorted(sessions, key=lambda session: session.scheduled_at_utc):
        by_day[session.scheduled_at_utc.astimezone(tz).date()].append(session)
    return dict(by_day)


def _days(first_day: date, last_day: date) -> Iterator[date]:
    for offset in range((last_day - first_day).days + 1):
        yield first_day + timedelta(days=offset)


def _start_of_day(day: date, tz: ZoneInfo) -> datetime:
    """First instant of a local day; where midnight falls in a DST gap, fold=0 gives the instant the gap ends."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def _wall_to_utc(day: date, wall_time: time, tz: ZoneInfo) -> datetime:
    """Reminder instant: fold=0, so a time in a spring-forward gap moves forward by the gap and never fails."""
    return datetime.combine(day, wall_time.replace(fold=0), tzinfo=tz).astimezone(UTC)


def _is_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _require_aware(value: datetime) -> None:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("Instants must be timezone-aware datetimes.")
