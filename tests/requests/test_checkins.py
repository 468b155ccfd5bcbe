"""Check-ins, questionnaires and the Measures tab through the client, including PHQ-9 item 9 and bad input."""
import re
from datetime import date, datetime, time, timedelta, timezone

from sqlmodel import select

from app.checkins import services
from app.models import (
    Assignment,
    ClinicianRating,
    HomeworkCompletion,
    HomeworkKind,
    MoodCheckin,
    QuestionnaireResponse,
    SafetyEvent,
    SafetyEventSource,
    SideEffectCheck,
    TmsCourse,
    TmsSession,
)
from app.homework.schedule import local_today
from app.homework.timing import SessionStatus
from app.models.types import utcnow
from tests.conftest import sign_in
from tests.factories import earlier_today, make_assignment, make_patient, make_therapist

PHQ9_MILD = {f"item{n}": "1" for n in range(1, 9)} | {"item9": "0"}


def _all(db, model):
    db.expire_all()
    return db.exec(select(model).order_by(model.id)).all()


def test_checkin_saves_mood_and_completes_todays_mood_homework(patient_client, db, patient):
    today = local_today(patient, utcnow())
    assignment = make_assignment(db, patient=patient, kind=HomeworkKind.mood_checkin, start_date=today)
    response = patient_client.post("/checkins/new", data={"mood": "3", "anxiety": "", "sleep_hours": "6.5", "note": "Tired"})
    assert response.status_code == 303 and response.headers["Location"] == "/today"
    (row,) = _all(db, MoodCheckin)
    assert (row.mood, row.anxiety, row.sleep_hours, row.note) == (3, None, 6.5, "Tired")
    (completion,) = _all(db, HomeworkCompletion)
    assert (completion.assignment_id, completion.source, completion.source_id) == (assignment.id, "mood_checkins", row.id)


def test_checkin_without_mood_comes_back_with_the_rest_kept(patient_client, db):
    response = patient_client.post("/checkins/new", data={"anxiety": "7", "sleep_hours": "5", "note": "Rough night"})
    assert response.status_code == 400
    assert "Choose your mood" in response.text
    assert 'name="anxiety" value="7" checked' in response.text and 'value="5"' in response.text and "Rough night" in response.text
    assert _all(db, MoodCheckin) == []


def test_phq9_is_scored_stored_and_completes_the_weekly_assignment(patient_client, db, patient):
    today = local_today(patient, utcnow())
    assignment = make_assignment(db, patient=patient, kind=HomeworkKind.questionnaire, target="phq9",
                                 timing_kind="weekly", weekdays=str(today.weekday()), start_date=today)
    response = patient_client.post("/questionnaires/phq9", data=PHQ9_MILD)
    assert response.status_code == 303 and response.headers["Location"] == "/questionnaires"
    (row,) = _all(db, QuestionnaireResponse)
    assert (row.instrument, row.total, row.band, row.safety_flag) == ("phq9", 8, "mild", False)
    assert row.answers == {str(n): 1 for n in range(1, 9)} | {"9": 0}
    assert [c.assignment_id for c in _all(db, HomeworkCompletion)] == [assignment.id]
    assert _all(db, SafetyEvent) == []


def test_phq9_with_a_missing_item_keeps_the_others_and_marks_the_gap(patient_client, db):
    data = dict(PHQ9_MILD)
    del data["item4"]
    response = patient_client.post("/questionnaires/phq9", data=data)
    assert response.status_code == 400
    assert 'id="item4-error"' in response.text and 'id="item3-error"' not in response.text
    assert len(re.findall(r"<input[^>]* checked[ >]", response.text)) == 8  # kept answers, not "checked off" text
    assert _all(db, QuestionnaireResponse) == []


def test_phq9_item9_event_is_kept_even_when_other_answers_are_missing(patient_client, db, patient):
    response = patient_client.post("/questionnaires/phq9", data={"item1": "2", "item9": "1", "idempotency_key": "form-key-0001"})
    assert response.status_code == 400
    (event,) = _all(db, SafetyEvent)
    assert (event.patient_id, event.source, event.item_value, event.response_id) == (
        patient.id, SafetyEventSource.phq9_item9, 1, None)
    assert "has been sent to your therapist" in response.text and 'href="tel:988"' in response.text
    assert 'name="idempotency_key" value="form-key-0001"' in response.text  # the re-shown form is the same submission
    assert _all(db, QuestionnaireResponse) == []

    completed = {f"item{n}": "2" for n in range(1, 9)} | {"item9": "1", "idempotency_key": "form-key-0001"}
    done = patient_client.post("/questionnaires/phq9", data=completed)
    assert done.status_code == 303 and done.headers["Location"] == "/safety/crisis"
    (event,) = _all(db, SafetyEvent)
    (row,) = _all(db, QuestionnaireResponse)
    assert (event.response_id, row.total, row.band, row.safety_flag) == (row.id, 17, "moderately severe", True)


def test_phq9_item9_raises_an_event_whatever_the_total(patient_client, db):
    answers = {f"item{n}": "0" for n in range(1, 9)} | {"item9": "1"}
    assert patient_client.post("/questionnaires/phq9", data=answers).headers["Location"] == "/safety/crisis"
    (event,) = _all(db, SafetyEvent)
    (row,) = _all(db, QuestionnaireResponse)
    assert (row.total, row.band, event.response_id) == (1, "minimal", row.id)


def test_another_patients_submission_key_is_not_reused(client, db, therapist, patient):
    other = make_patient(db, therapist=therapist, email="o@example.org", name="Other")
    sign_in(client, other)
    client.post("/questionnaires/phq9", data={"item9": "2", "idempotency_key": "shared-key-0001"})
    sign_in(client, patient)
    client.post("/questionnaires/phq9", data={"item9": "3", "idempotency_key": "shared-key-0001"})
    events = _all(db, SafetyEvent)
    assert [(e.patient_id, e.item_value) for e in events] == [(other.id, 2), (patient.id, 3)]


def test_questionnaire_responses_have_no_edit_route(patient_client, db):
    patient_client.post("/questionnaires/gad7", data={f"item{n}": "3" for n in range(1, 8)})
    (row,) = _all(db, QuestionnaireResponse)
    assert (row.total, row.band) == (21, "severe")
    assert patient_client.post(f"/questionnaires/gad7/{row.id}", data={"item1": "0"}).status_code in (404, 405)


def test_unknown_questionnaire_is_404(patient_client):
    assert patient_client.get("/questionnaires/ybocs").status_code == 404


def test_pcl5_shows_standard_wording_and_five_options(patient_client):
    page = patient_client.get("/questionnaires/pcl5").text
    assert "In the past month, how much were you bothered by:" in page
    assert page.count('name="item20"') == 5 and "Extremely" in page


def test_questionnaires_list_puts_due_ones_first(patient_client, db, patient):
    today = local_today(patient, utcnow())
    make_assignment(db, patient=patient, kind=HomeworkKind.questionnaire, target="gad7", timing_kind="weekly",
                    weekdays=str(today.weekday()), start_date=today)
    page = patient_client.get("/questionnaires").text
    assert page.index("Due now") < page.index("GAD-7") < page.index("PHQ-9")


def test_ensure_default_questionnaires_makes_one_weekly_phq9_from_the_first_day(db, therapist, patient):
    start = date(2026, 3, 2)
    first = services.ensure_default_questionnaires(db, patient=patient, start=start, end=date(2026, 4, 10), by=therapist)
    again = services.ensure_default_questionnaires(db, patient=patient, start=start, end=date(2026, 4, 10), by=therapist)
    db.commit()
    assert first.id == again.id and len(_all(db, Assignment)) == 1
    (entry,) = [e for e in services.questionnaire_schedule(db, patient=patient, today=start) if e.assignment]
    assert (entry.instrument.code, entry.weekday, first.target, first.kind) == ("phq9", 0, "phq9", HomeworkKind.questionnaire)
    monday_noon = datetime.combine(start, time(12), timezone.utc)
    assert [d.instrument.code for d in services.due_questionnaires(db, patient=patient, now=monday_noon)] == ["phq9"]


def test_therapist_turns_gad7_on_moves_its_day_and_turns_it_off(therapist_client, db, patient):
    url = f"/patients/{patient.id}/measures/schedule"
    assert therapist_client.post(url, data={"code": "gad7", "enabled": "1", "weekday": "2"}).status_code == 303
    today = local_today(patient, utcnow())
    schedule = {e.instrument.code: e for e in services.questionnaire_schedule(db, patient=patient, today=today)}
    assert schedule["gad7"].weekday == 2 and schedule["pcl5"].assignment is None
    therapist_client.post(url, data={"code": "gad7", "enabled": "1", "weekday": "4"})
    db.expire_all()
    assert {e.instrument.code: e.weekday for e in services.questionnaire_schedule(db, patient=patient, today=today)}["gad7"] == 4
    therapist_client.post(url, data={"code": "gad7", "enabled": "0"})
    db.expire_all()
    assert all(e.assignment is None for e in services.questionnaire_schedule(db, patient=patient, today=today))


def test_schedule_rejects_unknown_instrument(therapist_client, patient):
    response = therapist_client.post(f"/patients/{patient.id}/measures/schedule", data={"code": "ybocs", "enabled": "1", "weekday": "1"})
    assert response.status_code == 400


def test_measures_tab_shows_phq9_response_against_baseline(therapist_client, db, patient):
    base = datetime(2026, 1, 5, 15, tzinfo=timezone.utc)
    for week, total in enumerate([20, 14, 9]):
        answers = {str(n): min(3, max(0, total - 3 * (n - 1))) for n in range(1, 9)} | {"9": 0}
        db.add(QuestionnaireResponse(patient_id=patient.id, instrument="phq9", answers=answers, total=total, band="x",
                                     submitted_at=base + timedelta(weeks=week)))
    db.commit()
    page = therapist_client.get(f"/patients/{patient.id}/measures").text
    assert "baseline" in page and "-11 (-55 %)" in page and "response" in page


def test_clinician_rating_out_of_range_is_refused_and_kept(therapist_client, db, patient):
    url = f"/patients/{patient.id}/measures/ratings"
    bad = therapist_client.post(url, data={"scale": "ybocs", "total": "41", "rated_on": "2026-01-05"})
    assert bad.status_code == 400 and "from 0 to 40" in bad.text and 'value="41"' in bad.text
    assert therapist_client.post(url, data={"scale": "ybocs", "total": "40", "rated_on": "2026-01-05"}).status_code == 303
    (rating,) = _all(db, ClinicianRating)
    assert (rating.scale, rating.total, rating.rated_on) == ("ybocs", 40, date(2026, 1, 5))


def test_clinician_rating_in_the_future_is_refused(therapist_client, db, patient):
    tomorrow = (utcnow() + timedelta(days=2)).date().isoformat()
    response = therapist_client.post(f"/patients/{patient.id}/measures/ratings", data={"scale": "madrs", "total": "20", "rated_on": tomorrow})
    assert response.status_code == 400 and "be in the future" in response.text


def test_another_therapists_patient_measures_are_404(client, db, patient):
    sign_in(client, make_therapist(db, email="o@example.org", name="Dr. O"))
    assert client.get(f"/patients/{patient.id}/measures").status_code == 404
    assert client.post(f"/patients/{patient.id}/measures/ratings", data={"scale": "hamd", "total": "3", "rated_on": "2026-01-05"}).status_code == 404


def _completed_session(db, patient, therapist, at):
    course = TmsCourse(patient_id=patient.id, label="Acute", protocol="standard", start_date=at.date(), created_by_id=therapist.id)
    db.add(course)
    db.flush()
    session = TmsSession(course_id=course.id, patient_id=patient.id, scheduled_at=at - timedelta(minutes=30),
                         status=SessionStatus.COMPLETED, completed_at=at)
    db.add(session)
    db.commit()
    return session


def test_side_effect_check_after_todays_visit_is_offered_then_seen_by_tms_team(client, db, patient, therapist, admin):
    session = _completed_session(db, patient, therapist, earlier_today(5))
    sign_in(client, patient)
    today_partial = services.today_checkins(db, patient=patient, now=utcnow())
    assert today_partial.side_effect_session.id == session.id
    missing = client.post(f"/checkins/side-effects?session_id={session.id}", data={"headache": "4"})
    assert missing.status_code == 400 and "scalp discomfort" in missing.text
    assert client.post("/checkins/side-effects", data={"session_id": session.id, "headache": "8", "scalp_discomfort": "2"}).status_code == 303
    (row,) = _all(db, SideEffectCheck)
    assert (row.session_id, row.headache, row.scalp_discomfort) == (session.id, 8, 2)
    assert services.today_checkins(db, patient=patient, now=utcnow()).side_effect_session is None
    sign_in(client, admin)
    report = client.get("/clinic/side-effects")
    assert report.status_code == 200 and "Pat Example" in report.text and 'class="is-high"' in report.text


def test_side_effect_check_for_someone_elses_visit_is_404(client, db, therapist, patient):
    other = make_patient(db, therapist=therapist, email="o@example.org", name="Other")
    session = _completed_session(db, other, therapist, utcnow())
    sign_in(client, patient)
    assert client.get(f"/checkins/side-effects?session_id={session.id}").status_code == 404


def test_patients_cannot_open_the_side_effects_report(patient_client):
    assert patient_client.get("/clinic/side-effects").status_code == 403


def test_today_partial_shows_checkin_state_and_due_questionnaires(app, client, db, patient):
    from flask import render_template

    today = local_today(patient, utcnow())
    make_assignment(db, patient=patient, kind=HomeworkKind.questionnaire, target="phq9", timing_kind="weekly",
                    weekdays=str(today.weekday()), start_date=today)
    with app.test_request_context():
        before = render_template("checkins/_today.html", patient=patient)
    assert "Daily check-in</strong>" in before and "PHQ-9 questionnaire" in before and "/questionnaires/phq9" in before
    sign_in(client, patient)
    client.post("/checkins/new", data={"mood": "7"})
    client.post("/questionnaires/phq9", data=PHQ9_MILD)
    with app.test_request_context():
        after = render_template("checkins/_today.html", patient=patient)
    assert "Daily check-in: done" in after and "Mood 7/10" in after and "PHQ-9 questionnaire" not in after
