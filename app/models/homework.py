"""Homework assignments, their timing rule versions, and completions of dated occurrences."""
from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.homework.timing import TimingKind
from app.models.types import UTCDateTime, enum_column, utcnow


class HomeworkKind(StrEnum):
    thought_record = "thought_record"
    activity_plan = "activity_plan"
    exposure_practice = "exposure_practice"
    dbt_skill = "dbt_skill"
    diary_card = "diary_card"
    mood_checkin = "mood_checkin"
    questionnaire = "questionnaire"


class Assignment(SQLModel, table=True):
    """Homework a therapist set. `target` narrows the kind: "item:<id>" (exposure), "skill:<slug>", "phq9"..."""

    __tablename__ = "assignments"
    __table_args__ = (CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id", index=True)
    created_by_id: int = Field(foreign_key="users.id")
    kind: HomeworkKind = Field(
        sa_column=enum_column(HomeworkKind, "homework_kind", length=24)
    )
    title: str = Field(max_length=120)
    instructions: str = Field(default="", sa_column=Column(Text, nullable=False))
    target: str | None = Field(default=None, sa_column=Column(String(64)))
    start_date: date
    end_date: date | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class AssignmentTiming(SQLModel, table=True):
    """One version of an assignment's timing rule, in force from `effective_from` (patient-local date).

    Editing timing adds a version instead of overwriting, so past occurrences keep the rule they had.
    """

    __tablename__ = "assignment_timings"
    __table_args__ = (
        UniqueConstraint("assignment_id", "effective_from"),
        CheckConstraint("window_hours BETWEEN 1 AND 24", name="window_hours_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignments.id", index=True)
    effective_from: date
    kind: TimingKind = Field(
        sa_column=enum_column(TimingKind, "timing_kind", length=16)
    )
    window_hours: int = Field(default=4)
    local_time: time | None = None
    weekdays: str = Field(default="", max_length=20)
    due_date: date | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class HomeworkCompletion(SQLModel, table=True):
    """An occurrence done: which entry (source, source_id) completed it and when. One per occurrence."""

    __tablename__ = "homework_completions"
    __table_args__ = (UniqueConstraint("assignment_id", "occurrence_key"),)

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignments.id", index=True)
    occurrence_key: str = Field(max_length=40)
    completed_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    source: str = Field(max_length=32)
    source_id: int | None = None


class HomeworkEntry(SQLModel, table=True):
    """Every saved piece of homework (which module row, when), so work done before a late-recorded visit opened its
    window can still complete that window once staff record the visit's real time."""

    __tablename__ = "homework_entries"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id", index=True)
    kind: HomeworkKind = Field(sa_column=enum_column(HomeworkKind, "homework_kind", length=24))
    target: str | None = Field(default=None, sa_column=Column(String(64)))
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    source: str = Field(max_length=32)
    source_id: int | None = None
