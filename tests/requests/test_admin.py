"""Clinic administration and the role rules: who may open which page, and the 404 rule for others' patients."""
from sqlmodel import select

from app.models import AccountToken, Role, User
from tests.conftest import sign_in
from tests.factories import make_patient, make_therapist


def test_admin_invites_patient_and_sees_one_time_link(admin_client, db, therapist):
    response = admin_client.post(
        "/patients/new",
        data={"name": "Nia New", "email": "Nia@Example.org", "timezone": "America/Chicago", "therapist_id": therapist.id},
    )
    assert response.status_code == 200
    assert "/invite/" in response.text and "pass this link" in response.text
    nia = db.exec(select(User).where(User.email == "nia@example.org")).one()
    assert (nia.role, nia.therapist_id, nia.timezone, nia.password_hash) == (Role.patient, therapist.id, "America/Chicago", None)
    assert db.exec(select(AccountToken).where(AccountToken.user_id == nia.id)).one().used_at is None


def test_therapist_invites_own_patient_only(therapist_client, db, therapist):
    other = make_therapist(db, email="other@example.org", name="Dr. Other")
    therapist_client.post(
        "/patients/new",
        data={"name": "Ola", "email": "ola@example.org", "timezone": "America/Chicago", "therapist_id": other.id},
    )
    ola = db.exec(select(User).where(User.email == "ola@example.org")).first()
    assert ola is None  # the form offers only the therapist themself; another id is rejected


def test_duplicate_email_is_flagged_and_input_kept(admin_client, therapist, patient):
    response = admin_client.post(
        "/patients/new",
        data={"name": "Someone Else", "email": patient.email, "timezone": "America/Chicago", "therapist_id": therapist.id},
    )
    assert response.status_code == 400
    assert "already an account" in response.text
    assert 'value="Someone Else"' in response.text


def test_admin_creates_therapist_account(admin_client, db):
    response = admin_client.post(
        "/admin/staff/new",
        data={"name": "Dr. New", "email": "drnew@example.org", "role": "therapist", "timezone": "America/New_York"},
    )
    assert response.status_code == 200
    assert db.exec(select(User).where(User.email == "drnew@example.org")).one().role == Role.therapist


def test_admin_deactivates_and_reactivates(admin_client, db, patient):
    admin_client.post(f"/admin/users/{patient.id}/active", data={"active": "0"})
    db.refresh(patient)
    assert patient.active is False
    admin_client.post(f"/admin/users/{patient.id}/active", data={"active": "1"})
    db.refresh(patient)
    assert patient.active is True


def test_admin_reassigns_therapist(admin_client, db, patient):
    other = make_therapist(db, email="other@example.org", name="Dr. Other")
    response = admin_client.post(f"/admin/patients/{patient.id}/therapist", data={"therapist_id": other.id})
    assert response.status_code == 303
    db.refresh(patient)
    assert patient.therapist_id == other.id


def test_therapist_issues_reset_link_for_own_patient(therapist_client, patient):
    response = therapist_client.post(f"/users/{patient.id}/link")
    assert response.status_code == 200 and "/reset/" in response.text


def test_therapist_cannot_issue_link_for_another_therapists_patient(therapist_client, db):
    other = make_therapist(db, email="other@example.org", name="Dr. Other")
    theirs = make_patient(db, therapist=other, email="theirs@example.org")
    assert therapist_client.post(f"/users/{theirs.id}/link").status_code == 404


def test_patient_cannot_open_staff_pages(patient_client):
    for path in ("/admin", "/patients", "/patients/new", "/admin/staff/new"):
        assert patient_client.get(path).status_code == 403, path


def test_therapist_cannot_open_admin_pages(therapist_client, patient):
    assert therapist_client.get("/admin").status_code == 403
    assert therapist_client.post(f"/admin/users/{patient.id}/active", data={"active": "0"}).status_code == 403


def test_anonymous_is_sent_to_login(client):
    for path in ("/today", "/patients", "/admin"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), path


def test_therapist_sees_only_own_patients(client, db, therapist, patient):
    other = make_therapist(db, email="other@example.org", name="Dr. Other")
    make_patient(db, therapist=other, email="theirs@example.org", name="Not Mine")
    sign_in(client, therapist)
    page = client.get("/patients").text
    assert "Pat" in page and "Not Mine" not in page
