"""Issue 16, found 5: closures, weekends, make-ups, progress against the prescription, presets, short gaps."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from app.homework.timing import SessionStatus, TimingKind
from app.models import Assignment, AssignmentTiming, ClinicClosure, TmsCourse, TmsSession
from app.tms import services

NEW_YORK = ZoneInfo("America/New_York")
STANDARD = {"label": "Acute course", "protocol": "standard", "start_date": "2026-11-23", "weeks": "2",
            "local_time": "09:00", "weekdays": ["0", "1", "2", "3", "4"]}


def _days(db, patient):
    db.expire_all()
    rows = db.exec(select(TmsSession).where(TmsSession.patient_id == patient.id).order_by(TmsSession.scheduled_at))
    return [s.scheduled_at.astimezone(NEW_YORK).date() for s in rows]


def test_staff_prefill_public_holidays_and_the_course_skips_them(therapist_client, db, patient):
    response = therapist_client.post("/clinic/closures/holidays", data={"year": "2026"}, follow_redirects=True)
    assert "Public holidays 2026" in response.text and "Thanksgiving Day" in response.text

    assert therapist_client.post(f"/patients/{patient.id}/tms/courses", data=STANDARD).status_code == 303

    days = _days(db, patient)
    assert len(days) == 10 and date(2026, 11, 26) not in days and days[-1] == date(2026, 12, 7)
    assert db.exec(select(TmsCourse)).one().prescribed_sessions == 10


def test_a_closure_for_training_is_added_and_can_be_removed(therapist_client, db):
    added = therapist_client.post("/clinic/closures", data={"first_day": "2026-12-28", "last_day": "2026-12-30",
                                                            "label": "Staff training"}, follow_redirects=True)
    assert "3 days closed" in added.text
    closure = db.exec(select(ClinicClosure).order_by(ClinicClosure.day)).first()
    removed = therapist_client.post(f"/clinic/closures/{closure.id}/delete", follow_redirects=True)
    assert "Open again on 2026-12-28" in removed.text


def test_a_closure_list_leaving_a_course_no_clinic_day_is_refused(therapist_client, db, patient):
    therapist_client.post(f"/patients/{patient.id}/tms/courses", data={**STANDARD, "start_date": "2030-01-07", "weeks": "1"})
    response = therapist_client.post("/clinic/closures", data={"first_day": "2030-01-01", "last_day": "2030-01-31",
                                                               "label": "Renovation"})
    assert response.status_code == 400
    assert "no clinic day" in response.text and 'id="first_day-error"' in response.text
    assert 'value="Renovation"' in response.text  # kept
    assert db.exec(select(ClinicClosure)).all() == []


def test_bad_closure_input_is_explained(therapist_client, db):
    response = therapist_client.post("/clinic/closures", data={"first_day": "soon", "label": ""})
    assert response.status_code == 400 and "Enter a date like" in response.text


def test_a_missed_visit_and_its_make_up_read_delivered_of_prescribed(therapist_client, db, patient, therapist):
    therapist_client.post(f"/patients/{patient.id}/tms/courses", data={**STANDARD, "start_date": "2026-03-02", "weeks": "1"})
    sessions = db.exec(select(TmsSession).order_by(TmsSession.scheduled_at)).all()
    for session in sessions[:4]:
        therapist_client.post(f"/tms/sessions/{session.id}/status", data={"status": "completed"})
    therapist_client.post(f"/tms/sessions/{sessions[4].id}/status", data={"status": "missed"})

    booked = therapist_client.post(f"/tms/sessions/{sessions[4].id}/makeup", data={"date": "2026-03-09", "time": "09:00"})
    assert booked.status_code == 303
    makeup = db.exec(select(TmsSession).where(TmsSession.makeup_for_id == sessions[4].id)).one()
    therapist_client.post(f"/tms/sessions/{makeup.id}/status", data={"status": "completed"})

    page = therapist_client.get(f"/patients/{patient.id}/tms").text
    assert "5 of 5" in page and "1 made up" in page
    again = therapist_client.post(f"/tms/sessions/{sessions[4].id}/makeup", data={"date": "2026-03-10", "time": "09:00"})
    assert again.status_code == 400 and "already has a make-up" in again.text


def test_a_make_up_on_a_closure_is_refused_beside_the_field(therapist_client, db, patient):
    therapist_client.post(f"/patients/{patient.id}/tms/courses", data={**STANDARD, "start_date": "2026-03-02", "weeks": "1"})
    session = db.exec(select(TmsSession).order_by(TmsSession.scheduled_at)).first()
    therapist_client.post(f"/tms/sessions/{session.id}/status", data={"status": "missed"})
    therapist_client.post("/clinic/closures", data={"first_day": "2026-03-09", "label": "Staff training"})
    response = therapist_client.post(f"/tms/sessions/{session.id}/makeup", data={"date": "2026-03-09", "time": "09:00"})
    assert response.status_code == 400 and "The clinic is closed on 2026-03-09" in response.text
    assert f'id="makeup-{session.id}-error"' in response.text


def test_extending_a_course_adds_a_block_after_its_last_session(therapist_client, db, patient):
    therapist_client.post(f"/patients/{patient.id}/tms/courses", data={**STANDARD, "start_date": "2026-03-02", "weeks": "1"})
    course = db.exec(select(TmsCourse)).one()
    assert therapist_client.post(f"/tms/courses/{course.id}/extend", data={"sessions": "10"}).status_code == 303
    days = _days(db, patient)
    assert len(days) == 15 and days[-1] == date(2026, 3, 20) and all(d.weekday() < 5 for d in days)
    db.expire_all()
    assert course.prescribed_sessions == 15


def test_accelerated_sessions_ten_minutes_apart_need_an_explicit_yes(therapist_client, db, patient):
    data = {"label": "SAINT", "protocol": "accelerated", "start_date": "2026-06-01", "sessions_per_day": "10",
            "minutes_apart": "10", "days": "5", "first_session": "08:00"}
    refused = therapist_client.post(f"/patients/{patient.id}/tms/courses", data=data)
    assert refused.status_code == 400 and "under 45" in refused.text and 'id="minutes_apart-error"' in refused.text
    assert therapist_client.post(f"/patients/{patient.id}/tms/courses", data={**data, "confirm_short_gap": "1"}).status_code == 303


def test_accelerated_preset_lands_on_weekdays_with_fifty_minute_gaps(therapist_client, db, patient):
    data = {"label": "Accelerated", "preset": "accelerated_itbs", "start_date": "2026-11-27", "first_session": "08:00"}
    assert therapist_client.post(f"/patients/{patient.id}/tms/courses", data=data).status_code == 303
    days = _days(db, patient)
    assert len(days) == 50 and all(d.weekday() < 5 for d in days)
    assert db.exec(select(TmsCourse)).one().session_minutes == 10


def test_deep_tms_ocd_preset_books_29_and_sets_before_visit_provocation(therapist_client, db, patient):
    data = {"label": "Deep TMS", "preset": "deep_tms_ocd", "start_date": "2027-01-04", "local_time": "10:00"}
    assert therapist_client.post(f"/patients/{patient.id}/tms/courses", data=data).status_code == 303
    assert len(_days(db, patient)) == 29
    assignment = db.exec(select(Assignment).where(Assignment.kind == "exposure_practice")).one()
    rule = db.exec(select(AssignmentTiming).where(AssignmentTiming.assignment_id == assignment.id)).one()
    assert (assignment.kind, rule.kind, rule.window_hours) == ("exposure_practice", TimingKind.PRE_TMS, 2)
    assert "provocation" in therapist_client.get(f"/patients/{patient.id}/tms").text.lower()


def test_admin_sets_clinic_time_and_bad_values_are_explained(admin_client, db):
    bad = admin_client.post("/clinic/time", data={"timezone": "Mars/Olympus", "opens_at": "07:00", "closes_at": "19:00",
                                                  "holiday_country": "US", "holiday_region": ""})
    assert bad.status_code == 400 and "not a time zone we know" in bad.text
    ok = admin_client.post("/clinic/time", data={"timezone": "Europe/London", "opens_at": "08:00", "closes_at": "18:00",
                                                 "holiday_country": "GB", "holiday_region": "ENG"}, follow_redirects=True)
    assert "Clinic time saved" in ok.text and "Europe/London" in ok.text
