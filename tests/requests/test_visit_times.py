"""Issue 16, found 1 and 4: a visit's actual start drives its window; staff enter it when marking done, correct it
with history, get told what each button did, and are refused impossible times beside the field. Clinic time."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from app.homework.completion import record_completion
from app.homework.schedule import load_homework
from app.homework.timing import OccurrenceStatus, SessionStatus
from app.models import HomeworkCompletion, HomeworkKind, TmsSession, TmsSessionChange
from app.models.types import utcnow
from app.therapist.caseload import build_caseload
from tests.factories import make_assignment, make_course

NEW_YORK = ZoneInfo("America/New_York")


def ny(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), NEW_YORK).astimezone(ZoneInfo("UTC"))


def _visit_two_days_ago(db, patient, therapist):
    """A course running every day from a week ago; returns the 09:00 visit two days ago (clinic = New York)."""
    today = utcnow().astimezone(NEW_YORK).date()
    day = today - timedelta(days=2)
    make_course(db, patient=patient, by=therapist, start=today - timedelta(days=7), weeks=2, weekdays=frozenset(range(7)))
    session = db.exec(select(TmsSession).where(TmsSession.scheduled_at == ny(day, 9))).one()
    return day, session


def test_late_done_tap_with_real_start_counts_the_morning_thought_record_on_time(therapist_client, db, patient, therapist):
    """Found 1: visit 09:00, tapped done much later with actual start 09:05: the 10:30 thought record is on time
    and the caseload shows no missed post-TMS homework."""
    day, session = _visit_two_days_ago(db, patient, therapist)
    assignment = make_assignment(db, patient=patient, kind=HomeworkKind.thought_record, timing_kind="post_tms",
                                 title="Thought record after TMS", start_date=day - timedelta(days=7))
    record_completion(db, patient=patient, kind=HomeworkKind.thought_record, at=ny(day, 10, 30),
                      source="thought_records", source_id=1)
    db.commit()
    assert db.exec(select(HomeworkCompletion)).all() == []  # nothing open at 10:30 yet

    response = therapist_client.post(f"/tms/sessions/{session.id}/status",
                                     data={"status": "completed", "started_time": "09:05"}, follow_redirects=True)

    assert "Marked done" in response.text and "started 09:05" in response.text
    db.expire_all()
    assert session.started_at == ny(day, 9, 5)
    completion = db.exec(select(HomeworkCompletion)).one()
    assert (completion.assignment_id, completion.occurrence_key) == (assignment.id, f"tms:{session.id}")
    homework = load_homework(db, [patient])[patient.id]
    statuses = {v.occurrence.key: v.status for v in homework.views(through=day, now=utcnow(), since=day)}
    assert statuses[f"tms:{session.id}"] is OccurrenceStatus.DONE_ON_TIME
    (row,) = build_caseload(db, therapist, utcnow())
    assert not any("post-TMS" in reason for reason in row.reasons)


def test_correcting_a_start_keeps_history_and_moves_no_other_day(therapist_client, db, patient, therapist):
    day, session = _visit_two_days_ago(db, patient, therapist)
    therapist_client.post(f"/tms/sessions/{session.id}/status", data={"status": "completed", "started_time": "09:00"})
    db.expire_all()
    first_recorded = session.completed_at
    others_before = {s.id: (s.scheduled_at, s.status) for s in db.exec(select(TmsSession).where(TmsSession.id != session.id))}

    response = therapist_client.post(f"/tms/sessions/{session.id}/status",
                                     data={"status": "completed", "started_time": "11:15"}, follow_redirects=True)

    assert "Start corrected" in response.text
    db.expire_all()
    assert session.started_at == ny(day, 11, 15)
    assert session.completed_at == first_recorded
    history = db.exec(select(TmsSessionChange).where(TmsSessionChange.session_id == session.id)
                      .order_by(TmsSessionChange.id)).all()
    assert [(h.status_from, h.status_to, h.started_to) for h in history] == [
        ("scheduled", "completed", ny(day, 9)), ("completed", "completed", ny(day, 11, 15))]
    assert all(h.changed_by_id == therapist.id for h in history)
    assert {s.id: (s.scheduled_at, s.status) for s in db.exec(select(TmsSession).where(TmsSession.id != session.id))} == others_before


def test_missed_and_undo_say_what_they_did(therapist_client, db, patient, therapist):
    _day, session = _visit_two_days_ago(db, patient, therapist)

    missed = therapist_client.post(f"/tms/sessions/{session.id}/status", data={"status": "missed"}, follow_redirects=True)
    undone = therapist_client.post(f"/tms/sessions/{session.id}/status", data={"status": "scheduled"}, follow_redirects=True)

    assert "Marked missed: Pat" in missed.text
    assert "Undone: Pat" in undone.text and "booked again" in undone.text
    db.expire_all()
    assert session.status == SessionStatus.SCHEDULED


def _refused(client, db, session, data, message):
    response = client.post(f"/tms/sessions/{session.id}/status", data={"status": "completed", **data}, follow_redirects=True)
    assert message in response.text
    assert f'id="start-{session.id}-error"' in response.text  # beside the field
    db.expire_all()
    assert session.status == SessionStatus.SCHEDULED and session.started_at is None


def test_a_start_in_the_future_is_refused_beside_the_field(therapist_client, db, patient, therapist):
    _day, session = _visit_two_days_ago(db, patient, therapist)
    tomorrow = (utcnow().astimezone(NEW_YORK) + timedelta(days=1)).date()
    _refused(therapist_client, db, session, {"started_time": "09:00", "started_date": tomorrow.isoformat()}, "in the future")


def test_a_start_before_the_course_is_refused(therapist_client, db, patient, therapist):
    today = utcnow().astimezone(NEW_YORK).date()
    make_course(db, patient=patient, by=therapist, start=today - timedelta(days=2), weeks=1, weekdays=frozenset(range(7)))
    session = db.exec(select(TmsSession).order_by(TmsSession.scheduled_at)).first()
    before = (today - timedelta(days=3)).isoformat()
    _refused(therapist_client, db, session, {"started_time": "09:00", "started_date": before}, "before this course began")


def test_a_start_more_than_a_day_outside_clinic_hours_is_refused(therapist_client, db, patient, therapist):
    day, session = _visit_two_days_ago(db, patient, therapist)
    _refused(therapist_client, db, session, {"started_time": "05:00", "started_date": (day - timedelta(days=1)).isoformat()},
             "more than a day outside clinic hours")


def test_a_tokyo_patients_course_is_booked_in_clinic_time(therapist_client, db, therapist):
    """Found 4: Mon-Fri 09:00 is 09:00 at the clinic, not 09:00 in the patient's zone; both staff pages agree."""
    from tests.factories import make_patient

    tokyo = make_patient(db, therapist=therapist, email="tokyo@example.org", name="Kenji", timezone="Asia/Tokyo")
    db.commit()
    data = {"label": "Acute", "protocol": "standard", "start_date": "2026-03-02", "weeks": "1", "local_time": "09:00",
            "weekdays": ["0", "1", "2", "3", "4"]}
    assert therapist_client.post(f"/patients/{tokyo.id}/tms/courses", data=data).status_code == 303
    sessions = db.exec(select(TmsSession).where(TmsSession.patient_id == tokyo.id).order_by(TmsSession.scheduled_at)).all()
    assert [s.scheduled_at.astimezone(NEW_YORK).strftime("%a %H:%M") for s in sessions] == [
        "Mon 09:00", "Tue 09:00", "Wed 09:00", "Thu 09:00", "Fri 09:00"]
    course_page = therapist_client.get(f"/patients/{tokyo.id}/tms").text
    day_page = therapist_client.get("/clinic/today?day=2026-03-02").text
    assert "Mon 02 Mar, 09:00" in course_page and "Asia/Tokyo" in course_page
    assert "09:00" in day_page and "13:00" not in course_page


def test_a_patient_in_another_zone_sees_their_own_time_with_the_zone_named(client, db, therapist):
    from tests.conftest import sign_in
    from tests.factories import make_patient

    tokyo = make_patient(db, therapist=therapist, email="kenji@example.org", name="Kenji", timezone="Asia/Tokyo")
    today = utcnow().astimezone(ZoneInfo("Asia/Tokyo")).date()
    make_course(db, patient=tokyo, by=therapist, start=today, weeks=2, weekdays=frozenset(range(7)))
    sign_in(client, tokyo)
    page = client.get("/today").text
    assert "your time (Asia/Tokyo)" in page


def test_the_therapist_assigns_before_visit_homework_from_the_form(therapist_client, db, patient):
    from app.models import AssignmentTiming

    response = therapist_client.post(f"/patients/{patient.id}/homework", data={
        "kind": "exposure_practice", "title": "Provocation before TMS", "instructions": "", "start_date": "2026-11-02",
        "timing_kind": "pre_tms", "window_hours": "2"})
    assert response.status_code == 303
    (rule,) = db.exec(select(AssignmentTiming)).all()
    assert (rule.kind, rule.window_hours) == ("pre_tms", 2)
    page = therapist_client.get(f"/patients/{patient.id}/homework").text
    assert "Within N hours before each TMS visit (2 h)" in page
