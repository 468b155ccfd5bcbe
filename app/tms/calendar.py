"""The patient's appointments as an iCalendar feed (RFC 5545) at a secret, revocable URL.

Events come from small per-source functions (EVENT_SOURCES), each turning one kind of appointment into
CalendarEvents; TMS sessions are the first source, and another kind of appointment (therapy sessions) joins by
adding its own function to the tuple. What a calendar relies on:
- UID: "<source>-<row id>@<domain>", the domain from configuration (app/public_identity.py), never the Host header;
- SEQUENCE: stored on the row and bumped on every reschedule or cancellation (app/tms/services.py);
- DTSTAMP and LAST-MODIFIED: the last change to the event (or to the patient's feed settings), not the fetch time,
  so an unchanged feed is byte-for-byte the same and its ETag holds;
- text values (calendar name, summary, location) go through icalendar's vText, which escapes `,` `;` `\\`.
"""
import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vText
from sqlmodel import Session, select

from app.homework.timing import SessionStatus
from app.models import AppointmentStatus, CalendarFeed, TherapyAppointment, TmsSession, User
from app.i18n.markers import N_
from app.models.tms import CalendarTitle

SESSION_LENGTH = timedelta(minutes=40)
"""Calendar blocks cover chair time plus arriving and settling, not just stimulation."""

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

TITLES = {
    CalendarTitle.tms: N_("TMS session"),
    CalendarTitle.neutral: N_("Appointment"),
}
"""Entry titles a patient chooses between: a neutral word keeps treatment off a calendar others can see."""

THERAPY_TITLES = {
    CalendarTitle.tms: "Therapy session",
    CalendarTitle.neutral: "Appointment",
}


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    changed_at: datetime
    start: datetime
    end: datetime
    summary: str
    location: str | None
    cancelled: bool


@dataclass(frozen=True)
class FeedContext:
    """What every source needs: whose feed, how entries are named, where, and the UID domain."""

    patient: User
    feed: CalendarFeed
    clinic_name: str
    uid_domain: str

    @property
    def location(self) -> str | None:
        """The clinic's name, unless the patient chose neutral entries (a clinic's name can say what it treats)."""
        return self.clinic_name if self.feed.event_title == CalendarTitle.tms else None

    @property
    def settings_changed_at(self) -> datetime:
        return self.feed.settings_changed_at or EPOCH


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed_token(db: Session, *, patient: User, now: datetime, title: CalendarTitle | None = None) -> str:
    """Create (or replace, revoking the old URL) the patient's feed; returns the token to put in the URL once."""
    token = secrets.token_urlsafe(24)
    feed = db.exec(select(CalendarFeed).where(CalendarFeed.patient_id == patient.id)).first()
    if feed is None:
        feed = CalendarFeed(patient_id=patient.id, token_hash=_hash(token), created_at=now)
    feed.token_hash, feed.created_at = _hash(token), now
    if title is not None and title != feed.event_title:
        feed.event_title, feed.settings_changed_at = title, now
    db.add(feed)
    db.flush()
    return token


def set_event_title(db: Session, *, patient: User, title: CalendarTitle, now: datetime) -> bool:
    """Rename every entry; False when the patient has no feed. The change moves every entry's DTSTAMP."""
    feed = db.exec(select(CalendarFeed).where(CalendarFeed.patient_id == patient.id)).first()
    if feed is None:
        return False
    if feed.event_title != title:
        feed.event_title, feed.settings_changed_at = title, now
        db.add(feed)
        db.flush()
    return True


def revoke_feed(db: Session, *, patient: User) -> None:
    feed = db.exec(select(CalendarFeed).where(CalendarFeed.patient_id == patient.id)).first()
    if feed is not None:
        db.delete(feed)
        db.flush()


def feed_for_token(db: Session, token: str) -> tuple[CalendarFeed, User] | None:
    feed = db.exec(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token or ""))).first()
    if feed is None:
        return None
    patient = db.get(User, feed.patient_id)
    return (feed, patient) if patient is not None and patient.active else None


def patient_for_token(db: Session, token: str) -> User | None:
    found = feed_for_token(db, token)
    return found[1] if found else None


def tms_session_events(sessions: Sequence[TmsSession], context: FeedContext) -> list[CalendarEvent]:
    """One event per TMS visit; a cancelled one stays in the feed as STATUS:CANCELLED so calendars remove it."""
    return [
        CalendarEvent(
            uid=f"tms-session-{session.id}@{context.uid_domain}",
            sequence=session.sequence,
            changed_at=max(session.updated_at, context.settings_changed_at),
            start=session.scheduled_at,
            end=session.scheduled_at + SESSION_LENGTH,
            summary=TITLES[context.feed.event_title],
            location=context.location,
            cancelled=session.status == SessionStatus.CANCELLED,
        )
        for session in sessions
    ]


def load_tms_session_events(db: Session, context: FeedContext) -> list[CalendarEvent]:
    sessions = db.exec(select(TmsSession).where(TmsSession.patient_id == context.patient.id)
                       .order_by(TmsSession.scheduled_at)).all()
    return tms_session_events(sessions, context)


def therapy_appointment_events(appointments: Sequence[TherapyAppointment], context: FeedContext) -> list[CalendarEvent]:
    """One event per therapy appointment, with its own SEQUENCE (app/appointments/services.py bumps it)."""
    return [
        CalendarEvent(
            uid=f"therapy-appointment-{appointment.id}@{context.uid_domain}",
            sequence=appointment.sequence,
            changed_at=max(appointment.updated_at, context.settings_changed_at),
            start=appointment.starts_at,
            end=appointment.starts_at + timedelta(minutes=appointment.minutes),
            summary=THERAPY_TITLES[context.feed.event_title],
            location=context.location,
            cancelled=appointment.status == AppointmentStatus.cancelled,
        )
        for appointment in appointments
    ]


def load_therapy_appointment_events(db: Session, context: FeedContext) -> list[CalendarEvent]:
    appointments = db.exec(select(TherapyAppointment).where(TherapyAppointment.patient_id == context.patient.id)
                           .order_by(TherapyAppointment.starts_at)).all()
    return therapy_appointment_events(appointments, context)


EventSource = Callable[[Session, FeedContext], list[CalendarEvent]]
EVENT_SOURCES: tuple[EventSource, ...] = (load_tms_session_events, load_therapy_appointment_events)
"""Every kind of appointment in the feed; a new kind adds its loader here."""


def feed_events(db: Session, context: FeedContext) -> list[CalendarEvent]:
    return sorted((event for source in EVENT_SOURCES for event in source(db, context)), key=lambda e: (e.start, e.uid))


def last_change(events: Sequence[CalendarEvent], context: FeedContext) -> datetime:
    """The feed's Last-Modified: its newest event change, or when the link or its settings last changed."""
    return max([context.feed.created_at, context.settings_changed_at, *(event.changed_at for event in events)])


def build_calendar(events: Sequence[CalendarEvent], *, calendar_name: str) -> bytes:
    """The iCalendar body; depends only on the events, so an unchanged feed gives identical bytes."""
    calendar = Calendar()
    calendar.add("prodid", "-//Homework companion//EN")
    calendar.add("version", "2.0")
    calendar.add("name", vText(calendar_name))
    calendar.add("x-wr-calname", vText(calendar_name))
    calendar.add("refresh-interval;value=duration", "PT6H")
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("sequence", item.sequence)
        event.add("dtstamp", item.changed_at)
        event.add("last-modified", item.changed_at)
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("summary", vText(item.summary))
        if item.location:
            event.add("location", vText(item.location))
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()


def calendar_name(title: CalendarTitle, clinic_name: str) -> str:
    """The calendar's own name follows the patient's choice too: neutral names neither TMS nor the clinic."""
    return f"{TITLES[title]}s · {clinic_name}" if title == CalendarTitle.tms else "Appointments"
