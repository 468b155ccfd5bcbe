"""Assigning homework, editing its timing without rewriting history, completion, and the patient's Today."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from app.homework.completion import record_completion
from app.homework.timing import SessionStatus
from app.models import AssignmentTiming, HomeworkCompletion, HomeworkKind, TmsSession
from app.models.types import utcnow
from app.tms import services
from tests.factories import make_assignment, make_course, make_patient, make_therapist

NEW_YORK = ZoneInfo("America/New_York")
POST_TMS = {"kind": "thought_record", "title": "Thought record after TMS", "instructions": "One moment from today.",
            "start_date": "2026-03-02", "timing_kind": "post_tms", "window_hours": "4"}


def test_therapist_assigns_post_tms_homework(therapist_client, db, patient):
    response = therapist_client.post(f"/patients/{patient.id}/homework", data=POST_TMS)
    assert response.status_code == 303
    timing_row = db.exec(select(AssignmentTiming)).one()
    assert (timing_row.kind, timing_row.window_hours, timing_row.effective_from) == ("post_tms", 4, date(2026, 3, 2))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"window_hours": "0"}, "from 1 to 24"),
        ({"window_hours": "25"}, "from 1 to 24"),
        ({"timing_kind": "weekly", "local_time": "18:00"}, "Choose the one weekday"),
        ({"timing_kind": "daily", "local_time": ""}, "Choose a reminder time"),
        ({"timing_kind": "once"}, "Choose a due date"),
        ({"end_date": "2026-03-01"}, "can&#39;t be before the start date"),
        ({"title": ""}, "short title"),
        ({"title": "x" * 121}, "at most 120 characters"),
        ({"kind": "astrology"}, "Choose what kind"),
        ({"kind": "questionnaire", "target_questionnaire": "bdi"}, "Choose one of the listed options"),
    ],
)
def test_bad_assignment_input_is_explained_and_nothing_saved(therapist_client, db, patient, changes, message):
    response = therapist_client.post(f"/patients/{patient.id}/homework", data={**POST_TMS, **changes})
    assert response.status_code == 400
    assert message in response.text
    assert "One moment from today." in response.text
    assert db.exec(select(AssignmentTiming)).all() == []


def test_assigning_to_another_therapists_patient_is_404(therapist_client, db):
    other = make_therapist(db, email="o@example.org")
    theirs = make_patient(db, therapist=other, email="theirs@example.org")
    assert therapist_client.post(f"/patients/{theirs.id}/homework", data=POST_TMS).status_code == 404


def test_editing_timing_adds_a_version_from_today(therapist_client, db, patient):
    assignment = make_assignment(db, patient=patient, kind=HomeworkKind.thought_record, timing_kind="post_tms",
                                 start_date=date(2026, 1, 5))
    response = therapist_client.post(f"/homework/{assignment.id}/edit", data={
        "title": "Evening record", "instructions": "", "timing_kind": "daily", "local_time": "19:00", "window_hours": "4"})
    assert response.status_code == 303
    versions = db.exec(select(AssignmentTiming).order_by(AssignmentTiming.effective_from)).all()
    today = utcnow().astimezone(NEW_YORK).date()
    assert [(v.kind, v.effective_from) for v in versions] == [("post_tms", date(2026, 1, 5)), ("daily", today)]


def _completed_session_today(db, patient, therapist, *, hours_ago: float):
    now = utcnow()
    course = make_course(db, patient=patient, by=therapist, start=date(2026, 1, 5), weeks=1)
    session = TmsSession(course_id=course.id, patient_id=patient.id, scheduled_at=now - timedelta(hours=hours_ago, minutes=40))  # ends (40 min) as it is marked
    db.add(session)
    db.flush()
    services.set_status(db, session=session, status=SessionStatus.COMPLETED, by=therapist, at=now - timedelta(hours=hours_ago))
    db.commit()
    return session


def test_today_shows_the_open_post_tms_window_with_its_closing_time(patient_client, db, patient, therapist):
    make_assignment(db, patient=patient, kind=HomeworkKind.thought_record, timing_kind="post_tms",
                    title="Thought record after TMS", start_date=date(2026, 1, 5))
    session = _completed_session_today(db, patient, therapist, hours_ago=1)
    closes = (session.completed_at + timedelta(hours=4)).astimezone(NEW_YORK).strftime("%H:%M")
    page = patient_client.get("/today").text
    assert f"Practice window open until {closes}" in page
    assert "Thought record after TMS" in page.split("Practice window open")[1].split("</section>")[0]


def test_today_has_no_window_once_it_has_closed(patient_client, db, patient, therapist):
    make_assignment(db, patient=patient, kind=HomeworkKind.thought_record, timing_kind="post_tms",
                    title="Thought record after TMS", start_date=date(2026, 1, 5))
    _completed_session_today(db, patient, therapist, hours_ago=5)
    page = patient_client.get("/today").text
    assert "Practice window open" not in page
    assert "Still open from earlier" in page and "Thought record after TMS" in page


def test_today_announces_post_tms_homework_before_the_visit(patient_client, db, patient, therapist):
    make_assignment(db, patient=patient, kind=HomeworkKind.thought_record, timing_kind="post_tms",
                    title="Thought record after TMS", start_date=date(2026, 1, 5))
    course = make_course(db, patient=patient, by=therapist, start=date(2026, 1, 5), weeks=1)
    later = utcnow() + timedelta(minutes=20)
    db.add(TmsSession(course_id=course.id, patient_id=patient.id, scheduled_at=later))
    db.commit()
    page = patient_client.get("/today").text
    assert "Practice window open" not in page
    if later.astimezone(NEW_YORK).date() == utcnow().astimezone(NEW_YORK).date():  # not when run just before midnight
        assert "After today's session" in page and "I've just had my TMS" in page


def test_entry_inside_the_window_completes_it_on_time(db, patient, therapist):
    assignment = make_assignment(db, patient=patient, kind=HomeworkKind.thought_record, timing_kind="post_tms",
                                 start_date=date(2026, 1, 5))
    session = _completed_session_today(db, patient, therapist, hours_ago=1)
    done = record_completion(db, patient=patient, kind=HomeworkKind.thought_record, at=utcnow(), source="thought_records", source_id=1)
    db.commit()
    assert [(c.assignment_id, c.occurrence_key) for c in done] == [(assignment.id, f"tms:{session.id}")]
    again = record_completion(db, patient=patient, kind=HomeworkKind.thought_record, at=utcnow(), source="thought_records", source_id=2)
    assert again == []  # the occurrence is already done; a second entry completes nothing more


def test_entry_of_another_kind_or_target_completes_nothing(db, patient, therapist):
    make_assignment(db, patient=patient, kind=HomeworkKind.questionnaire, target="phq9", timing_kind="daily",
                    start_date=date(2026, 1, 5))
    assert record_completion(db, patient=patient, kind=HomeworkKind.questionnaire, at=utcnow(), source="x", source_id=1, target="gad7") == []
    assert record_completion(db, patient=patient, kind=HomeworkKind.thought_record, at=utcnow(), source="x", source_id=1) == []
    assert len(record_completion(db, patient=patient, kind=HomeworkKind.questionnaire, at=utcnow(), source="x", source_id=1, target="phq9")) == 1


def test_done_homework_shows_as_done_on_today(patient_client, db, patient, therapist):
    make_assignment(db, patient=patient, kind=HomeworkKind.mood_checkin, timing_kind="daily", title="Evening check-in",
                    start_date=date(2026, 1, 5), local_time=time(20, 0))
    record_completion(db, patient=patient, kind=HomeworkKind.mood_checkin, at=utcnow(), source="checkins", source_id=1)
    db.commit()
    page = patient_client.get("/today").text
    assert "Done today" in page and "Evening check-in" in page.split("Done today")[1]


def test_week_view_shows_each_day_with_status(patient_client, db, patient):
    make_assignment(db, patient=patient, kind=HomeworkKind.mood_checkin, timing_kind="daily", title="Evening check-in",
                    start_date=date(2026, 1, 5), local_time=time(20, 0))
    page = patient_client.get("/week").text
    assert page.count("Evening check-in") == 7


def test_ending_an_assignment_keeps_its_history(therapist_client, db, patient):
    assignment = make_assignment(db, patient=patient, kind=HomeworkKind.mood_checkin, timing_kind="daily",
                                 start_date=date(2026, 1, 5))
    record_completion(db, patient=patient, kind=HomeworkKind.mood_checkin, at=utcnow(), source="x", source_id=1)
    db.commit()
    assert therapist_client.post(f"/homework/{assignment.id}/end").status_code == 303
    db.refresh(assignment)
    assert assignment.end_date == utcnow().astimezone(NEW_YORK).date()
    assert len(db.exec(select(HomeworkCompletion)).all()) == 1


def test_yesterdays_daily_task_is_not_repeated_beside_todays(patient_client, db, patient):
    make_assignment(db, patient=patient, kind=HomeworkKind.thought_record, timing_kind="daily", title="Evening record",
                    start_date=date(2026, 1, 5), local_time=time(20, 0))
    page = patient_client.get("/today").text
    assert page.count("<strong>Evening record</strong>") == 1
    assert "Still open from earlier" not in page


def test_exposure_homework_can_target_one_of_the_patients_own_items(therapist_client, db, patient, therapist):
    from app.models.exposure import ExposureKind, Hierarchy, HierarchyItem

    ladder = Hierarchy(patient_id=patient.id, title="Contamination", kind=ExposureKind.erp)
    db.add(ladder)
    db.flush()
    item = HierarchyItem(hierarchy_id=ladder.id, patient_id=patient.id, kind=ExposureKind.erp,
                         description="Touch the door handle", suds=40)
    db.add(item)
    db.commit()
    page = therapist_client.get(f"/patients/{patient.id}/homework").text
    assert "Touch the door handle (SUDS 40)" in page
    data = {**POST_TMS, "kind": "exposure_practice", "target_exposure_practice": f"item:{item.id}"}
    assert therapist_client.post(f"/patients/{patient.id}/homework", data=data).status_code == 303
    bad = {**POST_TMS, "kind": "exposure_practice", "target_exposure_practice": "item:99999"}
    assert therapist_client.post(f"/patients/{patient.id}/homework", data=bad).status_code == 400


def test_check_ins_and_questionnaires_are_not_repeated_as_tasks(patient_client, db, patient):
    make_assignment(db, patient=patient, kind=HomeworkKind.mood_checkin, timing_kind="daily", title="Evening check-in",
                    start_date=date(2026, 1, 5), local_time=time(20, 0))
    make_assignment(db, patient=patient, kind=HomeworkKind.questionnaire, target="phq9", timing_kind="daily",
                    title="PHQ-9 weekly", start_date=date(2026, 1, 5), local_time=time(10, 0))
    page = patient_client.get("/today").text
    assert "<strong>Evening check-in</strong>" not in page and "<strong>PHQ-9 weekly</strong>" not in page
    assert "Daily check-in" in page and "PHQ-9 questionnaire" in page  # offered once, on the check-ins card
