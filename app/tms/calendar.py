"""The patient's TMS sessions as an iCalendar feed (RFC 5545) at a secret, revocable URL."""
import hashlib
import secrets
from datetime import datetime, timedelta

from icalendar import Calendar, Event
from sqlmodel import Session, select

from app.homework.timing import SessionStatus
from app.models import CalendarFeed, TmsSession, User

SESSION_LENGTH = timedelta(minutes=40)
"""Calendar blocks cover chair time plus arriving and settling, not just stimulation."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed_token(db: Session, *, patient: User, now: datetime) -> str:
    """Create (or replace, revoking the old URL) the patient's feed; returns the token to put in the URL once."""
    token = secrets.token_urlsafe(24)
    feed = db.exec(select(CalendarFeed).where(CalendarFeed.patient_id == patient.id)).first()
    if feed is None:
        feed = CalendarFeed(patient_id=patient.id, token_hash=_hash(token), created_at=now)
    feed.token_hash, feed.created_at = _hash(token), now
    db.add(feed)
    db.flush()
    return token


def revoke_feed(db: Session, *, patient: User) -> None:
    feed = db.exec(select(CalendarFeed).where(CalendarFeed.patient_id == patient.id)).first()
    if feed is not None:
        db.delete(feed)
        db.flush()


def patient_for_token(db: Session, token: str) -> User | None:
    feed = db.exec(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token or ""))).first()
    if feed is None:
        return None
    patient = db.get(User, feed.patient_id)
    return patient if patient is not None and patient.active else None


def build_calendar(sessions: list[TmsSession], *, clinic_name: str, host: str, now: datetime) -> bytes:
    """One VEVENT per session with a stable UID; cancelled sessions are sent as STATUS:CANCELLED so calendars
    remove them. Titles say only "TMS session" (a calendar may show on a lock screen)."""
    calendar = Calendar()
    calendar.add("prodid", "-//TMS homework companion//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"TMS · {clinic_name}")
    calendar.add("refresh-interval;value=duration", "PT6H")
    for session in sessions:
        event = Event()
        event.add("uid", f"tms-session-{session.id}@{host}")
        event.add("dtstamp", now)
        event.add("last-modified", session.updated_at)
        event.add("dtstart", session.scheduled_at)
        event.add("dtend", session.scheduled_at + SESSION_LENGTH)
        event.add("summary", "TMS session")
        event.add("location", clinic_name)
        event.add("status", "CANCELLED" if session.status == SessionStatus.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
