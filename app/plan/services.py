"""Plan versions: saving appends a row (who, when), so the history is the table itself."""
from datetime import datetime

from sqlmodel import Session, select

from app.models import TreatmentPlan, User
from app.plan.rules import PlanInput, changed_fields


def history(db: Session, patient_id: int) -> list[TreatmentPlan]:
    """Newest first; the first row is the current plan."""
    return list(db.exec(select(TreatmentPlan).where(TreatmentPlan.patient_id == patient_id)
                        .order_by(TreatmentPlan.version.desc())))


def current_plan(db: Session, patient_id: int) -> TreatmentPlan | None:
    return db.exec(select(TreatmentPlan).where(TreatmentPlan.patient_id == patient_id)
                   .order_by(TreatmentPlan.version.desc()).limit(1)).first()


def save_plan(db: Session, *, patient: User, plan: PlanInput, by: User, at: datetime) -> TreatmentPlan | None:
    """A new version, or None when nothing changed (saving the same form twice adds no history)."""
    before = current_plan(db, patient.id)
    if before is not None and not changed_fields(before, plan):
        return None
    version = TreatmentPlan(
        patient_id=patient.id, version=(before.version + 1) if before else 1, goals=plan.goals,
        focus=list(plan.focus), phase=plan.phase, modalities=list(plan.modalities),
        homework_minutes=plan.homework_minutes, edited_by_id=by.id, edited_at=at,
    )
    db.add(version)
    db.flush()
    return version
