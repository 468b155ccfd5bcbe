"""The safety pathway through the client: the "not safe" button, the crisis screen, acknowledgement, plan, numbers."""
from sqlmodel import select

from app.models import Notification

from app.models import ClinicSettings, SafetyEvent, SafetyEventSource, SafetyPlan
from app.models.types import utcnow
from app.safety import services
from app.safety.events import safety_event_created
from app.sites.services import default_site, update_site
from tests.conftest import sign_in
from tests.factories import make_patient, make_therapist


def _events(db):
    db.expire_all()
    return db.exec(select(SafetyEvent).order_by(SafetyEvent.id)).all()


def test_every_patient_page_offers_the_not_safe_link(patient_client):
    for path in ("/today", "/practice", "/safety/plan", "/safety/crisis"):
        assert 'href="/safety/not-safe"' in patient_client.get(path).text, path


def test_not_safe_confirm_page_shows_numbers_without_recording_anything(patient_client, db):
    page = patient_client.get("/safety/not-safe")
    assert page.status_code == 200
    assert 'href="tel:988"' in page.text and 'href="sms:988"' in page.text and 'href="tel:911"' in page.text
    assert "not an emergency service" in page.text
    assert _events(db) == []


def test_not_safe_button_records_event_signals_it_and_shows_crisis_screen(patient_client, db, patient):
    received = []

    def receiver(sender, *, event, db, **_):
        received.append(event.id)

    safety_event_created.connect(receiver)
    try:
        response = patient_client.post("/safety/not-safe")
    finally:
        safety_event_created.disconnect(receiver)
    assert response.status_code == 303 and response.headers["Location"] == "/safety/crisis"
    (event,) = _events(db)
    assert (event.patient_id, event.source, event.seen_at) == (patient.id, SafetyEventSource.patient_button, None)
    assert received == [event.id]
    alert = db.exec(select(Notification)).one()  # the treating therapist is pushed at once
    assert (alert.user_id, alert.kind, alert.urgency) == (patient.therapist_id, "safety_alert", "high")

    crisis = patient_client.get("/safety/crisis")
    assert "not an emergency service" in crisis.text and "My safety plan" in crisis.text
    assert _events(db)[0].seen_at is None  # reading is not a change; the page POSTs "seen"
    assert 'action="/safety/crisis/seen"' in crisis.text
    patient_client.post("/safety/crisis/seen")
    assert _events(db)[0].seen_at is not None


def test_not_safe_button_needs_csrf(patient_client, db):
    assert patient_client.post("/safety/not-safe", csrf=False).status_code == 400
    assert _events(db) == []


def test_crisis_screen_shows_clinic_numbers_and_own_plan(patient_client, db, patient, therapist):
    update_site(db, default_site(db), clinic_phone="(555) 010-2000", crisis_line_label="Samaritans",
                crisis_line_number="116 123", crisis_line_text="", emergency_number="999", crisis_chat_url="")
    db.add(SafetyPlan(patient_id=patient.id, reasons_for_living="My daughter\nMy dog", updated_by_id=therapist.id))
    db.commit()
    page = patient_client.get("/safety/crisis").text
    assert 'href="tel:5550102000"' in page and 'href="tel:116123"' in page and 'href="tel:999"' in page
    assert "sms:" not in page and "988" not in page
    assert "My daughter\nMy dog" in page


def test_staff_cannot_open_patient_crisis_screen(therapist_client):
    assert therapist_client.get("/safety/crisis").status_code == 403


def test_caseload_partial_flags_only_open_events_of_own_patients(app, db, therapist, patient):
    other_therapist = make_therapist(db, email="o@example.org", name="Dr. O")
    stranger = make_patient(db, therapist=other_therapist, email="s@example.org", name="Stranger")
    services.record_safety_event(db, patient=patient, source=SafetyEventSource.phq9_item9, at=utcnow(), item_value=2)
    services.record_safety_event(db, patient=stranger, source=SafetyEventSource.patient_button, at=utcnow())
    db.commit()
    with app.test_request_context():
        from flask import render_template

        html = render_template("safety/_caseload_alerts.html", patients=[patient], current_user=therapist)
    assert "Pat Example" in html and "PHQ-9 item 9 answered 2" in html and "Stranger" not in html
    assert f"/patients/{patient.id}/safety" in html


def test_open_events_by_patient_groups_unacknowledged_events(db, therapist, patient):
    first = services.record_safety_event(db, patient=patient, source=SafetyEventSource.patient_button, at=utcnow())
    done = services.record_safety_event(db, patient=patient, source=SafetyEventSource.patient_button, at=utcnow())
    services.acknowledge_event(db, event=done, by=therapist, action_taken="Called", at=utcnow())
    db.commit()
    assert {pid: [e.id for e in events] for pid, events in services.open_events_by_patient(db, [patient.id]).items()} == {
        patient.id: [first.id]
    }
    assert services.open_events_by_patient(db, []) == {}


def test_therapist_acknowledges_with_action_taken(therapist_client, db, therapist, patient):
    event = services.record_safety_event(db, patient=patient, source=SafetyEventSource.patient_button, at=utcnow())
    db.commit()
    url = f"/patients/{patient.id}/safety/events/{event.id}/acknowledge"

    blank = therapist_client.post(url, data={f"ack{event.id}-action_taken": "  "})
    assert blank.status_code == 400 and "Write what you did" in blank.text
    assert _events(db)[0].acknowledged_at is None

    done = therapist_client.post(url, data={f"ack{event.id}-action_taken": "Phoned; safe with partner tonight."})
    assert done.status_code == 303
    (stored,) = _events(db)
    assert (stored.acknowledged_by_id, stored.action_taken) == (therapist.id, "Phoned; safe with partner tonight.")
    assert stored.acknowledged_at is not None
    again = therapist_client.post(url, data={f"ack{event.id}-action_taken": "Again"})
    assert again.status_code == 400 and _events(db)[0].action_taken == "Phoned; safe with partner tonight."


def test_therapist_cannot_see_or_acknowledge_another_therapists_patient(client, db, patient):
    other = make_therapist(db, email="o@example.org", name="Dr. O")
    event = services.record_safety_event(db, patient=patient, source=SafetyEventSource.patient_button, at=utcnow())
    db.commit()
    sign_in(client, other)
    assert client.get(f"/patients/{patient.id}/safety").status_code == 404
    url = f"/patients/{patient.id}/safety/events/{event.id}/acknowledge"
    assert client.post(url, data={f"ack{event.id}-action_taken": "x"}).status_code == 404


def test_patient_and_therapist_both_edit_the_plan(client, db, patient, therapist):
    sign_in(client, patient)
    assert client.post("/safety/plan", data={"warning_signs": "Not sleeping", "reasons_for_living": "Music"}).status_code == 303
    sign_in(client, therapist)
    page = client.get(f"/patients/{patient.id}/safety")
    assert "Not sleeping" in page.text and "Pat Example" in page.text
    client.post(f"/patients/{patient.id}/safety/plan", data={"warning_signs": "Not sleeping; skipping meals",
                                                               "reasons_for_living": "Music"})
    plan = db.exec(select(SafetyPlan)).one()
    assert (plan.warning_signs, plan.updated_by_id) == ("Not sleeping; skipping meals", therapist.id)


def test_overlong_plan_step_is_refused_with_text_kept(patient_client, db):
    response = patient_client.post("/safety/plan", data={"warning_signs": "x" * 2001, "coping_strategies": "Walk"})
    assert response.status_code == 400 and "at most 2000 characters" in response.text and "Walk" in response.text
    assert db.exec(select(SafetyPlan)).first() is None


def test_admin_edits_crisis_numbers_and_required_ones_cannot_be_blank(admin_client, db):
    data = {"clinic_phone": "(212) 555-0100", "after_hours_phone": "", "crisis_line_label": "988 Lifeline",
            "crisis_line_number": "988", "crisis_line_text": "988", "emergency_number": ""}
    refused = admin_client.post("/admin/clinic", data=data)
    assert refused.status_code == 400 and "Give the emergency number" in refused.text and 'value="(212) 555-0100"' in refused.text
    assert admin_client.post("/admin/clinic", data={**data, "emergency_number": "911"}).status_code == 303
    assert default_site(db).clinic_phone == "(212) 555-0100"


def test_therapist_cannot_edit_crisis_numbers(therapist_client):
    assert therapist_client.get("/admin/clinic").status_code == 403
