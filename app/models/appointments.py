"""Planned therapy sessions: what the patient's Today, week, calendar feed and reminders show, and what "since the
last session" on the pre-session review counts from. A held session is still recorded as a TherapySession."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, enum_column, utcnow

DEFAULT_APPOINTMENT_MINUTES = 50
"""A therapy hour."""


class AppointmentStatus(StrEnum):
    scheduled = "scheduled"
    cancelled = "cancelled"


class TherapyAppointment(SQLModel, table=True):
    """One planned therapy session. Cancelled rows are kept: the calendar feed tells calendars to remove them."""

    __tablename__ = "therapy_appointments"
    __table_args__ = (Index("ix_therapy_appointments_therapist_starts", "therapist_id", "starts_at"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id", index=True)
    therapist_id: int = Field(foreign_key="users.id")
    starts_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    minutes: int = Field(default=DEFAULT_APPOINTMENT_MINUTES)
    status: AppointmentStatus = Field(
        default=AppointmentStatus.scheduled,
        sa_column=enum_column(AppointmentStatus, "appointment_status", length=16),
    )
    sequence: int = Field(default=0)
    """iCalendar SEQUENCE: +1 on every reschedule and cancellation, so subscribed calendars update."""
    created_by_id: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
