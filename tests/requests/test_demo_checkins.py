"""The demo clinic's measures: a realistic PHQ-9 response over Dana's TMS course, seeded once."""
from datetime import datetime, timezone

from sqlmodel import func, select

from app.checkins import services
from app.demo import seed
from app.models import HomeworkCompletion, MoodCheckin, QuestionnaireResponse, SafetyEvent, User

NOW = datetime(2026, 3, 12, 17, 0, tzinfo=timezone.utc)


def test_demo_dana_responds_over_the_course_and_seeding_twice_adds_nothing(db):
    seed(db, now=NOW)
    counts = db.exec(select(func.count()).select_from(QuestionnaireResponse)).one()
    seed(db, now=NOW)
    assert db.exec(select(func.count()).select_from(QuestionnaireResponse)).one() == counts

    dana = db.exec(select(User).where(User.email == "dana@demo.clinic")).one()
    course = services.phq9_course(db, patient=dana)
    assert [p.response.total for p in course] == [19, 18, 15, 12, 10, 9, 7]
    assert [p.outcome.response for p in course].index(True) == 5 and not course[-1].outcome.remission
    assert all(p.response.answer(9) == 0 for p in course)
    assert db.exec(select(func.count()).select_from(MoodCheckin).where(MoodCheckin.patient_id == dana.id)).one() > 25
    assert db.exec(select(func.count()).select_from(HomeworkCompletion)).one() >= 7
    (event,) = db.exec(select(SafetyEvent)).all()
    assert not event.is_open and event.action_taken


def test_demo_measures_tab_and_patient_pages_render(client, db):
    from tests.conftest import sign_in

    seed(db, now=NOW)
    dana = db.exec(select(User).where(User.email == "dana@demo.clinic")).one()
    therapist = db.exec(select(User).where(User.email == "therapist@demo.clinic")).one()
    sign_in(client, therapist)
    page = client.get(f"/patients/{dana.id}/measures")
    assert page.status_code == 200 and "baseline" in page.text and "response" in page.text
    assert client.get(f"/patients/{dana.id}/safety").status_code == 200
    sign_in(client, dana)
    for path in ("/questionnaires", "/safety/plan", "/safety/crisis", "/checkins/new"):
        assert client.get(path).status_code == 200, path


def test_demo_dana_sees_her_scores_on_progress_and_sam_does_not(client, db):
    from tests.conftest import sign_in

    seed(db, now=NOW)
    dana = db.exec(select(User).where(User.email == "dana@demo.clinic")).one()
    sam = db.exec(select(User).where(User.email == "sam@demo.clinic")).one()
    sign_in(client, dana)
    page = client.get("/progress")
    assert page.status_code == 200 and "PHQ-9" in page.text
    sign_in(client, sam)
    page = client.get("/progress")
    assert page.status_code == 200 and "PHQ-9" not in page.text and "GAD-7" not in page.text
