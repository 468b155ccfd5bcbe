"""Who may see an invite or reset link (issue 19, finding 1): staff get links on screen only for patients; a
clinician's link goes to their own email, and every issuance is in the audit log with who, for whom and why."""
from sqlmodel import select

from app.models import AccountToken, AuditEntry
from tests.factories import make_admin, make_therapist
from tests.support.fake_mail import mailbox  # noqa: F401  (fixture)


def test_staff_never_see_a_therapists_reset_link(admin_client, db, therapist):
    response = admin_client.post(f"/users/{therapist.id}/link", data={"reason": "forgot"})
    assert "/reset/" not in response.text and "/invite/" not in response.text
    assert db.exec(select(AccountToken).where(AccountToken.user_id == therapist.id)).all() == []


def test_staff_never_see_another_admins_reset_link(admin_client, db):
    colleague = make_admin(db, email="colleague@example.org", name="Other Staff")
    response = admin_client.post(f"/users/{colleague.id}/link", data={"reason": "forgot"})
    assert "/reset/" not in response.text
    assert db.exec(select(AccountToken).where(AccountToken.user_id == colleague.id)).all() == []


def test_a_clinicians_reset_link_goes_to_their_own_email_only(admin_client, db, therapist, mailbox):
    response = admin_client.post(f"/users/{therapist.id}/link", data={"reason": "new_device"})
    assert response.status_code == 200 and "/reset/" not in response.text
    assert "emailed" in response.text
    assert len(mailbox) == 1 and mailbox[0]["To"] == therapist.email and "/reset/" in mailbox[0].get_content()


def test_patient_link_is_audited_with_who_for_whom_and_why(admin_client, db, admin, patient):
    response = admin_client.post(f"/users/{patient.id}/link", data={"reason": "new_device"})
    assert response.status_code == 200 and "/reset/" in response.text
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "link.password_reset")).one()
    assert (entry.user_id, entry.patient_id, entry.reason) == (admin.id, patient.id, "New phone or computer")
    assert "New phone or computer" in admin_client.get("/admin/audit").text


def test_emailed_clinician_link_is_audited_too(admin_client, db, admin, mailbox):
    newcomer = make_therapist(db, email="new@example.org", name="Dr. New", password=False)
    admin_client.post(f"/users/{newcomer.id}/link", data={"reason": "invite_lost"})
    entry = db.exec(select(AuditEntry).where(AuditEntry.patient_id == newcomer.id)).one()
    assert (entry.user_id, entry.action, entry.reason) == (admin.id, "link.invite", "Invite not received or expired")


def test_unknown_link_reason_is_refused(admin_client, patient):
    assert admin_client.post(f"/users/{patient.id}/link", data={"reason": "because"}).status_code == 400
