"""Record every staff access to a patient's record. The policy module notes each patient a request loads;
after a successful response the entries are written in their own transaction (GET views never commit)."""
from flask import Flask, current_app, g, render_template, request
from flask_login import current_user
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app.db import get_engine
from app.models import AuditEntry, Role
from app.models.types import utcnow


def note_access(user, patient_id: int) -> None:
    """Called by policy.get_patient_for: remember that staff user `user` opened `patient_id` in this request."""
    if user.role in (Role.therapist, Role.admin):
        g.setdefault("audited_patients", set()).add(patient_id)


LINK_REASONS = {
    "forgot": "Forgot their password",
    "new_device": "New phone or computer",
    "invite_lost": "Invite not received or expired",
    "locked_out": "Locked out after failed sign-ins",
}
"""Why a staff member issues an invite or reset link, chosen beside the button and kept in the audit log."""


def record_link_issued(db, *, by, user, purpose: str, reason: str, at) -> None:
    """Audit one invite/reset link: who issued it, for whom, which kind and why (in the request's transaction)."""
    db.add(AuditEntry(at=at, user_id=by.id, patient_id=user.id, action=f"link.{purpose}", method="POST", reason=reason))


def record_recording(db, *, by, patient_id: int, action: str, at) -> None:
    """Audit a PE session recording sent to the clinic or removed from it (who, whose, when: never its content).
    Listening is audited like any page a therapist opens (the endpoint exposure.listen_recording)."""
    db.add(AuditEntry(at=at, user_id=by.id, patient_id=patient_id, action=f"recording.{action}", method="POST"))
def record_patient_change(db, *, patient, action: str, entry: str, at) -> None:
    """Audit a patient correcting or deleting one of their own entries ("history.edit", "mood_checkins:12")."""
    db.add(AuditEntry(at=at, user_id=patient.id, patient_id=patient.id, action=action, method="POST", reason=entry))


def _write_entries(response):
    patients = g.pop("audited_patients", None)
    if not patients or response.status_code >= 400 or not current_user.is_authenticated:
        return response
    entries = [(current_user.id, patient_id, request.endpoint or "", request.method) for patient_id in sorted(patients)]
    for attempt in range(2):  # a connection killed under us (failover, restart) gets one fresh retry
        try:
            _insert(entries)
            return response
        except OperationalError:
            if attempt:
                break
    # No audit entry, no record shown: answer "try again" rather than disclose unaudited.
    current_app.logger.error("audit.write_failed endpoint=%s", request.endpoint)
    return current_app.make_response(
        (render_template("errors/error.html", code=503, message="We couldn't open this right now. Please try again in a moment."),
         503, {"Retry-After": "5"})
    )


def _insert(entries) -> None:
    with Session(get_engine()) as db:
        now = utcnow()
        for user_id, patient_id, action, method in entries:
            db.add(AuditEntry(at=now, user_id=user_id, patient_id=patient_id, action=action, method=method))
        db.commit()


def init_app(app: Flask) -> None:
    app.after_request(_write_entries)
