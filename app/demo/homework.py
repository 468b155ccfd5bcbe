"""Demo assignments timed to each patient's TMS visits (the modules' seeders add the entries that complete them)."""
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.demo import DemoClinic
from app.homework import assignments, timing
from app.models import Assignment, HomeworkKind, TmsCourse

PLANS = {
    "dana": [
        (HomeworkKind.thought_record, "Thought record after TMS", "Pick one moment from today where your mood dipped.", None,
         timing.TimingRule(timing.TimingKind.POST_TMS, window_hours=4)),
        (HomeworkKind.activity_plan, "One planned activity", "Something small you value: a walk, a call, a chore.", None,
         timing.TimingRule(timing.TimingKind.DAILY, local_time=time(17, 0))),
        (HomeworkKind.mood_checkin, "Evening check-in", "", None, timing.TimingRule(timing.TimingKind.DAILY, local_time=time(20, 0))),
    ],
    "sam": [
        (HomeworkKind.exposure_practice, "Provocation before TMS",
         "In the two hours before each visit, do the provocation step we planned (touch the bin lid, no washing).", None,
         timing.TimingRule(timing.TimingKind.PRE_TMS, window_hours=2)),
        (HomeworkKind.exposure_practice, "Exposure practice after TMS", "Work on the step we chose together; resist the ritual.", None,
         timing.TimingRule(timing.TimingKind.POST_TMS, window_hours=4)),
        (HomeworkKind.mood_checkin, "Evening check-in", "", None, timing.TimingRule(timing.TimingKind.DAILY, local_time=time(20, 30))),
    ],
    "jordan": [
        (HomeworkKind.diary_card, "Diary card", "Fill it in before bed.", None,
         timing.TimingRule(timing.TimingKind.DAILY, local_time=time(21, 0))),
        (HomeworkKind.dbt_skill, "Practise TIPP", "Try it once when distress is high, then log how it went.", "skill:tipp",
         timing.TimingRule(timing.TimingKind.WEEKDAYS, local_time=time(12, 0), weekdays=frozenset({0, 2, 4}))),
    ],
}


def seed_homework(db: Session, clinic: DemoClinic) -> None:
    therapist = clinic.people["therapist"]
    for key, plans in PLANS.items():
        patient = clinic.people[key]
        if db.exec(select(Assignment).where(Assignment.patient_id == patient.id, Assignment.kind != HomeworkKind.questionnaire)).first():
            continue
        course = db.exec(select(TmsCourse).where(TmsCourse.patient_id == patient.id).order_by(TmsCourse.start_date)).first()
        today = clinic.now.astimezone(ZoneInfo(patient.timezone)).date()
        start = course.start_date if course else today - timedelta(days=21)
        for kind, title, instructions, target, rule in plans:
            assignments.create_assignment(
                db, patient=patient, by=therapist, kind=kind, title=title, instructions=instructions,
                target=target, start=start, end=None, rule=rule,
            )
