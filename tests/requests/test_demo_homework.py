"""Demo thought records and activity plans: weeks of realistic history, seeded once however often seed runs."""
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from app.demo import seed
from app.models import Activity, ActivityIdea, ActivityStatus, RecordStatus, ThoughtComment, ThoughtRecord, User


def test_demo_seeds_weeks_of_records_and_activities_once(db, app):
    seed(db)
    first = (len(db.exec(select(ThoughtRecord)).all()), len(db.exec(select(Activity)).all()),
             len(db.exec(select(ActivityIdea)).all()), len(db.exec(select(ThoughtComment)).all()))
    seed(db)
    again = (len(db.exec(select(ThoughtRecord)).all()), len(db.exec(select(Activity)).all()),
             len(db.exec(select(ActivityIdea)).all()), len(db.exec(select(ThoughtComment)).all()))
    assert first == again


def test_each_demo_patient_has_a_few_weeks_of_history_in_their_time_zone(db, app):
    seed(db)
    for email in ("dana@demo.clinic", "sam@demo.clinic", "jordan@demo.clinic"):
        patient = db.exec(select(User).where(User.email == email)).one()
        records = db.exec(select(ThoughtRecord).where(ThoughtRecord.patient_id == patient.id)).all()
        done = [r for r in records if r.status == RecordStatus.complete]
        assert len(done) >= 6 and sum(r.status == RecordStatus.draft for r in records) == 1
        span = max(r.completed_at for r in done) - min(r.completed_at for r in done)
        assert span >= timedelta(days=21)
        assert all(18 <= r.completed_at.astimezone(ZoneInfo(patient.timezone)).hour <= 22 for r in done)
        beliefs = [r.belief_before for r in sorted(done, key=lambda r: r.completed_at)]
        assert beliefs[-1] < beliefs[0]
        activities = db.exec(select(Activity).where(Activity.patient_id == patient.id)).all()
        statuses = {a.status for a in activities}
        assert statuses == {ActivityStatus.done, ActivityStatus.not_done, ActivityStatus.planned}
        assert (max(a.planned_date for a in activities) - min(a.planned_date for a in activities)).days >= 21
