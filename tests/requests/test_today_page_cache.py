"""Today's rendered page is kept per patient (app/today/page_cache.py): a repeat visit is served from it, with this
request's form token, and every change to what the page shows appears on the very next visit."""
import re
from datetime import timedelta

from app.models import MoodCheckin, RecordStatus, ThoughtRecord, User
from app.models.types import utcnow
from app.sites.services import site_of, update_site
from app.today.page_cache import TOKEN_MARK
from tests.conftest import sign_in

TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def _kept(app, patient) -> str:
    (_key, page), = [entry for pid, entry in app.extensions["today_pages"]._entries.items() if pid == patient.id]
    return page


def test_a_repeat_visit_is_the_kept_page_with_a_working_form_token(app, patient_client, patient):
    first = patient_client.get("/today").text
    second = patient_client.get("/today").text

    assert TOKEN_MARK in _kept(app, patient) and TOKEN_MARK not in second
    assert TOKEN.sub("", first) == TOKEN.sub("", second)
    token = TOKEN.search(second).group(1)
    response = patient_client.post("/settings/language", data={"language": "en", "csrf_token": token}, csrf=False)
    assert response.status_code in (302, 303)


def test_a_new_check_in_shows_at_once(patient_client, db, patient):
    assert "Daily check-in: done" not in patient_client.get("/today").text
    db.add(MoodCheckin(patient_id=patient.id, mood=7, recorded_at=utcnow()))
    db.commit()
    page = patient_client.get("/today").text
    assert "Daily check-in: done" in page and "Mood 7/10" in page


def test_a_therapists_comment_shows_at_once(client, db, therapist, patient):
    record = ThoughtRecord(patient_id=patient.id, status=RecordStatus.complete, completed_at=utcnow(),
                           situation="Meeting at work")
    db.add(record)
    db.commit()
    sign_in(client, patient)
    assert "Your therapist commented" not in client.get("/today").text
    sign_in(client, therapist)
    assert client.post(f"/patients/{patient.id}/thoughts/{record.id}/comments",
                       data={"body": "Well spotted."}).status_code == 303
    sign_in(client, patient)
    assert "Your therapist commented on 1 thought record" in client.get("/today").text


def test_a_language_change_shows_at_once(patient_client):
    assert '<html lang="en"' in patient_client.get("/today").text
    assert patient_client.post("/settings/language", data={"language": "es"}).status_code in (302, 303)
    assert '<html lang="es"' in patient_client.get("/today").text


def test_a_new_clinic_zone_shows_at_once(patient_client, db, patient):
    assert "the clinic is on" not in patient_client.get("/today").text
    update_site(db, site_of(db, db.get(User, patient.id)), timezone="Europe/London")
    db.commit()
    assert "the clinic is on Europe/London" in patient_client.get("/today").text


def test_the_next_day_shows_at_once(patient_client, monkeypatch):
    now = utcnow()
    page = patient_client.get("/today").text
    monkeypatch.setattr("app.today.routes.utcnow", lambda: now + timedelta(days=1))
    tomorrow = patient_client.get("/today").text
    lead = re.compile(r'<p class="lead">([^<]+)</p>')
    assert lead.search(page).group(1) != lead.search(tomorrow).group(1)


def test_a_flashed_message_is_shown_once_not_kept(app, patient_client, patient):
    patient_client.get("/today")
    with patient_client.session_transaction() as session:
        session["_flashes"] = [("info", "Saved your check-in.")]
    assert "Saved your check-in." in patient_client.get("/today").text
    assert "Saved your check-in." not in patient_client.get("/today").text
    assert "Saved your check-in." not in _kept(app, patient)
