"""TMS courses and their sessions."""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.homework.timing import SessionStatus
from app.models.types import UTCDateTime, enum_column, utcnow


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


class TmsSession(SQLModel, table=True):
    """A single TMS visit. `completed_at` is when staff (or the patient) marked it done: the post-TMS window opens then."""

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
    sequence: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    """iCalendar SEQUENCE: +1 on every reschedule and cancellation (or undone cancellation), so calendars update."""


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
