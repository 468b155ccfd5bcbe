"""Issue 15, "What was found": each ordinary situation that left a risk signal unseen, as a request test."""
from datetime import timedelta

from sqlmodel import select

from app.models import Notification, QuestionnaireResponse, SafetyEvent, SafetyEventSource, User
from app.models.types import utcnow
from tests.conftest import sign_in
from tests.factories import make_admin, make_patient, make_therapist


def _events(db):
    db.expire_all()
    return db.exec(select(SafetyEvent).order_by(SafetyEvent.id)).all()


def _alerted(db):
    db.expire_all()
    return sorted(n.user_id for n in db.exec(select(Notification).where(Notification.kind == "safety_alert")))


def test_1_diary_card_urge_to_end_life_and_acted_on_is_a_safety_event(patient_client, db, patient, client, therapist):
    response = patient_client.post("/diary", data={
        "urge-self_harm": "3", "acted-self_harm": "yes", "urge-suicide": "5", "acted-suicide": "yes",
    })
    assert response.status_code == 303 and response.headers["Location"] == "/safety/crisis"
    (event,) = _events(db)
    assert (event.patient_id, event.source) == (patient.id, SafetyEventSource.diary_card)
    assert event.details == {"urge-suicide": 5, "acted-self_harm": True, "acted-suicide": True, "urge-self_harm": 3}
    assert _alerted(db) == [therapist.id]
    sign_in(client, therapist)
    caseload = client.get("/patients").text
    assert "Safety alerts" in caseload and "urge to end my life 5/5" in caseload and "acted on it" in caseload


def test_2_offline_alert_and_questionnaire_keep_their_original_time_and_arrive_once(patient_client, db):
    original = (utcnow() - timedelta(minutes=40)).replace(microsecond=0)
    headers = {"Idempotency-Key": "offline-key-0001"}
    for _ in range(2):
        sent = patient_client.post("/safety/not-safe", data={"client_time": original.isoformat()}, headers=headers)
        assert sent.status_code == 303
    answers = {f"item{n}": "1" for n in range(1, 10)} | {"item9": "2", "client_time": original.isoformat()}
    for _ in range(2):
        patient_client.post("/questionnaires/phq9", data=answers, headers={"Idempotency-Key": "offline-key-0002"})
    events = _events(db)
    assert [(e.source, e.created_at) for e in events] == [
        (SafetyEventSource.patient_button, original), (SafetyEventSource.phq9_item9, original)]
    (row,) = db.exec(select(QuestionnaireResponse)).all()
    assert row.submitted_at == original and events[1].response_id == row.id


def test_2_a_client_time_far_in_the_past_or_future_is_not_trusted(patient_client, db):
    before = utcnow()
    patient_client.post("/safety/not-safe", data={"client_time": (before - timedelta(days=30)).isoformat()})
    patient_client.post("/safety/not-safe", data={"client_time": (before + timedelta(hours=3)).isoformat()})
    patient_client.post("/safety/not-safe", data={"client_time": "yesterday-ish"})
    assert all(e.created_at >= before - timedelta(seconds=1) for e in _events(db)) and len(_events(db)) == 3


def test_3_a_therapist_with_patients_cannot_be_deactivated(admin_client, db, therapist, patient):
    make_patient(db, therapist=therapist, email="p2@example.org", name="Second")
    response = admin_client.post(f"/admin/users/{therapist.id}/active", data={"active": "0"})
    assert response.status_code == 409
    assert "still has 2 patients" in response.text
    assert f'href="/admin/patients/{patient.id}/therapist"' in response.text
    db.expire_all()
    assert db.get(User, therapist.id).active


def test_3_a_therapist_without_patients_can_be_deactivated(admin_client, db):
    idle = make_therapist(db, email="idle@example.org", name="Dr. Idle")
    assert admin_client.post(f"/admin/users/{idle.id}/active", data={"active": "0"}).status_code == 303
    db.expire_all()
    assert not db.get(User, idle.id).active


def test_3_an_alert_for_an_inactive_therapist_goes_to_the_safety_contacts(client, db, therapist, patient):
    contact = make_admin(db, email="tms@example.org", name="TMS Lead", safety_contact=True)
    make_admin(db, email="plain@example.org", name="Front Desk")
    therapist.active = False
    db.add(therapist)
    db.commit()
    sign_in(client, patient)
    client.post("/safety/not-safe")
    assert _alerted(db) == [contact.id]
    sign_in(client, contact)
    home = client.get("/clinic/today").text
    assert "Pat Example" in home and "pressed “I&#39;m not safe right now”" in home


def test_4_raising_item_9_on_resubmission_keeps_the_highest_answer(patient_client, db, client, therapist):
    first = patient_client.post("/questionnaires/phq9", data={"item9": "1", "idempotency_key": "phq9-form-0001"})
    assert first.status_code == 400
    answers = {f"item{n}": "1" for n in range(1, 9)} | {"item9": "3", "idempotency_key": "phq9-form-0001"}
    assert patient_client.post("/questionnaires/phq9", data=answers).status_code == 303
    (event,) = _events(db)
    assert event.item_value == 3 and event.details == {"item9": 3}
    sign_in(client, therapist)
    assert "PHQ-9 item 9 answered 3" in client.get("/patients").text


def test_5_side_effect_red_flags_are_safety_events_with_urgent_advice(patient_client, db, therapist, patient):
    contact = make_admin(db, email="tms@example.org", name="TMS Lead", safety_contact=True)
    response = patient_client.post("/checkins/side-effects", data={
        "headache": "10", "scalp_discomfort": "2", "fainted": "yes",
    })
    assert response.status_code == 303 and response.headers["Location"] == "/safety/urgent"
    (event,) = _events(db)
    assert event.source == SafetyEventSource.side_effect and event.details == {"headache": 10, "fainted": True}
    assert _alerted(db) == sorted([therapist.id, contact.id])
    page = patient_client.get("/safety/urgent").text
    assert 'href="tel:911"' in page and "Call 911 now" in page


def test_5_side_effect_form_asks_about_every_red_flag(patient_client):
    page = patient_client.get("/checkins/side-effects").text
    for name in ("seizure", "fainted", "headache_unrelieved", "hearing_change", "mania_signs"):
        assert f'name="{name}"' in page, name


def test_6_viewing_the_crisis_screen_changes_nothing_only_a_post_marks_it_seen(patient_client, db):
    patient_client.post("/safety/not-safe")
    assert patient_client.get("/safety/crisis").status_code == 200
    assert _events(db)[0].seen_at is None
    assert patient_client.post("/safety/crisis/seen", csrf=False).status_code == 400
    assert patient_client.post("/safety/crisis/seen").status_code in (204, 303)
    assert _events(db)[0].seen_at is not None
