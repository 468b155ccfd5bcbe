"""The demo clinic has TMS treatment records: a prescription on every course, a record for every delivered visit,
and Sam's motor threshold old enough to show as due on the technician's day list."""
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from app.demo import seed
from app.homework.timing import SessionStatus
from app.models import TmsCourse, TmsSession, TmsTreatmentRecord, User
from app.models.types import utcnow
from app.sites.services import site_of
from tests.conftest import sign_in


def _user(db, email):
    return db.exec(select(User).where(User.email == email)).one()


def test_demo_courses_have_treatment_records_and_one_old_motor_threshold(client, db):
    seed(db)
    seed(db)  # idempotent
    delivered = db.exec(select(TmsSession.id).where(TmsSession.status == SessionStatus.COMPLETED)).all()
    recorded = db.exec(select(TmsTreatmentRecord.session_id)).all()
    assert sorted(recorded) == sorted(delivered) and len(recorded) > 20
    assert all(c.prescribed_pattern is not None for c in db.exec(select(TmsCourse)))

    sam = _user(db, "sam@demo.clinic")
    latest = max(r.motor_threshold_measured_on for r in db.exec(
        select(TmsTreatmentRecord).where(TmsTreatmentRecord.patient_id == sam.id)))
    zone = ZoneInfo(site_of(db, sam).timezone)  # Sam is treated at the Chicago site
    today = utcnow().astimezone(zone).date()
    assert today - latest >= timedelta(days=7)

    next_visit = db.exec(select(TmsSession).where(TmsSession.patient_id == sam.id, TmsSession.scheduled_at > utcnow())
                         .order_by(TmsSession.scheduled_at)).first()
    day = next_visit.scheduled_at.astimezone(zone).date()
    sign_in(client, _user(db, "staff@demo.clinic"))  # the technician works at Manhattan only; the admin at both
    client.post("/sites/current", data={"site_id": sam.site_id})
    visit = client.get(f"/clinic/today?day={day.isoformat()}").text.split(f'id="visit-{next_visit.id}"')[1]
    assert "MT re-check due" in visit.split("</li>")[0]

    sign_in(client, _user(db, "physician@demo.clinic"))
    dana = _user(db, "dana@demo.clinic")
    course = db.exec(select(TmsCourse).where(TmsCourse.patient_id == dana.id)).first()
    page = client.get(f"/tms/courses/{course.id}/record")
    assert page.status_code == 200 and "Scalp pain or discomfort at the site" in page.text

    sign_in(client, _user(db, "community@demo.clinic"))
    riley = _user(db, "riley@demo.clinic")
    own = db.exec(select(TmsCourse).where(TmsCourse.patient_id == riley.id)).one()
    assert client.get(f"/tms/courses/{course.id}/record").status_code == 403
    assert client.get(f"/tms/courses/{own.id}/record").status_code == 403  # not even their own patient's
    assert f"/tms/courses/{own.id}/record" not in client.get(f"/patients/{riley.id}/care-team").text
