"""TMS courses and sessions: creating, validating, marking visits, the clinic's day, the patient's confirmation."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlmodel import select

from app.homework.timing import SessionStatus
from app.models import TmsCourse, TmsSession
from app.models.types import utcnow
from app.tms import events
from tests.conftest import sign_in
from tests.factories import earlier_today, make_course, make_patient, make_therapist

STANDARD = {"label": "Acute course", "protocol": "standard", "start_date": "2026-03-02", "weeks": "6",
            "local_time": "09:00", "weekdays": ["0", "1", "2", "3", "4"]}


def _sessions(db, patient):
    db.expire_all()
    return db.exec(select(TmsSession).where(TmsSession.patient_id == patient.id).order_by(TmsSession.scheduled_at)).all()


def test_therapist_creates_standard_six_week_course(therapist_client, db, patient):
    response = therapist_client.post(f"/patients/{patient.id}/tms/courses", data=STANDARD)
    assert response.status_code == 303
    sessions = _sessions(db, patient)
    assert len(sessions) == 30
    # 09:00 in New York: EST before the 8 March DST change, EDT after it.
    assert sessions[0].scheduled_at == datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)
    assert sessions[-1].scheduled_at == datetime(2026, 4, 10, 13, 0, tzinfo=timezone.utc)
    assert {s.status for s in sessions} == {SessionStatus.SCHEDULED}


def test_accelerated_course_has_ten_sessions_a_day_fifty_minutes_apart(therapist_client, db, patient):
    data = {"label": "Accelerated", "protocol": "accelerated", "start_date": "2026-06-01", "sessions_per_day": "10",
            "minutes_apart": "50", "days": "5", "first_session": "08:00"}
    assert therapist_client.post(f"/patients/{patient.id}/tms/courses", data=data).status_code == 303
    sessions = _sessions(db, patient)
    assert len(sessions) == 50
    assert sessions[1].scheduled_at - sessions[0].scheduled_at == timedelta(minutes=50)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weeks": "0"}, "Number of weeks"),
        ({"weeks": "-3"}, "Number of weeks"),
        ({"weekdays": []}, "Choose at least one weekday"),
        ({"local_time": "25:00"}, "Enter a time like 09:30"),
        ({"start_date": "not a date"}, "Enter a start date"),
        ({"protocol": "quantum"}, "Choose a protocol"),
        ({"label": ""}, "Give the course a name"),
    ],
)
def test_bad_course_input_is_explained_and_nothing_is_saved(therapist_client, db, patient, changes, message):
    response = therapist_client.post(f"/patients/{patient.id}/tms/courses", data={**STANDARD, **changes})
    assert response.status_code == 400
    assert message in response.text
    assert db.exec(select(TmsCourse)).all() == []


def test_custom_time_skipped_by_dst_is_refused(therapist_client, db, patient):
    data = {"label": "Custom", "protocol": "custom", "start_date": "2026-03-01", "local_datetimes": "2026-03-08 02:30"}
    response = therapist_client.post(f"/patients/{patient.id}/tms/courses", data=data)
    assert response.status_code == 400
    assert "does not exist on 2026-03-08" in response.text
    assert "2026-03-08 02:30" in response.text  # what was typed is kept


def test_overlapping_course_is_refused_whole(therapist_client, db, patient, therapist):
    make_course(db, patient=patient, by=therapist, start=date(2026, 3, 2), weeks=1)
    response = therapist_client.post(f"/patients/{patient.id}/tms/courses", data={**STANDARD, "weeks": "2"})
    assert response.status_code == 400
    assert "clashes with another session" in response.text
    assert len(_sessions(db, patient)) == 5


def test_course_for_another_therapists_patient_is_404(therapist_client, db):
    other = make_therapist(db, email="o@example.org")
    theirs = make_patient(db, therapist=other, email="theirs@example.org")
    assert therapist_client.post(f"/patients/{theirs.id}/tms/courses", data=STANDARD).status_code == 404
    assert therapist_client.get(f"/patients/{theirs.id}/tms").status_code == 404


def test_clinic_staff_manage_any_patients_schedule(admin_client, db, patient):
    assert admin_client.get(f"/patients/{patient.id}/tms").status_code == 200
    assert admin_client.post(f"/patients/{patient.id}/tms/courses", data=STANDARD).status_code == 303


def test_patient_cannot_manage_courses(patient_client, patient):
    assert patient_client.get(f"/patients/{patient.id}/tms").status_code == 403


def test_marking_done_records_completion_time_and_notifies_listeners(admin_client, db, patient, therapist):
    make_course(db, patient=patient, by=therapist, start=date(2026, 3, 2), weeks=1)
    first = _sessions(db, patient)[0]
    heard = []

    def listener(sender, **kwargs):
        heard.append(kwargs["session"].id)

    events.session_completed.connect(listener)
    try:
        before = utcnow()
        assert admin_client.post(f"/tms/sessions/{first.id}/status", data={"status": "completed"}).status_code == 303
    finally:
        events.session_completed.disconnect(listener)
    first = _sessions(db, patient)[0]
    assert first.status == SessionStatus.COMPLETED and first.completed_at >= before and not first.patient_reported
    assert heard == [first.id]


def test_undo_returns_a_visit_to_scheduled(admin_client, db, patient, therapist):
    make_course(db, patient=patient, by=therapist, start=date(2026, 3, 2), weeks=1)
    first = _sessions(db, patient)[0]
    admin_client.post(f"/tms/sessions/{first.id}/status", data={"status": "missed"})
    admin_client.post(f"/tms/sessions/{first.id}/status", data={"status": "scheduled"})
    first = _sessions(db, patient)[0]
    assert first.status == SessionStatus.SCHEDULED and first.completed_at is None


def test_reschedule_and_add_single_session(admin_client, db, patient, therapist):
    course = make_course(db, patient=patient, by=therapist, start=date(2026, 3, 2), weeks=1)
    first = _sessions(db, patient)[0]
    assert admin_client.post(f"/tms/sessions/{first.id}/reschedule", data={"date": "2026-03-02", "time": "15:30"}).status_code == 303
    assert _sessions(db, patient)[0].scheduled_at == datetime(2026, 3, 2, 20, 30, tzinfo=timezone.utc)
    assert admin_client.post(f"/tms/courses/{course.id}/sessions", data={"date": "2026-03-07", "time": "10:00"}).status_code == 303
    assert len(_sessions(db, patient)) == 6


def test_added_session_may_not_overlap(admin_client, db, patient, therapist):
    course = make_course(db, patient=patient, by=therapist, start=date(2026, 3, 2), weeks=1)
    response = admin_client.post(f"/tms/courses/{course.id}/sessions", data={"date": "2026-03-02", "time": "09:05"})
    assert response.status_code == 400
    assert "at least 10 minutes apart" in response.text
    assert len(_sessions(db, patient)) == 5


def test_clinic_day_lists_every_patient_for_staff_but_only_own_for_therapist(client, db, admin, therapist, patient):
    other = make_therapist(db, email="o@example.org")
    theirs = make_patient(db, therapist=other, email="theirs@example.org", name="Other Person")
    today = utcnow().astimezone(__import__("zoneinfo").ZoneInfo("America/New_York")).date()
    make_course(db, patient=patient, by=admin, start=today, weeks=1, weekdays=range(7))
    make_course(db, patient=theirs, by=admin, start=today, weeks=1, weekdays=range(7), at=__import__("datetime").time(11, 0))
    sign_in(client, admin)
    page = client.get("/clinic/today").text
    assert "Pat" in page and "Other Person" in page
    sign_in(client, therapist)
    page = client.get("/clinic/today").text
    assert "Pat" in page and "Other Person" not in page


def test_patient_confirms_todays_session_once_it_has_started(patient_client, db, patient, therapist):
    course = make_course(db, patient=patient, by=therapist, start=date(2026, 3, 2), weeks=1)
    session = TmsSession(course_id=course.id, patient_id=patient.id, scheduled_at=earlier_today(30))
    db.add(session)
    db.commit()
    assert patient_client.post(f"/tms/sessions/{session.id}/confirm").status_code == 303
    db.refresh(session)
    assert session.status == SessionStatus.COMPLETED and session.patient_reported


def test_patient_cannot_confirm_a_session_on_another_day(patient_client, db, patient, therapist):
    make_course(db, patient=patient, by=therapist, start=date(2026, 3, 2), weeks=1)
    first = _sessions(db, patient)[0]
    patient_client.post(f"/tms/sessions/{first.id}/confirm")
    assert _sessions(db, patient)[0].status == SessionStatus.SCHEDULED


def test_patient_cannot_confirm_someone_elses_session(patient_client, db, therapist):
    other = make_patient(db, therapist=therapist, email="o@example.org")
    course = make_course(db, patient=other, by=therapist, start=date(2026, 3, 2), weeks=1)
    first = _sessions(db, other)[0]
    assert course and patient_client.post(f"/tms/sessions/{first.id}/confirm").status_code == 404


def test_calendar_feed_lists_sessions_and_can_be_revoked(patient_client, client, db, patient, therapist):
    make_course(db, patient=patient, by=therapist, start=date(2026, 3, 2), weeks=1)
    first = _sessions(db, patient)[0]
    first.status = SessionStatus.CANCELLED
    db.add(first)
    db.commit()
    page = patient_client.post("/calendar").text
    url = page.split('id="feed-url" class="copy-field" type="text" readonly value="')[1].split('"')[0]
    path = url.split("://", 1)[1].split("/", 1)[1]
    feed = client.get("/" + path)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    body = feed.text
    assert body.count("BEGIN:VEVENT") == 5 and "SUMMARY:TMS session" in body
    assert "STATUS:CANCELLED" in body and body.count("STATUS:CONFIRMED") == 4
    assert "DTSTART:20260302T140000Z" in body
    assert "Pat" not in body  # no name in the feed
    patient_client.post("/calendar/revoke")
    assert client.get("/" + path).status_code == 404


def test_unknown_calendar_token_is_404(client):
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_new_acute_course_schedules_weekly_phq9_from_its_first_day(therapist_client, db, patient):
    from app.models import Assignment, HomeworkKind

    therapist_client.post(f"/patients/{patient.id}/tms/courses", data=STANDARD)
    phq9 = db.exec(select(Assignment).where(Assignment.kind == HomeworkKind.questionnaire)).one()
    assert (phq9.target, phq9.start_date, phq9.end_date) == ("phq9", date(2026, 3, 2), date(2026, 4, 11))


def test_maintenance_boosters_do_not_add_questionnaires(therapist_client, db, patient):
    from app.models import Assignment

    data = {"label": "Boosters", "protocol": "booster", "start_date": "2026-06-01", "sessions": "4", "every": "2",
            "unit": "weeks", "local_time": "10:00"}
    assert therapist_client.post(f"/patients/{patient.id}/tms/courses", data=data).status_code == 303
    assert db.exec(select(Assignment)).all() == []
