"""Safety operations: record an event, mark it seen, acknowledge it, and keep the plan and crisis numbers.

Each function does one unit of work and only flushes; the request commits (for events, at once: see routes).
"""
from collections import defaultdict
from datetime import datetime

from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.models import Role, User
from app.models.safety import (
    DEFAULT_ESCALATION_MINUTES,
    ESCALATION_MINUTES_RANGE,
    PLAN_FIELD_MAX,
    PLAN_STEPS,
    ClinicSettings,
    SafetyEvent,
    SafetyEventSource,
    SafetyPlan,
)
from app.safety import rules
from app.safety.events import safety_event_created
from app.validation import FieldError, parse_phone, phones_in_text, whole_number

ACTION_MAX = 2000


class SafetyInputError(FieldError):
    """A problem with safety input, with the form field it belongs beside and a message for the person."""


def record_safety_event(
    db: Session,
    *,
    patient: User,
    source: SafetyEventSource,
    at: datetime,
    item_value: int | None = None,
    details: dict | None = None,
    origin: str | None = None,
    received_at: datetime | None = None,
) -> SafetyEvent:
    """THE safety-signal pathway (CLINICAL.md, Safety): every source records its event here, and nowhere else.

    `at` is when it happened (the phone's time for an entry queued offline), `received_at` when the server got it.
    One submission (`origin`) is one event: sending it again updates that event with the highest answers
    (never lowers them), and only a more serious answer after acknowledgement opens a new event. A new event is
    announced (safety_event_created: the alerts); the caller commits straight away."""
    if details is None:
        details = {"item9": item_value} if item_value is not None else {}
    previous = _event_for_origin(db, patient, origin)
    if previous is not None and (previous.is_open or not rules.raises(previous.details, details)):
        return _raise_values(db, previous, details)
    if previous is not None:
        details = rules.merge_details(previous.details, details)
        origin = f"{origin}@{previous.id}"
    event = SafetyEvent(
        patient_id=patient.id, source=source, item_value=details.get("item9") if source == SafetyEventSource.phq9_item9
        else None, details=details, origin=origin, created_at=at, received_at=received_at or at,
    )
    try:
        with db.begin_nested():
            db.add(event)
    except IntegrityError:  # the same submission, sent twice at once (page and Background Sync): one event
        concurrent = _event_for_origin(db, patient, origin)
        if concurrent is None:
            raise
        return _raise_values(db, concurrent, details)
    safety_event_created.send(event, event=event, db=db)
    return event


def _raise_values(db: Session, event: SafetyEvent, details: dict) -> SafetyEvent:
    """The highest answer wins: the event's values only ever go up (never edited away)."""
    if rules.raises(event.details, details):
        event.details = rules.merge_details(event.details, details)
        if event.source == SafetyEventSource.phq9_item9:
            event.item_value = event.details.get("item9")
        db.add(event)
        db.flush()
    return event


def raise_signal(
    db: Session, *, patient: User, signal: rules.Signal, at: datetime, now: datetime, origin: str | None = None
) -> SafetyEvent:
    """A source's risk signal (from app/safety/rules.py) into the one pathway above."""
    return record_safety_event(
        db, patient=patient, source=signal.source, at=at, details=dict(signal.details), origin=origin, received_at=now
    )


def _event_for_origin(db: Session, patient: User, origin: str | None) -> SafetyEvent | None:
    """The latest event of this submission: its first event, then each follow-up ("<origin>@<previous id>")."""
    found = None
    while origin:
        event = db.exec(
            select(SafetyEvent).where(SafetyEvent.patient_id == patient.id, SafetyEvent.origin == origin)
        ).first()
        if event is None:
            break
        found = event
        origin = f"{origin.split('@')[0]}@{event.id}"
    return found


def submission_origin(key: str | None) -> str | None:
    """One form submission's origin, from its idempotency key (the same key when the form is sent again)."""
    return f"submission:{key}" if key else None


def latest_open_event(db: Session, patient: User, *, source: SafetyEventSource | None = None) -> SafetyEvent | None:
    query = select(SafetyEvent).where(SafetyEvent.patient_id == patient.id, SafetyEvent.acknowledged_at.is_(None))
    if source is not None:
        query = query.where(SafetyEvent.source == source)
    return db.exec(query.order_by(SafetyEvent.created_at.desc(), SafetyEvent.id.desc())).first()


def mark_seen(db: Session, *, patient: User, at: datetime) -> int:
    """The patient has the crisis screen in front of them: stamp their events not yet seen."""
    events = db.exec(
        select(SafetyEvent).where(SafetyEvent.patient_id == patient.id, SafetyEvent.seen_at.is_(None))
    ).all()
    for event in events:
        event.seen_at = at
    db.flush()
    return len(events)


def has_unseen(db: Session, patient: User) -> bool:
    return db.exec(
        select(SafetyEvent.id).where(SafetyEvent.patient_id == patient.id, SafetyEvent.seen_at.is_(None)).limit(1)
    ).first() is not None


def banner_events(db: Session, user: User) -> list[tuple[SafetyEvent, User, bool]]:
    """Open events every staff page shows: escalated ones (unacknowledged in time, or reaching nobody) to all
    staff, and every open one to the safety contacts; each with its patient and whether `user` may act on it.
    A therapist's own patients are left out: their caseload (their home page) lists every open event first."""
    from app.policy import can_handle_safety

    query = (
        select(SafetyEvent, User)
        .join(User, User.id == SafetyEvent.patient_id)
        .where(SafetyEvent.acknowledged_at.is_(None))
        .order_by(SafetyEvent.created_at, SafetyEvent.id)
    )
    if not (user.safety_contact and user.active):
        query = query.where(SafetyEvent.escalated_at.is_not(None))
    if user.role == Role.therapist:
        query = query.where(or_(User.therapist_id.is_(None), User.therapist_id != user.id))  # own: on the caseload
    rows = [(event, patient, can_handle_safety(user, patient)) for event, patient in db.exec(query)]
    from app.policy import works_at  # another site's patients are not named to this one's staff (issue 22)

    return [(event, patient, may) for event, patient, may in rows if may or works_at(db, user, patient.site_id)]


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


def _chat_url(raw) -> str:
    text = str(raw or "").strip()
    if text and (not text.startswith("https://") or len(text) > 200 or any(c.isspace() for c in text)):
        raise SafetyInputError("crisis_chat_url", "Give a web address starting with https:// (at most 200 characters).")
    return text


def _escalation_minutes(raw) -> int:
    low, high = ESCALATION_MINUTES_RANGE
    text = str(raw if raw is not None else "").strip()
    if not text:
        return DEFAULT_ESCALATION_MINUTES
    minutes = whole_number(text)
    if minutes is None or not low <= minutes <= high:
        raise SafetyInputError("escalation_minutes", f"Give whole minutes from {low} to {high} (default 60).")
    return minutes


def safety_contacts(db: Session, *, active_only: bool = True, site_id: int | None = None) -> list[User]:
    """Staff marked as safety contacts (the TMS team, a duty clinician), by name: those working at `site_id` (a
    patient's site), or everyone's when None."""
    from app.models import StaffSite

    query = select(User).where(User.safety_contact, User.role != Role.patient)
    if site_id is not None:
        query = query.where(User.id.in_(select(StaffSite.user_id).where(StaffSite.site_id == site_id)))
    if active_only:
        query = query.where(User.active)
    return list(db.exec(query.order_by(User.name)))


def set_safety_contact(db: Session, *, user: User, on: bool) -> None:
    if user.role == Role.patient:
        raise SafetyInputError("safety_contact", "Only staff can be safety contacts.")
    user.safety_contact = on
    db.add(user)
    db.flush()


def set_urge_threshold(db: Session, *, patient: User, raw: str | None) -> int:
    """The therapist's per-patient diary threshold for an urge to end one's life (3-5; CLINICAL.md default 4)."""
    low, high = rules.URGE_THRESHOLD_RANGE
    threshold = whole_number(raw)
    if threshold is None or not low <= threshold <= high:
        raise SafetyInputError("suicide_urge_threshold", f"Choose {low}, {high - 1} or {high}.")
    patient.suicide_urge_threshold = threshold
    db.add(patient)
    db.flush()
    return patient.suicide_urge_threshold


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
                         region: str = "US", site=None) -> ClinicSettings:
    """The crisis numbers patients dial from the crisis screen: each checked with `phonenumbers` for the region.
    The numbers are the site's (its patients see them); the escalation time is the organisation's."""
    settings = clinic_settings(db)
    if site is None:
        from app.sites.services import default_site

        site = default_site(db)
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
        setattr(site, name, text)
    site.crisis_chat_url = _chat_url(values.get("crisis_chat_url"))
    site.updated_at = at
    db.add(site)
    settings.escalation_minutes = _escalation_minutes(values.get("escalation_minutes"))
    settings.updated_at = at
    settings.updated_by_id = by.id
    db.add(settings)
    db.flush()
    return settings
