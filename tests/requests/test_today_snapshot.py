"""Today keeps what it loaded per patient until the patient's data version moves: every change to those rows moves
it (in the same transaction), a repeat visit costs one query, and a change made through another process shows."""
from datetime import date, datetime

import pytest
from sqlalchemy import delete, update
from sqlmodel import select

from app import create_app
from app.data_version import BulkWriteRefused
from app.models import (
    Activity, AssignmentTiming, HomeworkCompletion, HomeworkKind, MoodCheckin, SideEffectCheck, TmsSession, User,
)
from app.models.tms import SessionStatus
from app.models.types import utcnow
from app.today.snapshot import SnapshotCache
from tests.conftest import sign_in
from tests.factories import (
    earlier_today, make_assignment, make_course, make_patient, skip_unless_a_visit_can_have_ended_today,
)
from tests.requests.test_caseload_review import count_queries

START = date(2026, 1, 5)


def version(db, user: User) -> int:
    db.expire_all()
    return db.get(User, user.id).data_version


def _add(db, row):
    db.add(row)
    db.commit()


def _assignment(db, patient):
    return make_assignment(db, patient=patient, kind=HomeworkKind.thought_record, start_date=START)


def _course(db, patient):
    return make_course(db, patient=patient, by=db.get(User, patient.therapist_id), start=START, weeks=1)


# Each change is made after a setup that already exists for the patient: (setup, change).
CHANGES = {
    "new assignment": (lambda db, p: None, lambda db, p, _: _assignment(db, p)),
    "assignment ended": (_assignment, lambda db, p, a: _add(db, _set(a, end_date=date(2026, 2, 1)))),
    "new timing version": (_assignment, lambda db, p, a: _add(db, AssignmentTiming(
        assignment_id=a.id, effective_from=date(2026, 2, 1), kind="post_tms", window_hours=4))),
    "homework completed": (_assignment, lambda db, p, a: _add(db, HomeworkCompletion(
        assignment_id=a.id, occurrence_key="day:2026-01-06", completed_at=utcnow(), source="test"))),
    "completion removed": (
        lambda db, p: _completion(db, _assignment(db, p)),
        lambda db, p, c: (db.delete(db.get(HomeworkCompletion, c.id)), db.commit()),
    ),
    "new TMS course": (lambda db, p: None, lambda db, p, _: _course(db, p)),
    "TMS visit marked done": (
        lambda db, p: db.exec(select(TmsSession).where(TmsSession.course_id == _course(db, p).id)).first(),
        lambda db, p, s: _add(db, _set(s, status=SessionStatus.COMPLETED, completed_at=utcnow())),
    ),
    "activity planned": (lambda db, p: None, lambda db, p, _: _add(db, Activity(
        patient_id=p.id, created_by_id=p.id, title="Walk", planned_date=START))),
    "mood check-in": (lambda db, p: None, lambda db, p, _: _add(db, MoodCheckin(patient_id=p.id, mood=6, recorded_at=utcnow()))),
    "side-effect check": (lambda db, p: None, lambda db, p, _: _add(db, SideEffectCheck(
        patient_id=p.id, headache=2, scalp_discomfort=1, recorded_at=utcnow()))),
}


def _set(row, **values):
    for name, value in values.items():
        setattr(row, name, value)
    return row


def _completion(db, assignment):
    completion = HomeworkCompletion(assignment_id=assignment.id, occurrence_key="day:2026-01-06",
                                    completed_at=utcnow(), source="test")
    _add(db, completion)
    return completion


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_every_change_to_what_today_shows_moves_only_that_patients_version(db, patient, therapist, name):
    other = make_patient(db, therapist=therapist, email="other@example.org")
    setup, change = CHANGES[name]
    arranged = setup(db, patient)
    db.commit()
    before, other_before = version(db, patient), version(db, other)

    change(db, db.get(User, patient.id), arranged)

    assert version(db, patient) > before
    assert version(db, other) == other_before


def test_a_rolled_back_change_does_not_move_the_version(db, patient):
    before = version(db, patient)
    db.add(MoodCheckin(patient_id=patient.id, mood=4, recorded_at=utcnow()))
    db.flush()
    db.rollback()
    assert version(db, patient) == before


@pytest.mark.parametrize("statement", [
    update(TmsSession).values(status=SessionStatus.MISSED),
    delete(HomeworkCompletion),
    update(Activity).values(title="x"),
])
def test_orm_bulk_statements_on_tracked_tables_are_refused(db, statement):
    with pytest.raises(BulkWriteRefused):
        db.exec(statement)


def test_a_repeat_visit_to_today_costs_only_the_signed_in_users_row(app, patient_client, db, patient, therapist):
    _assignment(db, patient)
    _course(db, patient)
    db.add(MoodCheckin(patient_id=patient.id, mood=6, recorded_at=earlier_today(5)))
    db.commit()

    with count_queries(app) as first:
        assert patient_client.get("/today").status_code == 200
    with count_queries(app) as second:
        page = patient_client.get("/today").text

    assert "Daily check-in: done" in page
    assert len(first) <= 10  # rows of app/today/snapshot.py, unread comments, the clinic zone, therapy appointments
    assert len(second) == 1 and "FROM users" in second[0]


def test_today_shows_a_change_made_through_another_process(app, database_url, patient_client, db, patient, therapist):
    """Two gunicorn workers are two apps with their own memory: the version in the database is what they share."""
    assert "Daily check-in: done" not in patient_client.get("/today").text
    other_worker = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key"})
    other_worker.test_client_class = app.test_client_class
    try:
        phone_on_other_worker = other_worker.test_client()
        sign_in(phone_on_other_worker, patient)
        response = phone_on_other_worker.post("/checkins/new", data={"mood": "7", "anxiety": "", "sleep_hours": "", "note": ""})
        assert response.status_code == 303
    finally:
        other_worker.extensions["engine"].dispose()

    page = patient_client.get("/today").text
    assert "Daily check-in: done" in page and "Mood 7/10" in page


def test_staff_marking_the_visit_done_opens_the_window_on_an_already_loaded_today(
    patient_client, client, app, db, patient, therapist
):
    skip_unless_a_visit_can_have_ended_today()
    make_assignment(db, patient=patient, kind=HomeworkKind.thought_record, timing_kind="post_tms",
                    title="Thought record after TMS", start_date=START)
    course = _course(db, patient)
    visit = TmsSession(course_id=course.id, patient_id=patient.id, scheduled_at=earlier_today(60))  # ended (40 min)
    _add(db, visit)
    assert "Practice window open" not in patient_client.get("/today").text

    staff = app.test_client()
    sign_in(staff, therapist)
    assert staff.post(f"/tms/sessions/{visit.id}/status", data={"status": "completed"}).status_code in (302, 303)

    page = patient_client.get("/today").text
    assert "Practice window open" in page and "Thought record after TMS" in page


# The cache itself: keyed by version, zone and day; least recently used patients dropped first.


def test_cache_reloads_on_a_new_day_a_new_zone_or_a_new_version(app, db, patient):
    cache = SnapshotCache()
    with app.app_context():
        user = db.get(User, patient.id)
        first = cache.get(db, user, date(2026, 11, 25))
        assert cache.get(db, user, date(2026, 11, 25)) is first
        assert cache.get(db, user, date(2026, 11, 26)) is not first
        moved = cache.get(db, _set(user, timezone="Europe/London"), date(2026, 11, 26))
        assert moved.homework.tz.key == "Europe/London"
        assert cache.get(db, _set(user, data_version=user.data_version + 1), date(2026, 11, 26)) is not moved


def test_cache_keeps_at_most_its_size_dropping_the_least_recently_used(app, db, therapist):
    cache = SnapshotCache(size=2)
    day = date(2026, 11, 25)
    patients = [make_patient(db, therapist=therapist, email=f"p{i}@example.org") for i in range(3)]
    with app.app_context():
        first = cache.get(db, patients[0], day)
        cache.get(db, patients[1], day)
        assert cache.get(db, patients[0], day) is first  # now the most recently used
        cache.get(db, patients[2], day)  # drops patients[1]
        assert cache.get(db, patients[0], day) is first
        assert len(cache._entries) == 2 and patients[1].id not in cache._entries


def test_kept_rows_stay_readable_after_the_request_that_loaded_them(app, patient_client, db, patient):
    """Rows are detached before the request's rollback, which would otherwise expire them."""
    _assignment(db, patient)
    patient_client.get("/today")
    (_, snapshot), = app.extensions["today_snapshots"]._entries.values()
    assert [a.title for a in snapshot.homework.assignments] == ["Homework"]
    assert all(isinstance(a.start_date, date) for a in snapshot.homework.assignments)
    assert isinstance(snapshot.day, date) and not isinstance(snapshot.day, datetime)
