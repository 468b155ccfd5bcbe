"""Each patient's data version (`users.data_version`) moves in the same transaction as any change to what their
Today page shows, so a process may keep what it loaded for a patient until the number moves
(app/today/snapshot.py). One place keeps it true: a flush hook on every ORM session (web requests, the clock
process, the CLI, tests). ORM bulk statements on these tables would slip past the hook, so they are refused.
"""
from itertools import chain

from sqlalchemy import event, false, or_, select, update
from sqlalchemy.orm import Session

from app.models import (
    Activity, Assignment, AssignmentTiming, HomeworkCompletion, MoodCheckin, SideEffectCheck, TherapyAppointment,
    ThoughtComment, ThoughtRecord, TmsCourse, TmsSession, User,
)

OWNED_BY_PATIENT = (Assignment, TmsCourse, TmsSession, Activity, MoodCheckin, SideEffectCheck, TherapyAppointment)
OWNED_BY_ASSIGNMENT = (AssignmentTiming, HomeworkCompletion)
OWNED_BY_RECORD = (ThoughtComment,)
"""Today lists thought records with unread therapist comments."""
TRACKED = OWNED_BY_PATIENT + OWNED_BY_ASSIGNMENT + OWNED_BY_RECORD
_PENDING = "data_version_owners"


class BulkWriteRefused(RuntimeError):
    """Raised for an ORM bulk insert/update/delete on a tracked table: load the rows and change them instead."""


def _owners(objects) -> tuple[set[int], set[int], set[int]]:
    """Patient ids, and assignment and thought-record ids (whose patient is looked up in SQL), touched by these."""
    patients: set[int] = set()
    assignments: set[int] = set()
    records: set[int] = set()
    for obj in objects:
        if isinstance(obj, OWNED_BY_PATIENT) and obj.patient_id is not None:
            patients.add(obj.patient_id)
        elif isinstance(obj, OWNED_BY_ASSIGNMENT) and obj.assignment_id is not None:
            assignments.add(obj.assignment_id)
        elif isinstance(obj, OWNED_BY_RECORD) and obj.record_id is not None:
            records.add(obj.record_id)
    return patients, assignments, records


def _before_flush(session: Session, _context, _instances) -> None:
    """Changed and deleted rows are read now, while deleted ones still exist; new ones after the flush (their
    foreign keys may come from relationships). A failed flush leaves its owners pending: the next flush bumps them
    too, which is harmless."""
    patients, assignments, records = _owners(chain(session.dirty, session.deleted))
    pending = session.info.setdefault(_PENDING, (set(), set(), set()))
    pending[0].update(patients)
    pending[1].update(assignments)
    pending[2].update(records)


def _after_flush(session: Session, _context) -> None:
    patients, assignments, records = session.info.pop(_PENDING, (set(), set(), set()))
    new_patients, new_assignments, new_records = _owners(session.new)
    patients |= new_patients
    assignments |= new_assignments
    records |= new_records
    if not patients and not assignments and not records:
        return
    users = User.__table__
    owned = users.c.id.in_(patients) if patients else false()
    if assignments:
        table = Assignment.__table__
        owned = or_(owned, users.c.id.in_(select(table.c.patient_id).where(table.c.id.in_(assignments))))
    if records:
        table = ThoughtRecord.__table__
        owned = or_(owned, users.c.id.in_(select(table.c.patient_id).where(table.c.id.in_(records))))
    session.connection().execute(update(users).where(owned).values(data_version=users.c.data_version + 1))


def _refuse_bulk_writes(state) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and state.bind_mapper is not None:
        if state.bind_mapper.class_ in TRACKED:
            raise BulkWriteRefused(
                f"bulk statements on {state.bind_mapper.class_.__name__} would not move the patient's data version"
            )


HOOKS = (
    ("before_flush", _before_flush),
    ("after_flush", _after_flush),
    ("do_orm_execute", _refuse_bulk_writes),
)


def install() -> None:
    """Idempotent: every app (and test) calls it; the hooks are registered on the Session class once."""
    for name, hook in HOOKS:
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)
