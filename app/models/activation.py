"""Behavioural activation (CLINICAL.md): planned activities with their outcome, and the clinic's own ideas."""
from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.activation.ideas import LifeArea
from app.models.types import UTCDateTime, enum_column, utcnow


class ActivityStatus(StrEnum):
    planned = "planned"
    done = "done"
    not_done = "not_done"


class Activity(SQLModel, table=True):
    """An activity planned for a patient-local day (and optional time); done ones carry pleasure and mastery 0-10."""

    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint("pleasure IS NULL OR pleasure BETWEEN 0 AND 10", name="pleasure_range"),
        CheckConstraint("mastery IS NULL OR mastery BETWEEN 0 AND 10", name="mastery_range"),
        CheckConstraint("mood_before IS NULL OR mood_before BETWEEN 0 AND 10", name="mood_before_range"),
        CheckConstraint("mood_after IS NULL OR mood_after BETWEEN 0 AND 10", name="mood_after_range"),
        CheckConstraint("status <> 'done' OR (pleasure IS NOT NULL AND mastery IS NOT NULL)", name="done_is_rated"),
        CheckConstraint("(status = 'planned') = (recorded_at IS NULL)", name="recorded_has_time"),
        UniqueConstraint("replanned_from_id", name="replanned_once"),
        Index("ix_activities_patient_day", "patient_id", "planned_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id")
    created_by_id: int = Field(foreign_key="users.id")
    title: str = Field(max_length=120)
    life_area: LifeArea | None = Field(
        default=None, sa_column=enum_column(LifeArea, "life_area", length=24, nullable=True)
    )
    planned_date: date
    planned_time: time | None = None
    status: ActivityStatus = Field(
        default=ActivityStatus.planned, sa_column=enum_column(ActivityStatus, "activity_status", length=16)
    )
    pleasure: int | None = None
    mastery: int | None = None
    mood_before: int | None = None
    mood_after: int | None = None
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    recorded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    replanned_from_id: int | None = Field(default=None, foreign_key="activities.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    edited_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When the patient last corrected the recorded outcome (recorded_at stays the first recording)."""


class ActivityIdea(SQLModel, table=True):
    """A starter idea the clinic's therapists added to a life area, shown beside the built-in library."""

    __tablename__ = "activity_ideas"
    __table_args__ = (UniqueConstraint("life_area", "text", name="area_text"),)

    id: int | None = Field(default=None, primary_key=True)
    life_area: LifeArea = Field(sa_column=enum_column(LifeArea, "life_area", length=24))
    text: str = Field(max_length=120)
    created_by_id: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
