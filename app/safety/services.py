"""Safety operations: record an event, mark it seen, acknowledge it, and keep the plan and crisis numbers.

Each function does one unit of work and only flushes; the request commits (for events, at once: see routes).
"""
from collections import defaultdict
from datetime import datetime, timedelta

from sqlmodel import Session, select

from app.models import User
from app.models.safety import (
    PLAN_FIELD_MAX,
    PLAN_STEPS,
    ClinicSettings,
    SafetyEvent,
    SafetyEventSource,
    SafetyPlan,
)
from app.safety.events import safety_event_created
from app.security.content import DATABASE_INT_MAX
from app.validation import FieldError, parse_phone, phones_in_text, whole_number

ACTION_MAX = 2000
RESUBMIT_WINDOW = timedelta(hours=2)
"""A PHQ-9 sent back for a missing answer reuses its item-9 event for this long, so one answer raises one alert."""


class SafetyInputError(FieldError):
    """A problem with safety input, with the form field it belongs beside and a message for the person."""


def record_safety_event(
    db: Session, *, patient: User, source: SafetyEventSource, at: datetime, item_value: int | None = None
) -> SafetyEvent:
    """Record a safety event and announce it (CLINICAL.md, Safety); the caller commits straight away."""
    event = SafetyEvent(patient_id=patient.id, source=source, item_value=item_value, created_at=at)
    db.add(event)
    db.flush()
    safety_event_created.send(event, event=event, db=db)
    return event


def reusable_phq9_event(db: Session, *, patient: User, event_id: str | None, at: datetime) -> SafetyEvent | None:
    """The item-9 event raised by this patient's previous, incomplete submission of the same form, if recent."""
    number = whole_number(event_id)
    if number is None or number > DATABASE_INT_MAX:
        return None
    event = db.get(SafetyEvent, number)
    if (
        event is None
        or event.patient_id != patient.id
        or event.source != SafetyEventSource.phq9_item9
        or event.response_id is not None
        or not at - RESUBMIT_WINDOW <= event.created_at <= at
    ):
        return None
    return event


def mark_seen(db: Session, *, patient: User, at: datetime) -> int:
    """The patient has the crisis screen in front of them: stamp their events not yet seen."""
    events = db.exec(
        select(SafetyEvent).where(SafetyEvent.patient_id == patient.id, SafetyEvent.seen_at.is_(None))
    ).all()
    for event in events:
        event.seen_at = at
    db.flush()
    return len(events)


def acknowledge_event(db: Session, *, event: SafetyEvent, by: User, action_taken: str, at: datetime) -> SafetyEvent:
    """The therapist records that they saw the event and what they did; an event is acknowledged once."""
    action = (action_taken or "").strip()
    if not action:
        raise SafetyInputError("action_taken", "Write what you did (for example: called the patient, plan reviewed).")
    if len(action) > ACTION_MAX:
        raise SafetyInputError("action_taken", f"Keep this to {ACTION_MAX} characters.")
    if not event.is_open:
        raise SafetyInputError("action_taken", "This event has already been acknowledged.")
    event.acknowledged_at = at
    event.acknowledged_by_id = by.id
    event.action_taken = action
    db.flush()
    return event


def events_for_patient(db: Session, patient_id: int) -> list[SafetyEvent]:
    """Open events first (oldest first, they have waited longest), then acknowledged ones, newest first."""
    events = db.exec(select(SafetyEvent).where(SafetyEvent.patient_id == patient_id)).all()
    open_events = sorted((e for e in events if e.is_open), key=lambda e: e.created_at)
    closed = sorted((e for e in events if not e.is_open), key=lambda e: e.created_at, reverse=True)
    return open_events + closed


def open_events_by_patient(db: Session, patient_ids) -> dict[int, list[SafetyEvent]]:
    """Unacknowledged events per patient, oldest first, in one query (the caseload's red flags)."""
    ids = list(patient_ids)
    result: dict[int, list[SafetyEvent]] = defaultdict(list)
    if not ids:
        return {}
    for event in db.exec(
        select(SafetyEvent)
        .where(SafetyEvent.patient_id.in_(ids), SafetyEvent.acknowledged_at.is_(None))
        .order_by(SafetyEvent.created_at, SafetyEvent.id)
    ):
        result[event.patient_id].append(event)
    return dict(result)


def plan_for(db: Session, patient: User) -> SafetyPlan:
    """The patient's plan, or an unsaved empty one (reading never writes)."""
    plan = db.exec(select(SafetyPlan).where(SafetyPlan.patient_id == patient.id)).first()
    return plan or SafetyPlan(patient_id=patient.id)


PHONE_STEPS = ("distractions", "help_contacts", "professionals")
"""Steps where people write names with phone numbers: each number must be one the patient can dial in a crisis."""


def save_plan(db: Session, *, patient: User, by: User, values: dict[str, str], at: datetime,
              region: str = "US") -> SafetyPlan:
    """Replace the plan's text step by step; every step is optional, each at most PLAN_FIELD_MAX characters, and a
    phone number in the contact steps must be a valid one for the clinic's region (or in +international form)."""
    cleaned = {}
    for name, label, _hint in PLAN_STEPS:
        text = (values.get(name) or "").strip()
        if len(text) > PLAN_FIELD_MAX:
            raise SafetyInputError(name, f"“{label}” can be at most {PLAN_FIELD_MAX} characters.")
        if name in PHONE_STEPS:
            try:
                phones_in_text(text, field=name, label=label, region=region)
            except FieldError as error:
                raise SafetyInputError(name, error.message) from None
        cleaned[name] = text
    plan = plan_for(db, patient)
    for name, text in cleaned.items():
        setattr(plan, name, text)
    plan.updated_at = at
    plan.updated_by_id = by.id
    db.add(plan)
    db.flush()
    return plan


SETTINGS_FIELDS = (
    "clinic_phone", "after_hours_phone", "crisis_line_label", "crisis_line_number", "crisis_line_text",
    "emergency_number",
)
REQUIRED_SETTINGS = {
    "crisis_line_label": "Name the national crisis line.",
    "crisis_line_number": "Give the crisis line's number.",
    "emergency_number": "Give the emergency number.",
}


def clinic_settings(db: Session) -> ClinicSettings:
    """The clinic's crisis numbers, or the US defaults (988, 911) until an admin saves them."""
    return db.get(ClinicSettings, 1) or ClinicSettings(id=1)


PHONE_SETTINGS = {
    "clinic_phone": ("the clinic's phone number", False),
    "after_hours_phone": ("the after-hours number", False),
    "crisis_line_number": ("the crisis line's number", True),
    "crisis_line_text": ("the crisis text number", True),
    "emergency_number": ("the emergency number", True),
}
"""Each number field: its label in messages, and whether a short code (988, 911, 741741) is right for it."""


def save_clinic_settings(db: Session, *, by: User, values: dict[str, str], at: datetime,
                         region: str = "US") -> ClinicSettings:
    """The crisis numbers patients dial from the crisis screen: each checked with `phonenumbers` for the region."""
    settings = clinic_settings(db)
    for name in SETTINGS_FIELDS:
        text = (values.get(name) or "").strip()
        if name in REQUIRED_SETTINGS and not text:
            raise SafetyInputError(name, REQUIRED_SETTINGS[name])
        limit = 80 if name == "crisis_line_label" else 40
        if len(text) > limit:
            raise SafetyInputError(name, f"At most {limit} characters.")
        if name in PHONE_SETTINGS:
            label, short_ok = PHONE_SETTINGS[name]
            try:
                text = parse_phone(text, field=name, label=label, region=region, short_ok=short_ok)
            except FieldError as error:
                raise SafetyInputError(name, error.message) from None
        setattr(settings, name, text)
    settings.updated_at = at
    settings.updated_by_id = by.id
    db.add(settings)
    db.flush()
    return settings
