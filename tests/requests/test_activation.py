"""Behavioural activation through the client: planning, rating, re-planning, homework completion, therapist view."""
from datetime import time, timedelta

from flask import render_template
import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from app.activation.services import activities_for_day
from app.homework.schedule import local_today
from app.models import Activity, ActivityIdea, ActivityStatus, HomeworkCompletion, HomeworkKind
from app.models.types import utcnow
from tests.conftest import sign_in
from tests.factories import make_assignment, make_patient, make_therapist


def today_of(patient):
    return local_today(patient, utcnow())


def add_activity(db, patient, *, day, title="Take a 10-minute walk", at=None, status=ActivityStatus.planned, **kw):
    activity = Activity(patient_id=patient.id, created_by_id=patient.id, title=title, planned_date=day,
                        planned_time=at, status=status, recorded_at=None if status == ActivityStatus.planned else utcnow(),
                        **kw)
    db.add(activity)
    db.commit()
    return activity


def activities(db) -> list[Activity]:
    db.expire_all()
    return list(db.exec(select(Activity).order_by(Activity.id)))


def test_patient_plans_an_activity_and_sees_it_in_the_week(patient_client, db, patient):
    day = today_of(patient) + timedelta(days=1)
    response = patient_client.post("/activities/new", data={
        "title": "Call my sister", "life_area": "relationships", "planned_date": day.isoformat(), "planned_time": "18:15"})
    assert response.status_code == 303
    [activity] = activities(db)
    assert (activity.planned_date, activity.planned_time, activity.created_by_id) == (day, time(18, 15), patient.id)
    week = patient_client.get(response.headers["Location"]).text
    assert "Call my sister" in week and "18:15" in week and "Relationships" in week


def test_bad_plan_is_flagged_beside_each_field_with_values_kept(patient_client, db):
    response = patient_client.post("/activities/new", data={
        "title": "w" * 121, "life_area": "relationships", "planned_date": "", "planned_time": "7pm"})
    assert response.status_code == 400
    page = response.text
    assert 'id="title-error"' in page and "at most 120 characters (this has 121)" in page
    assert 'id="planned_date-error"' in page and 'id="planned_time-error"' in page
    assert 'value="7pm"' in page and '<option selected value="relationships">' in page
    assert activities(db) == []


def test_idea_link_prefills_the_plan_and_clinic_ideas_are_offered(patient_client, db, therapist):
    db.add(ActivityIdea(life_area="leisure_fun", text="Feed the ducks at the pond", created_by_id=therapist.id))
    db.commit()
    page = patient_client.get("/activities/new").text
    assert "Take a 10-minute walk outside" in page and "Feed the ducks at the pond" in page
    prefilled = patient_client.get("/activities/new?title=Feed+the+ducks+at+the+pond&area=leisure_fun").text
    assert 'value="Feed the ducks at the pond"' in prefilled and '<option selected value="leisure_fun">' in prefilled


def test_marking_done_with_ratings_completes_the_activity_homework(patient_client, db, patient):
    today = today_of(patient)
    assignment = make_assignment(db, patient=patient, kind=HomeworkKind.activity_plan, start_date=today - timedelta(days=1))
    activity = add_activity(db, patient, day=today)
    response = patient_client.post(f"/activities/{activity.id}/record", data={
        "outcome": "done", "pleasure": "7", "mastery": "6", "mood_before": "3", "mood_after": "5"})
    assert response.status_code == 303
    [saved] = activities(db)
    assert (saved.status, saved.pleasure, saved.mastery, saved.mood_before, saved.mood_after) == (
        ActivityStatus.done, 7, 6, 3, 5)
    [completion] = db.exec(select(HomeworkCompletion)).all()
    assert completion.assignment_id == assignment.id and completion.occurrence_key == f"day:{today.isoformat()}"
    assert (completion.source, completion.source_id) == ("activities", activity.id)


def test_changing_ratings_later_completes_no_second_occurrence(patient_client, db, patient):
    today = today_of(patient)
    make_assignment(db, patient=patient, kind=HomeworkKind.activity_plan, start_date=today - timedelta(days=3))
    activity = add_activity(db, patient, day=today)
    for pleasure in ("4", "8"):
        patient_client.post(f"/activities/{activity.id}/record", data={"outcome": "done", "pleasure": pleasure, "mastery": "5"})
    assert activities(db)[0].pleasure == 8
    assert len(db.exec(select(HomeworkCompletion)).all()) == 1


def test_done_yesterday_recorded_today_completes_yesterdays_occurrence_late(patient_client, db, patient):
    yesterday = today_of(patient) - timedelta(days=1)
    make_assignment(db, patient=patient, kind=HomeworkKind.activity_plan, start_date=yesterday, end_date=yesterday)
    activity = add_activity(db, patient, day=yesterday)
    patient_client.post(f"/activities/{activity.id}/record", data={"outcome": "done", "pleasure": "5", "mastery": "5"})
    [completion] = db.exec(select(HomeworkCompletion)).all()
    assert completion.occurrence_key == f"day:{yesterday.isoformat()}"
    assert completion.completed_at >= utcnow() - timedelta(minutes=5)


def test_not_done_completes_no_homework_and_done_needs_ratings(patient_client, db, patient):
    make_assignment(db, patient=patient, kind=HomeworkKind.activity_plan, start_date=today_of(patient))
    activity = add_activity(db, patient, day=today_of(patient))
    missing = patient_client.post(f"/activities/{activity.id}/record", data={"outcome": "done", "pleasure": "11"})
    assert missing.status_code == 400
    assert "Pleasure must be from 0 to 10." in missing.text and 'id="mastery-error"' in missing.text
    assert 'value="11"' in missing.text
    patient_client.post(f"/activities/{activity.id}/record", data={"outcome": "not_done", "note": "Rained"})
    assert activities(db)[0].status == ActivityStatus.not_done
    assert db.exec(select(HomeworkCompletion)).all() == []


def test_missed_activity_is_replanned_in_one_tap_and_only_once(patient_client, db, patient):
    today = today_of(patient)
    missed = add_activity(db, patient, day=today - timedelta(days=2), at=time(9, 0))
    week = patient_client.get(f"/activities?week={missed.planned_date.isoformat()}").text
    assert 'aria-label="Re-plan: Take a 10-minute walk"' in week
    first = patient_client.post(f"/activities/{missed.id}/replan")
    second = patient_client.post(f"/activities/{missed.id}/replan")
    assert first.status_code == second.status_code == 303
    original, copy = activities(db)
    assert original.status == ActivityStatus.not_done
    assert (copy.planned_date, copy.planned_time, copy.replanned_from_id) == (today, time(9, 0), original.id)
    assert copy.status == ActivityStatus.planned


def test_done_activity_cannot_be_replanned(patient_client, db, patient):
    done = add_activity(db, patient, day=today_of(patient), status=ActivityStatus.done, pleasure=5, mastery=5)
    patient_client.post(f"/activities/{done.id}/replan")
    assert len(activities(db)) == 1


def test_another_patients_activity_is_a_404(client, db, therapist, patient):
    activity = add_activity(db, patient, day=today_of(patient))
    other = make_patient(db, therapist=therapist, email="other@example.org", name="Other")
    sign_in(client, other)
    assert client.get(f"/activities/{activity.id}/record").status_code == 404
    assert client.post(f"/activities/{activity.id}/record", data={"outcome": "not_done"}).status_code == 404
    assert client.post(f"/activities/{activity.id}/replan").status_code == 404
    assert activities(db)[0].status == ActivityStatus.planned


def test_activities_for_day_lists_timed_first_in_time_order(app, db, patient):
    today = today_of(patient)
    add_activity(db, patient, day=today, title="Untimed")
    add_activity(db, patient, day=today, title="Evening", at=time(19, 0))
    add_activity(db, patient, day=today, title="Morning", at=time(8, 0))
    add_activity(db, patient, day=today + timedelta(days=1), title="Tomorrow")
    titles = [a.title for a in activities_for_day(db, patient, today)]
    assert titles == ["Morning", "Evening", "Untimed"]


def test_today_partial_renders_the_days_activities(app, db, patient):
    today = today_of(patient)
    add_activity(db, patient, day=today, title="Water the plants", at=time(8, 30))
    with app.test_request_context():
        html = render_template("activation/_today.html", today_activities=activities_for_day(db, patient, today),
                               today=today)
    assert "Water the plants" in html and "08:30" in html and "Did it? Rate it" in html


def test_therapist_sees_plan_vs_done_and_adds_an_activity(client, db, therapist, patient):
    today = today_of(patient)
    add_activity(db, patient, day=today, title="Walk", status=ActivityStatus.done, pleasure=6, mastery=4,
                 mood_before=3, mood_after=6)
    add_activity(db, patient, day=today, title="Gym", status=ActivityStatus.not_done)
    sign_in(client, therapist)
    page = client.get(f"/patients/{patient.id}/activities?week={today.isoformat()}").text
    assert "Planned 2 · done 1 · not done 1" in page and "mean pleasure 6.0/10" in page and "3 → 6" in page
    response = client.post(f"/patients/{patient.id}/activities", data={
        "title": "Coffee with a friend", "life_area": "relationships", "planned_date": today.isoformat()})
    assert response.status_code == 303
    added = activities(db)[-1]
    assert (added.patient_id, added.created_by_id, added.title) == (patient.id, therapist.id, "Coffee with a friend")
    bad = client.post(f"/patients/{patient.id}/activities", data={"title": "", "planned_date": today.isoformat()})
    assert bad.status_code == 400 and "What you&#39;ll do is needed." in bad.text


def test_therapist_cannot_plan_for_someone_elses_patient(client, db, patient):
    stranger = make_therapist(db, email="stranger@example.org", name="Dr. Stranger")
    sign_in(client, stranger)
    assert client.get(f"/patients/{patient.id}/activities").status_code == 404
    response = client.post(f"/patients/{patient.id}/activities",
                           data={"title": "x", "planned_date": today_of(patient).isoformat()})
    assert response.status_code == 404 and activities(db) == []


def test_therapist_extends_the_ideas_library_and_duplicates_are_refused(therapist_client, db):
    response = therapist_client.post("/activity-ideas", data={"life_area": "leisure_fun", "text": "Fly a kite"})
    assert response.status_code == 303
    again = therapist_client.post("/activity-ideas", data={"life_area": "leisure_fun", "text": "Fly a kite"})
    assert again.status_code == 400 and "already in this life area" in again.text
    builtin = therapist_client.post("/activity-ideas", data={"life_area": "health_body", "text": "Make your bed"})
    assert builtin.status_code == 303
    missing = therapist_client.post("/activity-ideas", data={"life_area": "", "text": ""})
    assert missing.status_code == 400 and "Choose a life area." in missing.text and "The idea is needed." in missing.text
    assert len(db.exec(select(ActivityIdea)).all()) == 2


def test_patients_cannot_edit_the_ideas_library(patient_client):
    assert patient_client.post("/activity-ideas", data={"life_area": "leisure_fun", "text": "x"}).status_code == 403


def test_database_refuses_ratings_out_of_range_and_unrated_done(db, patient):
    day = today_of(patient)
    for bad in ({"status": ActivityStatus.done, "pleasure": 11, "mastery": 5},
                {"status": ActivityStatus.done, "pleasure": 5, "mastery": -1},
                {"status": ActivityStatus.done, "pleasure": None, "mastery": None},
                {"mood_after": 11}):
        with pytest.raises(IntegrityError):
            add_activity(db, patient, day=day, **bad)
        db.rollback()
    add_activity(db, patient, day=day, status=ActivityStatus.done, pleasure=10, mastery=0, mood_before=0, mood_after=10)
