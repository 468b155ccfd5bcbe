"""Installability, static delivery and exactly-once submissions, through the Flask client."""
import gzip
import re
import threading

from sqlmodel import Session, select

from app.models import MoodCheckin, SafetyEvent, SafetyEventSource
from app.models.exposure import ExposurePractice
from app.models.pwa import SubmissionKey
from app.models.types import utcnow
from app.safety import services as safety
from tests.conftest import sign_in
from tests.factories import make_patient
from tests.requests.test_exposure import make_ladder, practice_data

KEY = "6f1c1d7e-8a52-4c39-9d2e-0c0a4f1b2e3d"


def checkins(db: Session) -> list[MoodCheckin]:
    db.expire_all()
    return db.exec(select(MoodCheckin)).all()


def test_manifest_names_the_app_and_its_icons(client):
    response = client.get("/manifest.webmanifest")
    manifest = response.get_json(force=True)
    assert response.mimetype == "application/manifest+json"
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/today"
    assert manifest["short_name"] and manifest["name"] and manifest["theme_color"] and manifest["background_color"]
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as image:
            assert image.data.startswith(b"\x89PNG")


def test_service_worker_is_served_from_the_root_uncached(client):
    with client.get("/sw.js") as response:
        assert response.status_code == 200 and response.mimetype == "application/javascript"
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.headers["Service-Worker-Allowed"] == "/"


def test_every_page_links_the_manifest_registers_the_worker_and_has_ios_tags(client):
    html = client.get("/login").text
    assert 'rel="manifest"' in html and 'rel="apple-touch-icon"' in html
    assert 'name="apple-mobile-web-app-capable" content="yes"' in html
    assert re.search(r'src="/static/js/app\.js\?v=[0-9a-f]{8}" data-sw="/sw\.js\?v=[0-9a-f]{8}&amp;lang=en"', html)
    assert "<style" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_app_shell_lists_versioned_static_files_and_the_offline_page(client):
    shell = client.get("/app-shell.json").get_json()
    assert "/offline" in shell["urls"]
    assert any(re.fullmatch(r"/static/css/app\.css\?v=[0-9a-f]{8}", url) for url in shell["urls"])
    for url in shell["urls"]:
        with client.get(url) as response:
            assert response.status_code == 200, url


def test_offline_page_shows_crisis_numbers_and_nothing_personal(patient_client, patient):
    html = patient_client.get("/offline").text
    assert "You're offline" in html and 'href="tel:988"' in html
    assert patient.name not in html and f'data-user="{patient.id}"' not in html


def test_versioned_static_files_are_cached_for_a_year_and_unversioned_are_not(client):
    with client.get("/static/css/app.css?v=abc12345") as versioned, client.get("/static/css/app.css") as plain:
        assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "immutable" not in plain.headers.get("Cache-Control", "")


def test_text_is_gzipped_when_the_browser_accepts_it(client):
    with client.get("/static/css/app.css") as plain:
        plain_body = plain.data
    packed = client.get("/static/css/app.css", headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain_body and len(packed.data) < len(plain_body) / 2
    assert "Content-Encoding" not in plain.headers
    page = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip" and b"Sign in" in gzip.decompress(page.data)


def test_images_are_not_gzipped(client):
    with client.get("/static/icons/icon-512.png", headers={"Accept-Encoding": "gzip"}) as response:
        assert response.status_code == 200 and "Content-Encoding" not in response.headers


def test_create_forms_carry_a_fresh_idempotency_key(patient_client, db, patient):
    _, (item, _) = make_ladder(db, patient)
    for url in ("/checkins/new", "/thoughts/new", "/diary", f"/exposure/items/{item.id}/practice"):
        first, second = (re.search(r'name="idempotency_key" value="([^"]+)"', patient_client.get(url).text)
                         for _ in range(2))
        assert first and second and first.group(1) != second.group(1), url
        assert 'data-offline="queue"' in patient_client.get(url).text


def test_replayed_checkin_with_the_same_header_is_stored_once_and_returns_the_first_outcome(patient_client, db):
    first = patient_client.post("/checkins/new", data={"mood": "6"}, headers={"Idempotency-Key": KEY})
    again = patient_client.post("/checkins/new", data={"mood": "6"}, headers={"Idempotency-Key": KEY})
    assert first.status_code == again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"] and again.headers["Idempotent-Replayed"] == "true"
    assert len(checkins(db)) == 1
    row = db.exec(select(SubmissionKey)).one()
    assert (row.key, row.endpoint, row.status_code) == (KEY, "checkins.new", 303)


def test_a_no_js_double_submit_with_the_hidden_field_is_stored_once(patient_client, db):
    for _ in range(2):
        assert patient_client.post("/checkins/new", data={"mood": "4", "idempotency_key": KEY}).status_code == 303
    assert len(checkins(db)) == 1


def test_different_keys_store_different_entries(patient_client, db):
    patient_client.post("/checkins/new", data={"mood": "4", "idempotency_key": KEY})
    patient_client.post("/checkins/new", data={"mood": "5", "idempotency_key": KEY[:-1] + "e"})
    assert len(checkins(db)) == 2


def test_the_same_key_from_two_patients_is_two_entries(client, db, patient, therapist):
    other = make_patient(db, therapist=therapist, email="other@example.org")
    for user in (patient, other):
        sign_in(client, user)
        assert client.post("/checkins/new", data={"mood": "5"}, headers={"Idempotency-Key": KEY}).status_code == 303
    assert len(checkins(db)) == 2


def test_a_validation_error_stores_no_key_so_the_corrected_entry_saves(patient_client, db):
    refused = patient_client.post("/checkins/new", data={"mood": "", "idempotency_key": KEY})
    assert refused.status_code == 400 and f'value="{KEY}"' in refused.text
    assert db.exec(select(SubmissionKey)).all() == []
    assert patient_client.post("/checkins/new", data={"mood": "5", "idempotency_key": KEY}).status_code == 303
    assert len(checkins(db)) == 1


def test_a_signed_out_sync_gets_401_and_nothing_is_stored(client, db):
    response = client.post("/checkins/new", data={"mood": "5"}, headers={"Idempotency-Key": KEY})
    assert response.status_code == 401 and checkins(db) == []


def test_the_same_key_with_a_different_entry_is_refused_with_a_clear_422(patient_client, db):
    assert patient_client.post("/checkins/new", data={"mood": "6"}, headers={"Idempotency-Key": KEY}).status_code == 303
    second = patient_client.post("/checkins/new", data={"mood": "2", "note": "worse"}, headers={"Idempotency-Key": KEY})
    assert second.status_code == 422 and "already used for a different entry" in second.text
    assert "Idempotent-Replayed" not in second.headers
    assert [c.mood for c in checkins(db)] == [6]


def test_the_csrf_token_and_key_sent_by_the_outbox_are_not_part_of_the_entry(app):
    from app.pwa.idempotency import request_fingerprint

    def fingerprint(data):
        with app.test_request_context("/checkins/new", method="POST", data=data):
            return request_fingerprint()

    assert fingerprint({"mood": "6", "csrf_token": "one", "idempotency_key": KEY}) == fingerprint({"mood": "6"})
    assert fingerprint({"mood": "6"}) != fingerprint({"mood": "7"})


def test_a_sync_after_the_session_ended_gets_401_not_a_form_expired_400(app, client, auth, patient, db):
    auth.login(patient.email)
    auth.logout()
    response = client.post("/checkins/new", data={"mood": "5", "csrf_token": "stale"}, csrf=False,
                           headers={"Idempotency-Key": KEY})
    assert response.status_code == 401 and checkins(db) == []


def test_a_signed_out_form_post_still_goes_to_sign_in(client):
    response = client.post("/checkins/new", data={"mood": "5", "idempotency_key": KEY})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_malformed_key_is_refused(patient_client, db):
    response = patient_client.post("/checkins/new", data={"mood": "5"}, headers={"Idempotency-Key": "x" * 65})
    assert response.status_code == 400 and checkins(db) == []


def test_replayed_exposure_practice_is_stored_once(patient_client, db, patient):
    _, (item, _) = make_ladder(db, patient)
    url = f"/exposure/items/{item.id}/practice"
    for _ in range(2):
        response = patient_client.post(url, data=practice_data(entry_token="tok-a"), headers={"Idempotency-Key": KEY})
        assert response.status_code == 303
    different = patient_client.post(url, data=practice_data(entry_token="tok-b"), headers={"Idempotency-Key": KEY})
    assert different.status_code == 422  # the same key with another body is refused, not replayed as "saved"
    db.expire_all()
    assert len(db.exec(select(ExposurePractice)).all()) == 1


def test_the_key_is_committed_with_the_entry_not_after_it(patient_client, db, monkeypatch):
    """A crash after the entry's commit (here: while noting the outcome) must not allow a second copy."""
    from app.pwa import idempotency

    def crash(*_args, **_kwargs):
        raise RuntimeError("worker died")

    monkeypatch.setattr(idempotency, "_remember_outcome", crash)
    patient_client.application.testing = False
    patient_client.post("/checkins/new", data={"mood": "6"}, headers={"Idempotency-Key": KEY})
    monkeypatch.undo()
    replay = patient_client.post("/checkins/new", data={"mood": "6"}, headers={"Idempotency-Key": KEY})
    assert replay.status_code == 303 and replay.headers["Idempotent-Replayed"] == "true"
    assert len(checkins(db)) == 1


def test_concurrent_identical_submissions_store_one_entry(app, patient, db):
    """Two requests racing with one key: the unique constraint lets one win; the other returns its outcome."""
    results: list[int] = []

    def submit():
        client = app.test_client()
        sign_in(client, patient)
        results.append(client.post("/checkins/new", data={"mood": "6"}, headers={"Idempotency-Key": KEY}).status_code)

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [303] * 4
    assert len(checkins(db)) == 1


def test_the_workers_offline_copy_of_the_crisis_page_does_not_mark_events_seen(patient_client, db, patient):
    safety.record_safety_event(db, patient=patient, source=SafetyEventSource.patient_button, at=utcnow())
    db.commit()
    assert patient_client.get("/safety/crisis", headers={"X-Offline-Copy": "1"}).status_code == 200
    db.expire_all()
    assert db.exec(select(SafetyEvent)).one().seen_at is None
    patient_client.get("/safety/crisis")  # reading never marks it seen (issue 15): the page POSTs that
    db.expire_all()
    assert db.exec(select(SafetyEvent)).one().seen_at is None
