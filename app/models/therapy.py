"""Psychotherapy sessions the therapist records; "since last session" is the default review period."""
from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow


class TherapySession(SQLModel, table=True):
    __tablename__ = "therapy_sessions"
    __table_args__ = (UniqueConstraint("patient_id", "held_on"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id", index=True)
    therapist_id: int = Field(foreign_key="users.id")
    held_on: date
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
