"""Demo therapy appointments and treatment plans: weekly sessions from three weeks back to four weeks ahead,
placed the way each programme sequences them (CLINICAL.md): Dana, Sam and Lucía in the afternoon of a TMS day,
Jordan on a day without TMS (interleaved), Riley with the community therapist. Each patient has a plan; Dana's
has two versions (the physician moved her towards the taper)."""
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, select

from app.clinic.settings import clinic_time
from app.demo import DemoClinic
from app.models import TherapyAppointment, TreatmentPlan
from app.models.plan import PlanPhase
from app.plan import services as plans
from app.plan.rules import PlanInput

WEEKS_BACK, WEEKS_AHEAD = 3, 4
SLOTS = {  # weekday (Monday 0), clinic time
    "dana": (1, time(15, 0)),
    "sam": (3, time(15, 30)),
    "jordan": (2, time(10, 0)),
    "lucia": (0, time(16, 0)),
    "riley": (4, time(10, 0)),
}
PLANS = {
    "dana": [
        ("therapist", PlanInput("Feel like myself again; get back to my Sunday choir.", ("depression",), PlanPhase.acute,
                                ("tms", "cbt", "activation"), 20)),
        ("physician", PlanInput("Feel like myself again; get back to my Sunday choir.", ("depression",), PlanPhase.taper,
                                ("tms", "cbt", "activation"), 20)),
    ],
    "sam": [("therapist", PlanInput("Touch things at work without washing for an hour.", ("ocd",), PlanPhase.acute,
                                    ("tms", "exposure"), 30))],
    "jordan": [("therapist", PlanInput("Sleep without nightmares most nights; handle anger without shouting.",
                                       ("ptsd", "emotional_dysregulation"), PlanPhase.maintenance, ("tms", "dbt"), 25))],
    "lucia": [("therapist", PlanInput("Volver a disfrutar de cocinar con mis hijos.", ("depression",), PlanPhase.acute,
                                      ("tms", "activation"), 15))],
    "riley": [("community", PlanInput("Go back to college part-time in the spring.", ("depression",), PlanPhase.acute,
                                      ("tms", "cbt"), 20))],
}


def seed_appointments(db: Session, clinic: DemoClinic) -> None:
    tz = clinic_time(db).tz
    today = clinic.now.astimezone(tz).date()
    for key, (weekday, at) in SLOTS.items():
        patient = clinic.people[key]
        if db.exec(select(TherapyAppointment.id).where(TherapyAppointment.patient_id == patient.id)).first():
            continue
        first = today - timedelta(days=today.weekday()) - timedelta(weeks=WEEKS_BACK) + timedelta(days=weekday)
        for week in range(WEEKS_BACK + WEEKS_AHEAD):
            day: date = first + timedelta(weeks=week)
            db.add(TherapyAppointment(patient_id=patient.id, therapist_id=patient.therapist_id,
                                      created_by_id=patient.therapist_id, starts_at=datetime.combine(day, at, tz),
                                      created_at=clinic.now, updated_at=clinic.now))
    for key, versions in PLANS.items():
        patient = clinic.people[key]
        if db.exec(select(TreatmentPlan.id).where(TreatmentPlan.patient_id == patient.id)).first():
            continue
        for index, (editor, plan) in enumerate(versions):
            plans.save_plan(db, patient=patient, plan=plan, by=clinic.people[editor],
                            at=clinic.now - timedelta(days=7 * (len(versions) - index)))
    db.flush()
