"""The TMS treatment record through the app: a technician records what a delivered visit gave, bad values come back
beside their field with the typing kept, red flags become safety events that reach the physician, the day list says
when a motor threshold is due, and the physician reads the course against its prescription."""
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from app.careteam import services as careteam
from app.homework.timing import SessionStatus
from app.models import (CareTeamRole, Notification, Role, SafetyEvent, SafetyEventSource, TmsSession,
                        TmsTreatmentRecord)
from app.models.types import utcnow
from app.tms import services as tms
from tests.conftest import sign_in
from tests.factories import make_course, make_user

NEW_YORK = ZoneInfo("America/New_York")
RECORD = {"target": "Left DLPFC", "coil": "Figure-8", "motor_threshold_pct": "55", "intensity_pct": "120",
          "pattern": "10hz", "pulses": "3000", "duration_minutes": "37", "duration_seconds": "30", "note": ""}


@pytest.fixture
def clinic(db, patient, therapist, admin):
    """Patient on a course that began three weeks ago, with a physician on the care team and a technician."""
    physician = make_user(db, role=Role.physician, email="phys@example.org", name="Dr. Physician")
    technician = make_user(db, role=Role.technician, email="tech@example.org", name="Tess Technician")
    careteam.add_member(db, patient=patient, member_id=physician.id, role=CareTeamRole.physician, by=admin)
    today = utcnow().astimezone(NEW_YORK).date()
    course = make_course(db, patient=patient, by=admin, start=today - timedelta(days=21), weeks=6)
    past = db.exec(select(TmsSession).where(TmsSession.course_id == course.id,
                                            TmsSession.scheduled_at < utcnow() - timedelta(hours=1))
                   .order_by(TmsSession.scheduled_at)).all()
    for session in past[-3:]:
        tms.set_status(db, session=session, status=SessionStatus.COMPLETED, by=technician,
                       at=session.scheduled_at + timedelta(minutes=40))
    db.commit()
    return {"physician": physician, "technician": technician, "course": course, "delivered": past[-3:],
            "undelivered": past[-4]}


def _record(client, session, **changes):
    day = session.scheduled_at.astimezone(NEW_YORK).date()
    data = RECORD | {"motor_threshold_measured_on": day.isoformat()} | changes
    return client.post(f"/tms/sessions/{session.id}/record", data=data)


def test_technician_records_a_visit_and_the_next_visit_starts_from_it(client, db, clinic):
    first, second, _third = clinic["delivered"]
    sign_in(client, clinic["technician"])
    response = _record(client, first, adverse_events=["scalp_pain"])
    assert response.status_code == 303
    record = db.exec(select(TmsTreatmentRecord).where(TmsTreatmentRecord.session_id == first.id)).one()
    assert (record.motor_threshold_pct, record.intensity_pct, record.pulses, record.duration_seconds) == (55, 120, 3000, 2250)
    assert record.adverse_events == ["scalp_pain"]

    prefill = client.get(f"/tms/sessions/{second.id}/record").text
    assert "Filled in from the previous visit" in prefill
    assert 'value="55"' in prefill and 'value="3000"' in prefill and 'value="Left DLPFC"' in prefill
    assert 'value="scalp_pain" checked' not in prefill  # last visit's side effects are not carried over
    assert db.exec(select(SafetyEvent)).first() is None  # scalp pain is recorded, not a red flag

    page = client.get(f"/tms/courses/{clinic['course'].id}/record").text
    assert "Scalp pain or discomfort at the site" in page and "3,000" in page


def test_values_out_of_range_come_back_beside_their_field_with_the_typing_kept(client, db, clinic):
    session = clinic["delivered"][0]
    sign_in(client, clinic["technician"])
    response = _record(client, session, motor_threshold_pct="0", intensity_pct="151", pulses="10001",
                       target="Right DLPFC (F4)")
    assert response.status_code == 400
    page = response.text
    assert 'id="motor_threshold_pct-error"' in page and "from 1 to 100" in page
    assert 'id="intensity_pct-error"' in page and "from 50 to 150" in page
    assert 'id="pulses-error"' in page and "from 1 to 10,000" in page
    assert 'value="151"' in page and 'value="10001"' in page and 'value="Right DLPFC (F4)"' in page
    assert "3 things need your attention" in page
    assert db.exec(select(TmsTreatmentRecord)).first() is None


def test_a_visit_not_delivered_cannot_have_a_record(client, db, clinic):
    sign_in(client, clinic["technician"])
    response = _record(client, clinic["undelivered"])
    assert response.status_code == 400 and "Mark the visit done first" in response.text
    assert db.exec(select(TmsTreatmentRecord)).first() is None


def test_a_red_flag_is_a_safety_event_that_alerts_the_physician(client, db, clinic, therapist):
    session = clinic["delivered"][-1]
    sign_in(client, clinic["technician"])
    response = _record(client, session, adverse_events=["seizure", "headache"], note="Brief jerking, 20 s")
    assert response.status_code == 303
    event = db.exec(select(SafetyEvent)).one()
    assert event.source == SafetyEventSource.adverse_event and event.details == {"seizure": True}
    alerted = {n.user_id for n in db.exec(select(Notification)) if n.occurrence_key == f"safety:{event.id}"}
    assert {clinic["physician"].id, therapist.id} <= alerted

    again = _record(client, session, adverse_events=["seizure", "fainted"], note="Brief jerking, 20 s")
    assert again.status_code == 303
    db.expire_all()
    assert db.exec(select(SafetyEvent)).one().details == {"seizure": True, "fainted": True}  # one event per visit

    sign_in(client, clinic["physician"])
    assert "TMS visit, recorded by the TMS team: seizure" in client.get(f"/patients/{session.patient_id}/safety").text


def _day_list(client, db, clinic, patient, measured_days_ago: int):
    session = clinic["delivered"][0]
    day = session.scheduled_at.astimezone(NEW_YORK).date()
    db.add(TmsTreatmentRecord(session_id=session.id, patient_id=patient.id, target="L DLPFC", coil="Figure-8",
                              motor_threshold_pct=55, motor_threshold_measured_on=day - timedelta(days=measured_days_ago),
                              intensity_pct=120, pattern="10hz", pulses=3000, duration_seconds=2250,
                              recorded_by_id=clinic["technician"].id, recorded_at=utcnow()))
    db.commit()
    sign_in(client, clinic["technician"])
    return client.get(f"/clinic/today?day={day.isoformat()}").text, day


def test_day_list_shows_a_motor_threshold_older_than_the_interval_as_due(client, db, clinic, patient):
    page, day = _day_list(client, db, clinic, patient, measured_days_ago=8)
    assert "MT re-check due" in page
    assert "Edit record" in page  # this visit has its record


def test_day_list_shows_no_recheck_for_a_recent_threshold(client, db, clinic, patient):
    page, _day = _day_list(client, db, clinic, patient, measured_days_ago=1)
    assert "MT re-check due" not in page and "Edit record" in page


def test_the_clinics_recheck_interval_is_set_by_an_admin(client, db, clinic, patient, admin):
    sign_in(client, admin)
    settings = {"timezone": "America/New_York", "opens_at": "07:00", "closes_at": "19:00", "holiday_country": "US",
                "holiday_region": ""}
    refused = client.post("/clinic/time", data=settings | {"motor_threshold_recheck_days": "0"})
    assert refused.status_code == 400 and "from 1 to 90" in refused.text and 'value="0"' in refused.text
    assert client.post("/clinic/time", data=settings | {"motor_threshold_recheck_days": "14"}).status_code == 303
    page, _day = _day_list(client, db, clinic, patient, measured_days_ago=8)
    assert "MT re-check due" not in page


def test_physician_reads_the_course_against_its_prescription(client, db, clinic):
    first, second, _third = clinic["delivered"]
    sign_in(client, clinic["technician"])
    _record(client, first)
    _record(client, second, intensity_pct="110", pulses="1800")
    sign_in(client, clinic["physician"])
    course_id = clinic["course"].id
    saved = client.post(f"/tms/courses/{course_id}/prescription",
                        data={"target": "Left DLPFC", "pattern": "10hz", "intensity_pct": "120", "pulses": "3000"})
    assert saved.status_code == 303
    page = client.get(f"/tms/courses/{course_id}/record").text
    assert "intensity 110 % of MT, prescribed 120 %; pulses 1,800 of 3,000" in page
    assert "As prescribed" in page
    assert "4,800" in page  # pulses delivered in all
    assert "3 delivered of" in page
    assert "1 delivered visits have no treatment record" in page
    bad = client.post(f"/tms/courses/{course_id}/prescription", data={"intensity_pct": "40", "pulses": "3000"})
    assert bad.status_code == 400 and 'value="40"' in bad.text and "from 50 to 150" in bad.text


def test_course_record_is_linked_from_the_care_team_page(client, db, clinic, patient):
    sign_in(client, clinic["physician"])
    page = client.get(f"/patients/{patient.id}/care-team").text
    assert f"/tms/courses/{clinic['course'].id}/record" in page
