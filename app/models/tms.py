"""TMS courses and their sessions."""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.homework.timing import SessionStatus
from app.models.types import UTCDateTime, enum_column, utcnow


DEFAULT_SESSION_MINUTES = 40
"""A standard rTMS visit (about 37 minutes of stimulation) rounded up; presets set their own."""


class ProtocolKind(StrEnum):
    standard = "standard"
    accelerated = "accelerated"
    taper = "taper"
    booster = "booster"
    custom = "custom"


class TmsCourse(SQLModel, table=True):
    """One course of TMS for a patient (acute, taper, maintenance...); sessions are expanded from its protocol."""

    __tablename__ = "tms_courses"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id", index=True)
    label: str = Field(max_length=80)
    protocol: ProtocolKind = Field(
        sa_column=enum_column(ProtocolKind, "protocol_kind", length=16)
    )
    parameters: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    start_date: date
    created_by_id: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    session_minutes: int = Field(default=DEFAULT_SESSION_MINUTES, sa_column_kwargs={"server_default": "40"})
    """How long a visit takes (chair time): the post-TMS window opens at the actual start plus this."""
    prescribed_sessions: int | None = None
    """Sessions the prescriber ordered; progress counts delivered sessions against it (make-ups add none)."""
    include_weekends: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})


class TmsSession(SQLModel, table=True):
    """A single TMS visit. `started_at` is when it really began (staff enter it; default the booked time); the
    post-TMS window opens at started_at + the course's session length. `completed_at` is only when it was marked."""

    __tablename__ = "tms_sessions"
    __table_args__ = (
        UniqueConstraint("patient_id", "scheduled_at"),
        CheckConstraint("(status = 'completed') = (completed_at IS NOT NULL)", name="completed_has_time"),
        Index("ix_tms_sessions_scheduled_at", "scheduled_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="tms_courses.id", index=True)
    patient_id: int = Field(foreign_key="users.id", index=True)
    scheduled_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    status: SessionStatus = Field(
        default=SessionStatus.SCHEDULED,
        sa_column=enum_column(SessionStatus, "session_status", length=16),
    )
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    status_by_id: int | None = Field(default=None, foreign_key="users.id")
    patient_reported: bool = Field(default=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    makeup_for_id: int | None = Field(default=None, foreign_key="tms_sessions.id")
    sequence: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    """iCalendar SEQUENCE: +1 on every reschedule and cancellation (or undone cancellation), so calendars update."""


class TmsSessionChange(SQLModel, table=True):
    """One change to a visit's status or actual start, kept forever: who, when, from what to what."""

    __tablename__ = "tms_session_changes"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="tms_sessions.id", index=True)
    changed_by_id: int = Field(foreign_key="users.id")
    changed_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    status_from: str = Field(max_length=16)
    status_to: str = Field(max_length=16)
    started_from: datetime | None = Field(default=None, sa_type=UTCDateTime)
    started_to: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ClinicClosure(SQLModel, table=True):
    """A day a site gives no TMS (public holiday, staff training); course generation for its patients skips it."""

    __tablename__ = "clinic_closures"
    __table_args__ = (UniqueConstraint("site_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="sites.id", index=True)
    day: date
    label: str = Field(max_length=80)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class CalendarTitle(StrEnum):
    """What each calendar entry is called: "TMS session", or a neutral word for a calendar others can see."""

    tms = "tms"
    neutral = "neutral"


class CalendarFeed(SQLModel, table=True):
    """A patient's secret calendar-subscription link; only a hash is stored, and a new link revokes the old."""

    __tablename__ = "calendar_feeds"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id", unique=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    event_title: CalendarTitle = Field(
        default=CalendarTitle.tms,
        sa_column=enum_column(CalendarTitle, "calendar_title", length=8, server_default=CalendarTitle.tms.value),
    )
    settings_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When the patient last changed how entries are named: every entry's DTSTAMP moves with it."""
