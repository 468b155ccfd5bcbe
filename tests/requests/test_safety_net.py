"""The safety net around the pathway: routing and fallback, escalation on a controllable clock, safety contacts,
the diary threshold, the crisis screen's links, the doctor command, and bad input."""
from datetime import timedelta

from sqlmodel import select

from app.models import ClinicSettings, Notification, PushSubscription, SafetyEvent, SafetyEventSource, SafetyPlan, User
from app.models.types import utcnow
from app.safety import routing, services
from app.sites.services import default_site, update_site
from tests.conftest import sign_in
from tests.factories import make_admin, make_patient, make_therapist


def _events(db):
    db.expire_all()
    return db.exec(select(SafetyEvent).order_by(SafetyEvent.id)).all()


def _pushes(db):
    db.expire_all()
    return sorted((n.user_id, n.occurrence_key.split(":")[0]) for n in db.exec(select(Notification)))


def _device(db, user):
    db.add(PushSubscription(user_id=user.id, endpoint=f"https://push.example/{user.id}", p256dh="k", auth="a",
                            created_at=utcnow()))
    db.commit()


def test_self_harm_alert_goes_only_to_a_reachable_therapist(db, therapist, patient):
    contact = make_admin(db, email="duty@example.org", name="Duty", safety_contact=True)
    _device(db, therapist)
    services.record_safety_event(db, patient=patient, source=SafetyEventSource.patient_button, at=utcnow())
    db.commit()
    assert _pushes(db) == [(therapist.id, "safety")]
    assert _events(db)[0].escalated_at is None
    assert contact.id not in [u for u, _ in _pushes(db)]


def test_a_therapist_without_a_device_is_backed_up_by_the_safety_contacts(db, therapist, patient):
    contact = make_admin(db, email="duty@example.org", name="Duty", safety_contact=True)
    _device(db, contact)
    services.record_safety_event(db, patient=patient, source=SafetyEventSource.patient_button, at=utcnow())
    db.commit()
    assert _pushes(db) == sorted([(therapist.id, "safety"), (contact.id, "safety")])
    assert _events(db)[0].escalated_at is None  # the contact can receive it


def test_an_alert_nobody_can_receive_is_on_every_staff_page_at_once(client, db, therapist, patient):
    services.record_safety_event(db, patient=patient, source=SafetyEventSource.patient_button, at=utcnow())
    db.commit()
    assert _events(db)[0].escalated_at is not None
    other = make_therapist(db, email="other@example.org", name="Dr. Other")
    sign_in(client, other)
    page = client.get("/patients").text
    assert "Safety alerts not yet acknowledged" in page and "Pat Example" in page
    assert 'href="/patients/%d/safety"' % patient.id not in page  # not theirs to open


def test_escalation_after_the_clinics_minutes_pushes_the_contacts_once(app, client, db, therapist, patient):
    contact = make_admin(db, email="duty@example.org", name="Duty", safety_contact=True)
    _device(db, therapist)
    db.add(ClinicSettings(id=1, escalation_minutes=10))
    db.commit()
    start = utcnow()
    event = services.record_safety_event(db, patient=patient, source=SafetyEventSource.patient_button, at=start)
    db.commit()
    assert routing.escalate_overdue(db, now=start + timedelta(minutes=9)) == 0
    assert routing.escalate_overdue(db, now=start + timedelta(minutes=10)) == 1
    assert routing.escalate_overdue(db, now=start + timedelta(minutes=90)) == 0
    db.commit()
    assert _pushes(db) == sorted([(therapist.id, "safety"), (contact.id, "safety-escalation")])
    app.config["CLOCK"] = lambda: start + timedelta(minutes=12)
    sign_in(client, make_admin(db, email="desk@example.org", name="Front Desk"))
    page = client.get("/clinic/today").text
    assert "Pat Example" in page and "open for 12 min (escalated)" in page
    sign_in(client, therapist)
    assert "open for 12 min" in client.get("/patients").text
    assert db.get(SafetyEvent, event.id) is not None


def test_an_acknowledged_event_never_escalates(db, therapist, patient):
    start = utcnow() - timedelta(hours=3)
    event = services.record_safety_event(db, patient=patient, source=SafetyEventSource.patient_button, at=start)
    event.escalated_at = None
    services.acknowledge_event(db, event=event, by=therapist, action_taken="Called; safe.", at=start)
    db.commit()
    assert routing.escalate_overdue(db, now=utcnow()) == 0


def test_a_safety_contact_can_open_and_acknowledge_any_patients_event(client, db, therapist, patient):
    contact = make_admin(db, email="duty@example.org", name="Duty", safety_contact=True)
    event = services.record_safety_event(db, patient=patient, source=SafetyEventSource.patient_button, at=utcnow())
    db.commit()
    sign_in(client, contact)
    page = client.get(f"/patients/{patient.id}/safety")
    assert page.status_code == 200 and "one of the clinic's safety contacts" in page.text
    done = client.post(f"/patients/{patient.id}/safety/events/{event.id}/acknowledge",
                       data={f"ack{event.id}-action_taken": "Phoned; safe with partner."})
    assert done.status_code == 303
    assert _events(db)[0].acknowledged_by_id == contact.id


def test_admins_mark_safety_contacts_and_an_empty_list_is_a_warning(admin_client, db, therapist):
    assert "No safety contacts." in admin_client.get("/admin").text
    assert admin_client.post(f"/admin/users/{therapist.id}/safety-contact", data={"safety_contact": "1"}).status_code == 303
    db.expire_all()
    assert db.get(User, therapist.id).safety_contact
    page = admin_client.get("/admin").text
    assert "No safety contacts." not in page and "Safety contacts: Dr. Ada Byron." in page


def test_patients_cannot_be_safety_contacts(admin_client, db, patient):
    assert admin_client.post(f"/admin/users/{patient.id}/safety-contact", data={"safety_contact": "1"}).status_code == 404


def test_the_therapist_sets_the_diary_threshold_within_3_to_5(therapist_client, db, patient, client):
    assert therapist_client.post(f"/patients/{patient.id}/safety/threshold",
                                 data={"suicide_urge_threshold": "6"}).status_code == 400
    assert therapist_client.post(f"/patients/{patient.id}/safety/threshold",
                                 data={"suicide_urge_threshold": "5"}).status_code == 303
    db.expire_all()
    assert db.get(User, patient.id).suicide_urge_threshold == 5
    sign_in(client, db.get(User, patient.id))
    calm = client.post("/diary", data={"urge-suicide": "4"})
    assert calm.status_code == 303 and calm.headers["Location"] == "/diary" and _events(db) == []
    assert client.post("/diary", data={"urge-suicide": "5"}).headers["Location"] == "/safety/crisis"


def test_re_saving_the_days_diary_card_updates_one_event(patient_client, db):
    patient_client.post("/diary", data={"urge-suicide": "4"})
    patient_client.post("/diary", data={"urge-suicide": "3"})
    patient_client.post("/diary", data={"urge-suicide": "5", "urge-self_harm": "2", "acted-self_harm": "yes"})
    (event,) = _events(db)
    assert event.details == {"urge-suicide": 5, "urge-self_harm": 2, "acted-self_harm": True}


def test_an_invalid_diary_card_still_records_its_safety_event(patient_client, db):
    response = patient_client.post("/diary", data={"urge-suicide": "5", "notes": "x" * 2001})
    assert response.status_code == 400
    assert "has been sent to your therapist" in response.text and 'href="tel:988"' in response.text
    assert [e.source for e in _events(db)] == [SafetyEventSource.diary_card]


def test_an_invalid_side_effect_check_still_records_its_red_flag(patient_client, db):
    response = patient_client.post("/checkins/side-effects", data={"seizure": "yes"})
    assert response.status_code == 400 and "Emergency: call 911" in response.text
    assert [(e.source, e.details) for e in _events(db)] == [(SafetyEventSource.side_effect, {"seizure": True})]


def test_a_non_urgent_red_flag_says_call_the_clinic_today(patient_client, db):
    update_site(db, default_site(db), clinic_phone="(555) 010-2000")
    db.commit()
    patient_client.post("/checkins/side-effects", data={"headache": "3", "scalp_discomfort": "1", "mania_signs": "yes"})
    page = patient_client.get("/safety/urgent").text
    assert "Call the clinic today" in page and 'href="tel:5550102000"' in page and "Call 911 now" not in page


def test_a_side_effect_check_without_red_flags_is_no_event(patient_client, db):
    response = patient_client.post("/checkins/side-effects", data={"headache": "7", "scalp_discomfort": "3"})
    assert response.headers["Location"] == "/today" and _events(db) == []


def test_a_duplicate_submission_never_creates_two_events(patient_client, db):
    for path, data in (("/diary", {"urge-suicide": "5"}), ("/checkins/side-effects", {"headache": "9", "scalp_discomfort": "0"})):
        for _ in range(2):
            patient_client.post(path, data=data, headers={"Idempotency-Key": f"dup-{path.strip('/').replace('/', '-')}"})
    assert len(_events(db)) == 2


def test_a_submission_for_another_patients_visit_is_a_404_with_nothing_stored(client, db, therapist, patient):
    from tests.factories import make_course
    from datetime import date

    other = make_patient(db, therapist=therapist, email="o@example.org", name="Other")
    course = make_course(db, patient=other, by=therapist, start=date(2026, 3, 2), weeks=1)
    from app.models import TmsSession
    session = db.exec(select(TmsSession).where(TmsSession.course_id == course.id)).first()
    sign_in(client, patient)
    response = client.post("/checkins/side-effects", data={"session_id": str(session.id), "headache": "10", "seizure": "yes"})
    assert response.status_code == 404 and _events(db) == []


def test_crisis_screen_links_the_plans_people_the_chat_and_when_the_therapist_was_alerted(patient_client, db, patient, therapist):
    db.add(SafetyPlan(patient_id=patient.id, help_contacts="Mum: (212) 555-0199\nJo", updated_by_id=therapist.id))
    db.commit()
    patient_client.post("/safety/not-safe", data={"client_time": "2026-03-02T16:54:00+00:00"})
    page = patient_client.get("/safety/crisis").text
    assert 'href="tel:+12125550199"' in page and 'href="sms:+12125550199"' in page and "Mum" in page
    assert 'href="https://988lifeline.org/chat"' in page
    event = _events(db)[0]
    local = event.alerted_at.astimezone(__import__("zoneinfo").ZoneInfo(patient.timezone)).strftime("%H:%M")
    assert f"Your therapist was alerted at {local}" in page


def test_clinic_settings_keep_the_escalation_minutes_in_range(admin_client, db):
    base = {"clinic_phone": "(212) 555-0100", "crisis_line_label": "988 Lifeline", "crisis_line_number": "988",
            "crisis_line_text": "988", "emergency_number": "911", "crisis_chat_url": "https://988lifeline.org/chat"}
    bad = admin_client.post("/admin/clinic", data=base | {"escalation_minutes": "2"})
    assert bad.status_code == 400 and "from 5 to 1440" in bad.text and 'value="(212) 555-0100"' in bad.text
    assert admin_client.post("/admin/clinic", data=base | {"escalation_minutes": "45"}).status_code == 303
    db.expire_all()
    assert db.get(ClinicSettings, 1).escalation_minutes == 45


def test_doctor_lists_what_is_missing_and_fails(runner, db):
    result = runner.invoke(args=["doctor"])
    assert result.exit_code == 1
    for name in ("Crisis numbers", "Clinic phone", "Safety contacts", "VAPID keys", "PUBLIC_BASE_URL", "SMTP"):
        assert name in result.output
    assert "MISSING  Safety contacts" in result.output


def test_doctor_passes_when_the_clinic_is_configured(app, runner, db):
    make_admin(db, email="duty@example.org", name="Duty", safety_contact=True)
    db.add(ClinicSettings(id=1))
    update_site(db, default_site(db), clinic_phone="555-0100")
    db.commit()
    runner.invoke(args=["vapid-keys"])
    app.config["PUBLIC_BASE_URL"] = "https://clinic.example"
    result = runner.invoke(args=["doctor"])
    assert result.exit_code == 0, result.output
    assert "warning  SMTP" in result.output


def test_the_tms_teams_report_shows_the_red_flags(client, db, patient, admin):
    sign_in(client, patient)
    client.post("/checkins/side-effects", data={"headache": "2", "scalp_discomfort": "0", "hearing_change": "yes"})
    sign_in(client, admin)
    page = client.get("/clinic/side-effects").text
    assert "hearing loss or ringing that persists" in page


def test_the_offline_page_promises_only_what_is_true(client):
    page = client.get("/offline").text
    assert "Nobody at the clinic can be alerted from this phone until it is back online" in page
    assert page.index('href="tel:911"') < page.index("This page needs a connection")
    assert "Anything you saved on this phone is kept" not in page


def test_the_clocks_escalation_job_escalates_and_commits(app, db, therapist, patient):
    from app.scheduler import escalate_job, jobs

    contact = make_admin(db, email="duty@example.org", name="Duty", safety_contact=True)
    _device(db, therapist)
    services.record_safety_event(db, patient=patient, source=SafetyEventSource.patient_button,
                                 at=utcnow() - timedelta(minutes=61))
    db.commit()
    assert "safety-escalate" in [job.id for job in jobs(app)]
    escalate_job(app)
    assert _events(db)[0].escalated_at is not None
    assert (contact.id, "safety-escalation") in _pushes(db)
