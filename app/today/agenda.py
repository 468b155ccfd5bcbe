"""What the patient's Today screen shows, computed from already-loaded data (no queries, no clock inside)."""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from app.homework import timing
from app.homework.schedule import OccurrenceView, PatientHomework
from app.models import TmsSession

OPEN = (timing.OccurrenceStatus.OPEN,)
DONE = (timing.OccurrenceStatus.DONE_ON_TIME, timing.OccurrenceStatus.DONE_LATE)


@dataclass(frozen=True)
class Window:
    """A post-TMS practice window: open since the visit was marked done, until `closes_at`."""

    session: TmsSession | None
    opened_at: datetime
    closes_at: datetime
    items: list[OccurrenceView]


@dataclass
class Agenda:
    today: date
    sessions_today: list[TmsSession] = field(default_factory=list)
    windows: list[Window] = field(default_factory=list)
    after_tms: list = field(default_factory=list)
    due_today: list[OccurrenceView] = field(default_factory=list)
    catch_up: list[OccurrenceView] = field(default_factory=list)
    done_today: list[OccurrenceView] = field(default_factory=list)
    next_sessions: list[TmsSession] = field(default_factory=list)


def _local_date(instant: datetime, homework: PatientHomework) -> date:
    return instant.astimezone(homework.tz).date()


def build_agenda(homework: PatientHomework, now: datetime, *, shown_elsewhere: frozenset = frozenset()) -> Agenda:
    """Today's sessions, open post-TMS windows with what belongs in them, other tasks in time order, what's done,
    late work still worth doing (only for homework with nothing due today: yesterday's daily task is not
    repeated next to today's), and the next visit. Kinds in `shown_elsewhere` (the check-ins card lists the daily
    check-in and due questionnaires) are left out of the task lists so nothing appears twice."""
    today = _local_date(now, homework)
    agenda = Agenda(today=today)
    live = [s for s in homework.sessions if s.status != timing.SessionStatus.CANCELLED]
    agenda.sessions_today = [s for s in live if _local_date(s.scheduled_at, homework) == today]
    upcoming = [s for s in live if _local_date(s.scheduled_at, homework) > today and s.status == timing.SessionStatus.SCHEDULED]
    if upcoming:
        next_day = _local_date(upcoming[0].scheduled_at, homework)
        agenda.next_sessions = [s for s in upcoming if _local_date(s.scheduled_at, homework) == next_day]

    views = homework.views(through=today + timedelta(days=1), now=now, since=today - timedelta(days=2))
    sessions_by_id = {s.id: s for s in homework.sessions}
    windows: dict[object, list[OccurrenceView]] = {}
    for view in views:
        if view.assignment.kind in shown_elsewhere and view.status not in DONE:
            continue
        occ = view.occurrence
        if view.status in DONE and view.completion and _local_date(view.completion.completed_at, homework) == today:
            agenda.done_today.append(view)
        elif view.status in OPEN and occ.kind in timing.POST_TMS_KINDS and occ.opens_at <= now < occ.due_at:
            windows.setdefault((occ.session_id, occ.opens_at), []).append(view)
        elif view.status in OPEN and now >= occ.due_at:
            agenda.catch_up.append(view)
        elif view.status in (*OPEN, timing.OccurrenceStatus.UPCOMING) and occ.local_date == today and occ.kind not in timing.POST_TMS_KINDS:
            agenda.due_today.append(view)
    today_keys = {(v.assignment.id, v.occurrence.key) for v in views if v.occurrence.local_date == today}
    agenda.catch_up = [
        v for v in agenda.catch_up
        if not any(a == v.assignment.id and k != v.occurrence.key for a, k in today_keys)
    ]
    agenda.windows = sorted(
        (
            Window(sessions_by_id.get(session_id), opened_at, max(v.occurrence.due_at for v in items), items)
            for (session_id, opened_at), items in windows.items()
        ),
        key=lambda w: w.closes_at,
    )
    agenda.due_today.sort(key=lambda v: (v.occurrence.remind_at, v.assignment.id))

    pending_today = any(s.status == timing.SessionStatus.SCHEDULED for s in agenda.sessions_today)
    if pending_today:
        agenda.after_tms = [
            a for a in homework.assignments
            if _post_tms_today(homework, a.id, today) and a.start_date <= today and (a.end_date is None or a.end_date >= today)
        ]
    return agenda


def _post_tms_today(homework: PatientHomework, assignment_id: int, today: date) -> bool:
    """Whether the assignment's timing in force today is a post-TMS one."""
    rows = [t for t in homework.timings.get(assignment_id, []) if t.effective_from <= today]
    return bool(rows) and rows[-1].kind in timing.POST_TMS_KINDS
