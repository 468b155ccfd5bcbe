"""Record every staff access to a patient's record. The policy module notes each patient a request loads;
after a successful response the entries are written in their own transaction (GET views never commit)."""
from flask import Flask, g, request
from flask_login import current_user
from sqlmodel import Session

from app.db import get_engine
from app.models import AuditEntry, Role
from app.models.types import utcnow


def note_access(user, patient_id: int) -> None:
    """Called by policy.get_patient_for: remember that staff user `user` opened `patient_id` in this request."""
    if user.role in (Role.therapist, Role.admin):
        g.setdefault("audited_patients", set()).add(patient_id)


def _write_entries(response):
    patients = g.pop("audited_patients", None)
    if not patients or response.status_code >= 400 or not current_user.is_authenticated:
        return response
    with Session(get_engine()) as db:
        now = utcnow()
        for patient_id in sorted(patients):
            db.add(AuditEntry(at=now, user_id=current_user.id, patient_id=patient_id,
                              action=request.endpoint or "", method=request.method))
        db.commit()
    return response


def init_app(app: Flask) -> None:
    app.after_request(_write_entries)
