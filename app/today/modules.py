"""Which modules a patient has been given: the kinds of homework ever assigned to them, plus any module they
already keep entries in (a ladder, a thought record...), so Practice never hides their own work."""
from sqlmodel import Session, select

from app.models import Activity, Assignment, DiaryCard, Hierarchy, SkillUse, ThoughtRecord, User


def modules_given(db: Session, patient: User) -> set[str]:
    kinds = {str(kind) for kind in db.exec(select(Assignment.kind).where(Assignment.patient_id == patient.id).distinct())}
    kept = (
        (Hierarchy, "exposure_practice"), (ThoughtRecord, "thought_record"), (Activity, "activity_plan"),
        (DiaryCard, "diary_card"), (SkillUse, "dbt_skill"),
    )
    for model, kind in kept:
        if kind not in kinds and db.exec(select(model.id).where(model.patient_id == patient.id).limit(1)).first():
            kinds.add(kind)
    return kinds
