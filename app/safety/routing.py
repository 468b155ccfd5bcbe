"""Who hears about a safety event, and escalation when nobody has acknowledged it (CLINICAL.md, Safety).

Receivers of safety_event_created and the clock's escalation job call these; they only queue pushes and flush.
"""
import logging
from datetime import datetime, timedelta

from sqlalchemy import and_, or_
from sqlmodel import Session, select

from app.models import PushSubscription, User
from app.models.safety import SafetyEvent
from app.safety import rules
from app.safety.services import clinic_settings, safety_contacts

log = logging.getLogger(__name__)


def _recipient(user: User, with_devices: set[int]) -> rules.Recipient:
    return rules.Recipient(user.id, bool(user.active), user.id in with_devices)


def _with_devices(db: Session, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    return set(db.exec(select(PushSubscription.user_id).where(PushSubscription.user_id.in_(ids)).distinct()).all())


def alert_for_event(db: Session, *, event: SafetyEvent, now: datetime) -> list[int]:
    """Queue the push for everyone `choose_recipients` names. If none of them can receive it, the event is
    escalated at once: it goes on every staff page straight away instead of waiting for the escalation time."""
    from app.push.reminders import queue_safety_alert

    patient = db.get(User, event.patient_id)
    therapist = db.get(User, patient.therapist_id) if patient and patient.therapist_id else None
    contacts = safety_contacts(db, site_id=patient.site_id if patient else None)
    devices = _with_devices(db, [u.id for u in contacts] + ([therapist.id] if therapist else []))
    treating = _recipient(therapist, devices) if therapist else None
    backups = [_recipient(u, devices) for u in contacts]
    chosen = rules.choose_recipients(rules.route_of(event.source), treating, backups)
    people = backups + ([treating] if treating else [])
    for user_id in chosen:
        queue_safety_alert(db, event_id=event.id, therapist_id=user_id, at=event.alerted_at)
    if not rules.anyone_reachable(chosen, people):
        log.warning("safety.alert_unreachable event=%s recipients=%s", event.id, len(chosen))
        event.escalated_at = now
        db.add(event)
        db.flush()
    return chosen


def escalate_overdue(db: Session, *, now: datetime) -> int:
    """Open events unacknowledged for the clinic's escalation time: push the safety contacts and mark them
    escalated (shown on every staff page). Idempotent through `escalated_at`."""
    from app.push.reminders import queue_safety_alert

    cutoff = now - timedelta(minutes=clinic_settings(db).escalation_minutes)
    due = db.exec(
        select(SafetyEvent).where(
            SafetyEvent.acknowledged_at.is_(None),
            SafetyEvent.escalated_at.is_(None),
            or_(SafetyEvent.received_at <= cutoff, and_(SafetyEvent.received_at.is_(None), SafetyEvent.created_at <= cutoff)),
        ).order_by(SafetyEvent.id)
    ).all()
    for event in due:
        patient = db.get(User, event.patient_id)
        contacts = safety_contacts(db, site_id=patient.site_id if patient else None)
        for contact in contacts:
            queue_safety_alert(db, event_id=event.id, therapist_id=contact.id, at=now, escalation=True)
        event.escalated_at = now
        db.add(event)
        log.warning("safety.escalated event=%s contacts=%s", event.id, len(contacts))
    db.flush()
    return len(due)
