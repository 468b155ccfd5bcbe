"""Signing in and out, invite and reset links, and the password policy, through the test client."""
from datetime import timedelta

from sqlmodel import select

from app.auth import accounts
from app.models import AccountToken, Role, TokenPurpose, User
from app.models.types import utcnow
from tests.factories import TEST_PASSWORD, make_patient


def test_login_takes_patient_to_today(client, auth, patient):
    response = auth.login(patient.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/today"
    assert "Hello, Pat" in client.get("/today").text


def test_login_takes_therapist_to_patients_and_staff_to_the_clinic_day(client, auth, therapist, admin):
    assert auth.login(therapist.email).headers["Location"] == "/patients"
    auth.logout()
    assert auth.login(admin.email).headers["Location"] == "/clinic/today"


def test_email_is_matched_case_insensitively(auth, patient):
    assert auth.login("  PATIENT@Example.org ").status_code == 302


def test_wrong_password_shows_message_and_keeps_email(client, auth, patient):
    response = auth.login(patient.email, "not the password at all")
    assert response.status_code == 400
    assert "don&#39;t match an active account" in response.text
    assert 'value="patient@example.org"' in response.text
    assert "not the password at all" not in response.text


def test_unknown_email_gets_the_same_message(auth, patient):
    response = auth.login("nobody@example.org")
    assert response.status_code == 400
    assert "don&#39;t match an active account" in response.text


def test_empty_login_form_flags_both_fields(client):
    response = client.post("/login", data={})
    assert response.status_code == 400
    assert "Enter your email." in response.text and "Enter your password." in response.text


def test_login_refuses_offsite_next(auth, patient, client):
    response = client.post("/login?next=//evil.example/x", data={"email": patient.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/today"


def test_login_follows_local_next(client, patient):
    response = client.post("/login?next=/today%3Fx%3D1", data={"email": patient.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/today?x=1"


def test_logout_ends_the_session(client, auth, patient):
    auth.login(patient.email)
    response = auth.logout()
    assert response.headers["Location"] == "/login"
    assert client.get("/today").status_code == 302


def test_deactivated_user_cannot_log_in(db, auth, therapist):
    make_patient(db, therapist=therapist, email="gone@example.org", active=False)
    assert auth.login("gone@example.org").status_code == 400


def test_deactivation_ends_existing_sessions(db, client, auth, patient):
    auth.login(patient.email)
    user = db.get(User, patient.id)
    accounts.deactivate(db, user=user)
    db.commit()
    assert client.get("/today").status_code == 302


def test_post_without_csrf_token_is_rejected(client, patient):
    response = client.post("/login", data={"email": patient.email, "password": TEST_PASSWORD}, csrf=False)
    assert response.status_code == 400
    assert "form had expired" in response.text


def _invite(db, therapist, *, email="new@example.org", hours=72, now=None):
    patient = make_patient(db, therapist=therapist, email=email, password=False)
    link = accounts.issue_link(db, user=patient, purpose=TokenPurpose.invite, by=therapist, now=now or utcnow(), hours=hours)
    db.commit()
    return patient, link.token


GOOD = {"password": "a calm walk by the river", "confirm": "a calm walk by the river", "timezone": "Europe/London"}


def test_invite_sets_password_time_zone_and_signs_in(db, client, therapist):
    patient, token = _invite(db, therapist)
    page = client.get(f"/invite/{token}")
    assert page.status_code == 200 and "Welcome, Pat" in page.text
    response = client.post(f"/invite/{token}", data=GOOD)
    assert response.status_code == 302 and response.headers["Location"] == "/today"
    assert client.get("/today").status_code == 200
    db.refresh(patient)
    assert patient.timezone == "Europe/London"
    assert accounts.authenticate(db, patient.email, GOOD["password"]) is not None


def test_invite_link_works_only_once(db, client, therapist):
    _patient, token = _invite(db, therapist)
    client.post(f"/invite/{token}", data=GOOD)
    client.post("/logout")
    again = client.get(f"/invite/{token}")
    assert again.status_code == 410
    assert "already been used" in again.text


def test_expired_invite_is_refused(db, client, therapist):
    _patient, token = _invite(db, therapist, now=utcnow() - timedelta(hours=73))
    response = client.post(f"/invite/{token}", data=GOOD)
    assert response.status_code == 410
    assert "expired" in response.text


def test_unknown_invite_is_refused(client):
    assert client.get("/invite/not-a-real-token").status_code == 410


def test_weak_password_is_refused_and_link_stays_usable(db, client, therapist):
    _patient, token = _invite(db, therapist)
    response = client.post(f"/invite/{token}", data={**GOOD, "password": "short", "confirm": "short"})
    assert response.status_code == 400
    assert "at least 12 characters" in response.text
    assert '<option selected value="Europe/London">' in response.text
    assert client.post(f"/invite/{token}", data=GOOD).status_code == 302


def test_common_password_is_refused(db, client, therapist):
    _patient, token = _invite(db, therapist)
    response = client.post(f"/invite/{token}", data={**GOOD, "password": "password1234", "confirm": "password1234"})
    assert response.status_code == 400
    assert "too common" in response.text


def test_mismatched_confirmation_is_flagged(db, client, therapist):
    _patient, token = _invite(db, therapist)
    response = client.post(f"/invite/{token}", data={**GOOD, "confirm": "something else entirely"})
    assert response.status_code == 400
    assert "don&#39;t match" in response.text


def test_malformed_time_zone_is_refused(db, client, therapist):
    _patient, token = _invite(db, therapist)
    response = client.post(f"/invite/{token}", data={**GOOD, "timezone": "Mars/Olympus_Mons"})
    assert response.status_code == 400
    assert "not a time zone we know" in response.text


def test_new_link_cancels_the_previous_one(db, client, therapist):
    patient, first = _invite(db, therapist)
    accounts.issue_link(db, user=patient, purpose=TokenPurpose.invite, by=therapist, now=utcnow())
    db.commit()
    assert client.get(f"/invite/{first}").status_code == 410


def test_reset_link_changes_password_and_signs_out_other_devices(app, db, therapist, patient):
    phone = app.test_client()
    phone.post("/login", data={"email": patient.email, "password": TEST_PASSWORD})
    assert phone.get("/today").status_code == 200
    link = accounts.issue_link(db, user=patient, purpose=TokenPurpose.password_reset, by=therapist, now=utcnow())
    db.commit()
    laptop = app.test_client()
    assert laptop.post(f"/reset/{link.token}", data=GOOD).status_code == 302
    assert phone.get("/today").status_code == 302
    assert db.exec(select(AccountToken).where(AccountToken.used_at.is_(None))).all() == []


def test_password_hash_is_argon2id(db, therapist):
    user = accounts.create_user(db, role=Role.admin, email="x@example.org", name="X", password="a long enough passphrase")
    assert user.password_hash.startswith("$argon2id$")


def test_logout_also_forgets_remember_me(client, auth, patient):
    auth.login(patient.email, remember=True)
    assert client.get_cookie("remember_token") is not None
    auth.logout()
    assert client.get_cookie("remember_token") is None
    assert client.get("/today").status_code == 302


def test_login_form_renders_no_empty_attributes(client):
    page = client.get("/login").text
    assert '="None"' not in page
    assert 'autocomplete="username"' in page and 'aria-invalid' not in page
