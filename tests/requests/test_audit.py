"""Every staff access to a patient's record is logged; admins can read the log."""
from sqlmodel import select

from app.models import AuditEntry
from tests.conftest import sign_in
from tests.factories import make_patient, make_therapist


def test_therapist_viewing_a_record_is_logged(therapist_client, db, therapist, patient):
    assert therapist_client.get(f"/patients/{patient.id}").status_code == 200
    entry = db.exec(select(AuditEntry)).one()
    assert (entry.user_id, entry.patient_id, entry.action, entry.method) == (therapist.id, patient.id, "therapist.patient", "GET")


def test_patient_viewing_own_pages_is_not_staff_access(patient_client, db):
    patient_client.get("/today")
    assert db.exec(select(AuditEntry)).all() == []


def test_refused_access_is_not_logged_as_a_view(therapist_client, db):
    other = make_therapist(db, email="o@example.org")
    theirs = make_patient(db, therapist=other, email="x@example.org")
    assert therapist_client.get(f"/patients/{theirs.id}").status_code == 404
    assert db.exec(select(AuditEntry)).all() == []


def test_admin_reads_the_log_and_others_cannot(client, db, admin, therapist, patient):
    sign_in(client, therapist)
    client.get(f"/patients/{patient.id}/tms")
    assert client.get("/admin/audit").status_code == 403
    sign_in(client, admin)
    page = client.get("/admin/audit").text
    assert "Dr. Ada Byron" in page and "tms.patient_sessions" in page
