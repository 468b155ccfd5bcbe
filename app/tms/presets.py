"""What a course preset brings besides its sessions: deep TMS for OCD begins each session with an individually
tailored symptom provocation (CLINICAL.md), so the preset sets before-visit provocation homework."""
from sqlmodel import Session

from app.homework import assignments, timing
from app.models import HomeworkKind, TmsCourse, User

PROVOCATION_HOURS = 2
"""Provocation practice is done in the two hours before each visit, not after it."""


def add_provocation_homework(db: Session, *, course: TmsCourse, patient: User, by: User):
    """An exposure practice due within 2 hours before each visit of the course (the therapist can edit it)."""
    return assignments.create_assignment(
        db, patient=patient, by=by, kind=HomeworkKind.exposure_practice,
        title="Provocation before TMS",
        instructions="Before each TMS visit, do the provocation step you planned with your therapist and log it.",
        target=None, start=course.start_date, end=None,
        rule=timing.TimingRule(timing.TimingKind.PRE_TMS, window_hours=PROVOCATION_HOURS),
    )
