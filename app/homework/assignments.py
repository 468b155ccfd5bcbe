"""Assignment operations: create, change timing (a new version from a date), end. Each only flushes."""
from collections.abc import Mapping
from datetime import date, time

from sqlmodel import Session, select

from app.homework import timing
from app.homework.schedule import format_weekdays, rule_of
from app.models import Assignment, AssignmentTiming, HomeworkKind, User
from app.validation import FieldError, integer, schedule_date, whole_number

TITLE_MAX = 120
INSTRUCTIONS_MAX = 2000


class AssignmentError(FieldError):
    """A field problem, worded for the person filling in the form."""


def rule_from_form(raw: Mapping, weekdays: list[str]) -> timing.TimingRule:
    """Parse the timing fields of a form into a TimingRule (raises TimingRuleError / AssignmentError)."""
    kind = raw.get("timing_kind", "")
    hours_raw = (raw.get("window_hours") or "4").strip()
    try:
        window_hours = integer(hours_raw, field="window_hours", label="The window (hours)", low=0)
    except FieldError:
        raise AssignmentError("window_hours", "The window must be a whole number of hours from 1 to 24.") from None
    local_time = None
    if (raw.get("local_time") or "").strip():
        try:
            local_time = time.fromisoformat(raw["local_time"].strip())
        except ValueError:
            raise AssignmentError("local_time", "Enter a time like 18:00.") from None
    due_date = None
    if (raw.get("due_date") or "").strip():
        try:
            due_date = schedule_date(raw["due_date"], field="due_date", label="a date")
        except FieldError as error:
            raise AssignmentError("due_date", error.message) from None
    days = frozenset(day for day in map(whole_number, weekdays) if day is not None and day <= 6)
    return timing.TimingRule(kind=kind, window_hours=window_hours, local_time=local_time, weekdays=days, due_date=due_date)


def _check_text(title: str, instructions: str) -> tuple[str, str]:
    title, instructions = (title or "").strip(), (instructions or "").strip()
    if not title:
        raise AssignmentError("title", "Give the homework a short title.")
    if len(title) > TITLE_MAX:
        raise AssignmentError("title", f"Titles can be at most {TITLE_MAX} characters (this one is {len(title)}).")
    if len(instructions) > INSTRUCTIONS_MAX:
        raise AssignmentError("instructions", f"Instructions can be at most {INSTRUCTIONS_MAX} characters (now {len(instructions)}).")
    return title, instructions


def create_assignment(
    db: Session, *, patient: User, by: User, kind: HomeworkKind, title: str, instructions: str,
    target: str | None, start: date, end: date | None, rule: timing.TimingRule,
) -> Assignment:
    title, instructions = _check_text(title, instructions)
    if end is not None and end < start:
        raise AssignmentError("end_date", "The end date can't be before the start date.")
    assignment = Assignment(
        patient_id=patient.id, created_by_id=by.id, kind=kind, title=title, instructions=instructions,
        target=target or None, start_date=start, end_date=end,
    )
    db.add(assignment)
    db.flush()
    _add_timing(db, assignment, rule, start)
    return assignment


def _add_timing(db: Session, assignment: Assignment, rule: timing.TimingRule, effective_from: date) -> None:
    existing = db.exec(
        select(AssignmentTiming).where(
            AssignmentTiming.assignment_id == assignment.id, AssignmentTiming.effective_from == effective_from
        )
    ).first()
    row = existing or AssignmentTiming(assignment_id=assignment.id, effective_from=effective_from, kind=rule.kind)
    row.kind, row.window_hours, row.local_time = rule.kind, rule.window_hours, rule.local_time
    row.weekdays, row.due_date = format_weekdays(rule.weekdays), rule.due_date
    db.add(row)
    db.flush()


def update_assignment(
    db: Session, *, assignment: Assignment, title: str, instructions: str, end: date | None,
    rule: timing.TimingRule, today: date,
) -> None:
    """Text and end date change in place; a changed timing rule takes effect from `today` (history kept)."""
    assignment.title, assignment.instructions = _check_text(title, instructions)
    if end is not None and end < assignment.start_date:
        raise AssignmentError("end_date", "The end date can't be before the start date.")
    assignment.end_date = end
    current = current_rule(db, assignment)
    if current != rule:
        _add_timing(db, assignment, rule, max(today, assignment.start_date))
    db.flush()


def current_rule(db: Session, assignment: Assignment) -> timing.TimingRule | None:
    row = db.exec(
        select(AssignmentTiming)
        .where(AssignmentTiming.assignment_id == assignment.id)
        .order_by(AssignmentTiming.effective_from.desc())
    ).first()
    return rule_of(row) if row else None


def end_assignment(db: Session, *, assignment: Assignment, today: date) -> None:
    """Stop an assignment after today (occurrences so far keep their status)."""
    assignment.end_date = max(today, assignment.start_date)
    db.flush()
