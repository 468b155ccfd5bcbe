"""CBT thought records (CLINICAL.md: Beck's columns), their emotion rows, and the therapist's comments."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, enum_column, utcnow


class RecordStatus(StrEnum):
    draft = "draft"
    complete = "complete"


class ThoughtRecord(SQLModel, table=True):
    """One thought record; a draft may have empty columns, a complete one has them all (checked by the rules)."""

    __tablename__ = "thought_records"
    __table_args__ = (
        CheckConstraint("belief_before IS NULL OR belief_before BETWEEN 0 AND 100", name="belief_before_range"),
        CheckConstraint("belief_balanced IS NULL OR belief_balanced BETWEEN 0 AND 100", name="belief_balanced_range"),
        CheckConstraint("(status = 'complete') = (completed_at IS NOT NULL)", name="complete_has_time"),
        CheckConstraint("length(situation) <= 1000", name="situation_length"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id", index=True)
    status: RecordStatus = Field(
        default=RecordStatus.draft, sa_column=enum_column(RecordStatus, "record_status", length=16)
    )
    situation: str = Field(default="", sa_column=Column(Text, nullable=False))
    automatic_thoughts: str = Field(default="", sa_column=Column(Text, nullable=False))
    belief_before: int | None = None
    evidence_for: str = Field(default="", sa_column=Column(Text, nullable=False))
    evidence_against: str = Field(default="", sa_column=Column(Text, nullable=False))
    balanced_thought: str = Field(default="", sa_column=Column(Text, nullable=False))
    belief_balanced: int | None = None
    traps: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def is_draft(self) -> bool:
        return self.status == RecordStatus.draft


class ThoughtEmotion(SQLModel, table=True):
    """An emotion row of a record: intensity in the moment and re-rated at the end, both 0-100 %."""

    __tablename__ = "thought_emotions"
    __table_args__ = (
        UniqueConstraint("record_id", "position", name="record_position"),
        CheckConstraint("position BETWEEN 0 AND 4", name="at_most_five"),
        CheckConstraint("intensity IS NULL OR intensity BETWEEN 0 AND 100", name="intensity_range"),
        CheckConstraint("rerated IS NULL OR rerated BETWEEN 0 AND 100", name="rerated_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="thought_records.id", index=True)
    position: int
    name: str = Field(max_length=60)
    intensity: int | None = None
    rerated: int | None = None


class ThoughtComment(SQLModel, table=True):
    """A therapist's note on a record, shown to the patient with the record."""

    __tablename__ = "thought_comments"

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="thought_records.id", index=True)
    author_id: int = Field(foreign_key="users.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When the patient first opened the record after this comment was written (Today lists unread ones)."""
