"""The therapist's caseload and pre-session review: ordering, filters, period, and query counts that do not grow."""
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import event
from sqlmodel import select

from app.models import (
    ExposurePractice, Hierarchy, HierarchyItem, HomeworkKind, MoodCheckin, QuestionnaireResponse, Role, SafetyEvent,
    TherapySession, User,
)
from app.models.exposure import ExposureKind
from app.models.safety import SafetyEventSource
from app.models.types import utcnow
from tests.factories import _test_password_hash, make_assignment, make_course, make_patient


@contextmanager
def count_queries(app):
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    engine = app.extensions["engine"]
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _patients(db, therapist, count: int, *, prefix: str):
    """Patients with some history each: a course, a daily assignment, check-ins and a PHQ-9."""
    now = utcnow()
    users = [User(email=f"{prefix}{i}@example.org", name=f"{prefix.title()} {i:03d}", role=Role.patient,
                  therapist_id=therapist.id, password_hash=_test_password_hash()) for i in range(count)]
    db.add_all(users)
    db.commit()
    for user in users[:5]:
        make_course(db, patient=user, by=therapist, start=now.date() - timedelta(days=10), weeks=2)
        make_assignment(db, patient=user, kind=HomeworkKind.mood_checkin, timing_kind="daily", start_date=now.date() - timedelta(days=10))
    for user in users:
        db.add(MoodCheckin(patient_id=user.id, mood=5, recorded_at=now - timedelta(days=1)))
        db.add(QuestionnaireResponse(patient_id=user.id, instrument="phq9", answers={}, total=12, band="moderate", submitted_at=now - timedelta(days=2)))
    db.commit()
    return users


def test_caseload_costs_the_same_queries_for_5_and_200_patients(app, client, db, therapist):
    from tests.conftest import sign_in

    sign_in(client, therapist)
    _patients(db, therapist, 5, prefix="few")
    with count_queries(app) as small:
        assert client.get("/patients").status_code == 200
    _patients(db, therapist, 195, prefix="many")
    with count_queries(app) as large:
        page = client.get("/patients")
    assert page.status_code == 200 and page.text.count('<th scope="row">') == 200
    assert len(large) == len(small)


def test_open_safety_event_puts_patient_first_and_red(therapist_client, db, therapist, patient):
    other = make_patient(db, therapist=therapist, email="aaron@example.org", name="Aaron First")
    db.add(SafetyEvent(patient_id=patient.id, source=SafetyEventSource.patient_button, created_at=utcnow()))
    db.commit()
    page = therapist_client.get("/patients").text
    assert page.index("Pat Example") < page.index("Aaron First")
    assert 'class="row-alert"' in page and "Safety alerts" in page
    sorted_by_name = therapist_client.get("/patients?sort=name").text
    assert sorted_by_name.index("Pat Example") < sorted_by_name.index("Aaron First"), other


def test_filters_by_name_and_attention(therapist_client, db, therapist, patient):
    calm = make_patient(db, therapist=therapist, email="calm@example.org", name="Calm Person")
    db.add(MoodCheckin(patient_id=calm.id, mood=7, recorded_at=utcnow()))
    db.commit()
    make_assignment(db, patient=patient, kind=HomeworkKind.mood_checkin, timing_kind="daily", start_date=date(2026, 1, 5))
    assert "Calm Person" not in therapist_client.get("/patients?q=pat").text
    attention = therapist_client.get("/patients?attention=1").text
    assert "Pat Example" in attention  # never checked in
    assert "Calm Person" not in attention


def test_caseload_shows_phq9_change_and_response(therapist_client, db, patient):
    now = utcnow()
    for days_ago, total in ((28, 20), (0, 9)):
        db.add(QuestionnaireResponse(patient_id=patient.id, instrument="phq9", answers={}, total=total, band="x",
                                     submitted_at=now - timedelta(days=days_ago)))
    db.commit()
    page = therapist_client.get("/patients").text
    assert "-11 from 20" in page and "response" in page


def test_review_defaults_to_since_the_last_therapy_session(therapist_client, db, therapist, patient):
    today = utcnow().astimezone(__import__("zoneinfo").ZoneInfo(patient.timezone)).date()
    db.add(TherapySession(patient_id=patient.id, therapist_id=therapist.id, held_on=today - timedelta(days=6)))
    db.commit()
    page = therapist_client.get(f"/patients/{patient.id}").text
    assert f"Since {(today - timedelta(days=6)):%A} {(today - timedelta(days=6)).day}" in page
    assert "(last therapy session)" in page


def test_recording_a_therapy_session_is_idempotent_per_day(therapist_client, db, patient):
    for _ in range(2):
        assert therapist_client.post(f"/patients/{patient.id}/therapy-sessions", data={"held_on": "2026-11-20"}).status_code == 303
    assert len(db.exec(select(TherapySession)).all()) == 1
    therapist_client.post(f"/patients/{patient.id}/therapy-sessions", data={"held_on": "yesterday"})
    assert len(db.exec(select(TherapySession)).all()) == 1


def test_review_bad_period_is_400(therapist_client, patient):
    assert therapist_client.get(f"/patients/{patient.id}?since=soon").status_code == 400


def _exposure(db, patient, items: int):
    ladder = Hierarchy(patient_id=patient.id, title="Ladder", kind=ExposureKind.erp)
    db.add(ladder)
    db.flush()
    now = utcnow()
    for i in range(items):
        item = HierarchyItem(hierarchy_id=ladder.id, patient_id=patient.id, kind=ExposureKind.erp, description=f"Step {i}", suds=30 + i, position=i)
        db.add(item)
        db.flush()
        for days_ago in (3, 2, 1):
            db.add(ExposurePractice(patient_id=patient.id, item_id=item.id, started_at=now - timedelta(days=days_ago), duration_minutes=20,
                                    suds_before=50, suds_peak=70 - days_ago, suds_after=30, ritual_resisted="fully",
                                    likelihood_before=80, likelihood_after=40))
    db.commit()


def test_review_costs_the_same_queries_for_one_or_many_items(app, therapist_client, db, therapist, patient):
    other = make_patient(db, therapist=therapist, email="o@example.org", name="Other")
    _exposure(db, patient, 1)
    _exposure(db, other, 6)
    with count_queries(app) as one:
        page = therapist_client.get(f"/patients/{patient.id}")
    with count_queries(app) as six:
        page6 = therapist_client.get(f"/patients/{other.id}")
    assert page.status_code == page6.status_code == 200
    assert page6.text.count('class="chart"') >= 6 or page6.text.count("SUDS across practices") == 6
    assert len(one) == len(six)


def test_review_names_what_raised_each_safety_event(therapist_client, db, patient):
    """A diary-card urge or a TMS red flag is not shown as the patient pressing "I'm not safe right now"."""
    db.add(SafetyEvent(patient_id=patient.id, source=SafetyEventSource.diary_card, created_at=utcnow(),
                       details={"urge-suicide": 4}))
    db.add(SafetyEvent(patient_id=patient.id, source=SafetyEventSource.adverse_event, created_at=utcnow(),
                       details={"seizure": True}))
    db.commit()
    section = therapist_client.get(f"/patients/{patient.id}").text.split('id="rev-safety"')[1].split("</section>")[0]
    assert "Diary card: urge to end my life 4/5" in section
    assert "TMS visit, recorded by the TMS team: seizure or suspected seizure" in section
    assert "not safe right now" not in section
