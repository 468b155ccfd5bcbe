"""Load assignments, TMS sessions and completions for patients in a constant number of queries, and turn them
into dated occurrences with a status (via the pure rules in timing.py)."""
from collections import defaultdict, namedtuple
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.homework import timing
from app.models import User
from app.models.homework import Assignment, AssignmentTiming, HomeworkCompletion
from app.models.tms import DEFAULT_SESSION_MINUTES, TmsCourse, TmsSession
from app.validation import whole_number


HORIZON_MARGIN = timedelta(days=3)
"""Loaded before a horizon: a post-TMS window (up to 24 h) plus the late grace (24 h), across any time zone."""
CALENDAR_KINDS = frozenset({timing.TimingKind.WEEKLY, timing.TimingKind.ONCE})
"""Kinds whose first occurrence depends on the assignment's start, so they always expand from it (cheap anyway)."""


def parse_weekdays(raw: str) -> frozenset[int]:
    return frozenset(day for day in map(whole_number, raw.split(",")) if day is not None)


def format_weekdays(days) -> str:
    return ",".join(str(d) for d in sorted(days))


def rule_of(row: AssignmentTiming) -> timing.TimingRule:
    return timing.TimingRule(
        kind=row.kind,
        window_hours=row.window_hours,
        local_time=row.local_time,
        weekdays=parse_weekdays(row.weekdays),
        due_date=row.due_date,
    )


def session_fact(session: TmsSession, minutes: int = DEFAULT_SESSION_MINUTES) -> timing.SessionFact:
    """`minutes` is the course's session length: the visit's windows open at its actual start plus this."""
    return timing.SessionFact(
        id=session.id,
        scheduled_at_utc=session.scheduled_at,
        status=session.status,
        completed_at_utc=session.completed_at,
        started_at_utc=session.started_at,
        duration=timedelta(minutes=minutes),
    )


@dataclass(frozen=True)
class OccurrenceView:
    """An occurrence of an assignment as a person sees it: when, its status, and the completion if done."""

    assignment: Assignment
    occurrence: timing.Occurrence
    status: timing.OccurrenceStatus
    completion: HomeworkCompletion | None


@dataclass
class PatientHomework:
    """Everything the timing rules need for one patient, loaded in bulk."""

    patient: User
    assignments: list[Assignment]
    timings: dict[int, list[AssignmentTiming]]
    sessions: list[TmsSession]
    completions: dict[int, dict[str, HomeworkCompletion]]
    horizon: date | None = None
    session_minutes: dict[int, int] = field(default_factory=dict)
    """Each loaded session's course length in minutes, by session id."""
    _expanded: dict[int, tuple[date, list[timing.Occurrence]]] = field(default_factory=dict, init=False, repr=False)

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.patient.timezone)

    @cached_property
    def session_facts(self) -> list[timing.SessionFact]:
        """Built once per patient, not once per assignment."""
        return [session_fact(s, self.session_minutes.get(s.id, DEFAULT_SESSION_MINUTES)) for s in self.sessions]

    def occurrences(self, assignment: Assignment, *, through: date) -> list[timing.Occurrence]:
        """Expanded once per assignment: a later call through an earlier date filters the longer expansion (an
        expansion holds exactly the occurrences whose local_date is at most `through`), so Today's agenda and its
        due questionnaires share one expansion."""
        expanded = self._expanded.get(assignment.id)
        if expanded is None or expanded[0] < through:
            expanded = (through, self._expand(assignment, through))
            self._expanded[assignment.id] = expanded
        if expanded[0] == through:
            return expanded[1]
        return [occ for occ in expanded[1] if occ.local_date <= through]

    def _expand(self, assignment: Assignment, through: date) -> list[timing.Occurrence]:
        versions = [timing.RuleVersion(t.effective_from, rule_of(t)) for t in self.timings.get(assignment.id, [])]
        if not versions:
            return []
        start = assignment.start_date
        if self.horizon is not None and not any(v.rule.kind in CALENDAR_KINDS for v in versions):
            start = max(start, self.horizon - HORIZON_MARGIN)
        return timing.expand_occurrences(
            versions,
            start=start,
            end=assignment.end_date,
            sessions=self.session_facts,
            tz=self.tz,
            through=through,
        )

    def views(self, *, through: date, now: datetime, since: date | None = None) -> list[OccurrenceView]:
        """Every occurrence with local_date in [since, through], classified at `now`, in time order."""
        result = []
        for assignment in self.assignments:
            done = self.completions.get(assignment.id, {})
            for occ in self.occurrences(assignment, through=through):
                if since is not None and occ.local_date < since:
                    continue
                completion = done.get(occ.key)
                status = timing.classify(occ, completion.completed_at if completion else None, now)
                result.append(OccurrenceView(assignment, occ, status, completion))
        result.sort(key=lambda v: (v.occurrence.due_at, v.occurrence.opens_at, v.assignment.id))
        return result


def _plain_row(model) -> type:
    """A read-only tuple with the model's column names as attributes: what the rules read, without an ORM object."""
    return namedtuple(f"{model.__name__}Row", [column.name for column in model.__table__.c])


PLAIN = {model: _plain_row(model) for model in (Assignment, AssignmentTiming, HomeworkCompletion, TmsSession)}


def _loader(plain: bool):
    """(what to select for a model, how to turn a result row's slice into the object the rules read)."""
    if not plain:
        return (lambda model: model), (lambda model, values: values[0])
    return (lambda model: model.__table__), (lambda model, values: PLAIN[model]._make(values))


def load_homework(
    db: Session, patients: list[User], *, active_on: date | None = None, horizon: date | None = None,
    plain: bool = False,
) -> dict[int, PatientHomework]:
    """Bulk-load for many patients (three queries however many patients): no query per patient or per assignment.

    With `active_on`, assignments that ended before that date are left out. With `horizon`, only what occurrences
    from that date on need is loaded and expanded (a caseload looks at a week, not at a whole course): callers
    must not ask for views before it. With `plain`, rows come as read-only named tuples with the same attribute
    names instead of ORM objects (several times cheaper to build: the reminder planner reads thousands and changes
    none).
    """
    ids = [p.id for p in patients]
    if not ids:
        return {}
    source, make = _loader(plain)
    width = len(Assignment.__table__.c) if plain else 1
    query = (
        select(source(Assignment), source(AssignmentTiming))
        .outerjoin(AssignmentTiming, AssignmentTiming.assignment_id == Assignment.id)
        .where(Assignment.patient_id.in_(ids))
    )
    if active_on is not None:
        query = query.where((Assignment.end_date.is_(None)) | (Assignment.end_date >= active_on))
    assignments: dict[int, Assignment] = {}
    timings: dict[int, list[AssignmentTiming]] = defaultdict(list)
    for row in db.execute(query.order_by(Assignment.id, AssignmentTiming.effective_from)):
        assignment = make(Assignment, row[:width])
        assignment = assignments.setdefault(assignment.id, assignment)
        version = row[width:]
        if version[0] is not None:
            timings[assignment.id].append(make(AssignmentTiming, version))
    completions: dict[int, dict[str, HomeworkCompletion]] = defaultdict(dict)
    if assignments:
        done = select(source(HomeworkCompletion)).where(HomeworkCompletion.assignment_id.in_(list(assignments)))
        if horizon is not None:
            done = done.where(HomeworkCompletion.completed_at >= _utc_midnight(horizon - HORIZON_MARGIN))
        for values in db.execute(done):
            row = make(HomeworkCompletion, values)
            completions[row.assignment_id][row.occurrence_key] = row
    sessions: dict[int, list[TmsSession]] = defaultdict(list)
    minutes: dict[int, int] = {}
    visits = (
        select(source(TmsSession), TmsCourse.session_minutes)
        .join(TmsCourse, TmsCourse.id == TmsSession.course_id)
        .where(TmsSession.patient_id.in_(ids), TmsCourse.patient_id.in_(ids))  # twice: courses by index, not all
    )
    if horizon is not None:
        visits = visits.where(TmsSession.scheduled_at >= _utc_midnight(horizon - HORIZON_MARGIN))
    for values in db.execute(visits.order_by(TmsSession.scheduled_at)):
        row, length = make(TmsSession, values[:-1]), values[-1]
        sessions[row.patient_id].append(row)
        minutes[row.id] = length
    by_patient: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in assignments.values():
        by_patient[assignment.patient_id].append(assignment)
    return {
        p.id: PatientHomework(p, by_patient[p.id], timings, sessions[p.id], completions, horizon, minutes)
        for p in patients
    }


def _utc_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), timezone.utc)


def local_today(patient: User, now: datetime) -> date:
    return now.astimezone(ZoneInfo(patient.timezone)).date()


def local_day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC instants of a local day's start and end (DST-safe: 23 or 25 hours long on change days)."""
    start = datetime.combine(day, time(0), tz).astimezone(timezone.utc)
    end = datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(timezone.utc)
    return start, end
