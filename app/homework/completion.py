"""Completing homework: the one call every module makes when the patient saves an entry."""
from datetime import datetime, timedelta

from sqlmodel import Session, select

from app.homework import timing
from app.homework.schedule import load_homework, local_today
from app.models import User
from app.models.homework import HomeworkCompletion, HomeworkEntry, HomeworkKind


def record_completion(
    db: Session,
    *,
    patient: User,
    kind: HomeworkKind,
    at: datetime,
    source: str,
    source_id: int | None,
    target: str | None = None,
) -> list[HomeworkCompletion]:
    """Mark the matching occurrence of each of the patient's assignments of `kind` done at `at`.

    An assignment with a target (an exposure item, a skill, a questionnaire) only counts entries for that target;
    one without a target counts any entry of its kind. The occurrence is chosen by timing.match_completion:
    the open one, else the most recent one still within its late grace; entries outside every window complete
    nothing (they are still saved by the module). Only flushes: the request commits.
    """
    db.add(HomeworkEntry(patient_id=patient.id, kind=kind, target=target, at=at, source=source, source_id=source_id))
    day = local_today(patient, at)
    homework = load_homework(db, [patient], horizon=day - timedelta(days=2))[patient.id]
    created = _match(db, homework, kind=kind, at=at, source=source, source_id=source_id, target=target, through=day + timedelta(days=1))
    db.flush()
    return created


def forget_entry(db: Session, *, source: str, source_id: int) -> None:
    """A deleted entry no longer counts: the occurrences it completed are open (or missed) again."""
    for model in (HomeworkCompletion, HomeworkEntry):
        for row in db.exec(select(model).where(model.source == source, model.source_id == source_id)):
            db.delete(row)
    db.flush()


def rematch_entries(db: Session, *, patient: User, since: datetime, until: datetime) -> list[HomeworkCompletion]:
    """Offer every entry saved in [since, until) to the occurrences again: a visit recorded late (or its start
    corrected) opens its window in the past, and work already done in that window counts, on time.

    An entry completes at most one occurrence per assignment, so an entry already counted is not counted twice."""
    entries = db.exec(
        select(HomeworkEntry)
        .where(HomeworkEntry.patient_id == patient.id, HomeworkEntry.at >= since, HomeworkEntry.at < until)
        .order_by(HomeworkEntry.at, HomeworkEntry.id)
    ).all()
    if not entries:
        return []
    first_day = local_today(patient, since)
    homework = load_homework(db, [patient], horizon=first_day - timedelta(days=2))[patient.id]
    through = local_today(patient, until) + timedelta(days=1)
    created = []
    for entry in entries:
        created += _match(
            db, homework, kind=entry.kind, at=entry.at, source=entry.source, source_id=entry.source_id,
            target=entry.target, through=through, skip_counted=True,
        )
    db.flush()
    return created


def _match(db, homework, *, kind, at, source, source_id, target, through, skip_counted=False) -> list[HomeworkCompletion]:
    created = []
    for assignment in homework.assignments:
        if assignment.kind != kind or (assignment.target and assignment.target != target):
            continue
        done = homework.completions.setdefault(assignment.id, {})
        if skip_counted and any(c.source == source and c.source_id == source_id for c in done.values()):
            continue
        occurrence = timing.match_completion(
            homework.occurrences(assignment, through=through), at, completed_keys=done.keys()
        )
        if occurrence is None:
            continue
        completion = HomeworkCompletion(
            assignment_id=assignment.id,
            occurrence_key=occurrence.key,
            completed_at=at,
            source=source,
            source_id=source_id,
        )
        db.add(completion)
        done[occurrence.key] = completion
        created.append(completion)
    return created
