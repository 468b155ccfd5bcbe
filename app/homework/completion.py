"""Completing homework: the one call every module makes when the patient saves an entry."""
from datetime import datetime, timedelta

from sqlmodel import Session

from app.homework import timing
from app.homework.schedule import load_homework, local_today
from app.models import User
from app.models.homework import HomeworkCompletion, HomeworkKind


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
    day = local_today(patient, at)
    homework = load_homework(db, [patient], horizon=day - timedelta(days=2))[patient.id]
    through = day + timedelta(days=1)
    created = []
    for assignment in homework.assignments:
        if assignment.kind != kind or (assignment.target and assignment.target != target):
            continue
        done = homework.completions.get(assignment.id, {})
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
        created.append(completion)
    db.flush()
    return created
