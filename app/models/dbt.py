"""DBT: clinic-written skill cards, "used it" logs, therapist-defined diary targets and daily diary cards."""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.dbt.skills_library import DbtModule
from app.models.types import UTCDateTime, enum_column, utcnow


class RatingKind(StrEnum):
    urge = "urge"
    emotion = "emotion"


class ClinicSkillCard(SQLModel, table=True):
    """A card a therapist wrote for the clinic, shown beside the built-in library. Steps are one per line."""

    __tablename__ = "dbt_clinic_cards"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    module: DbtModule = Field(sa_column=enum_column(DbtModule, "dbt_module", length=32))
    name: str = Field(max_length=80)
    purpose: str = Field(max_length=300)
    steps: str = Field(sa_column=Column(Text, nullable=False))
    when_to_use: str = Field(max_length=300)
    created_by_id: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class SkillUse(SQLModel, table=True):
    """The patient used a skill: how much it helped on the diary card's 0-7 scale, and a note."""

    __tablename__ = "dbt_skill_uses"
    __table_args__ = (CheckConstraint("helped BETWEEN 0 AND 7", name="helped_range"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id", index=True)
    skill_slug: str = Field(max_length=64)
    used_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    helped: int
    note: str = Field(default="", sa_column=Column(Text, nullable=False))


class DiaryTargetRow(SQLModel, table=True):
    """An extra urge the therapist tracks for this patient, beside the standard ones."""

    __tablename__ = "dbt_diary_targets"
    __table_args__ = (UniqueConstraint("patient_id", "key", name="uq_dbt_diary_targets_key_per_patient"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id", index=True)
    key: str = Field(max_length=40)
    label: str = Field(max_length=80)
    active: bool = Field(default=True)
    created_by_id: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class DiaryCard(SQLModel, table=True):
    """One patient-local day's diary card; skills used on the 0-7 scale (CLINICAL.md)."""

    __tablename__ = "dbt_diary_cards"
    __table_args__ = (
        UniqueConstraint("patient_id", "day", name="uq_dbt_diary_cards_one_per_day"),
        CheckConstraint("skills_used IS NULL OR skills_used BETWEEN 0 AND 7", name="skills_used_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id", index=True)
    day: date
    skills_used: int | None = None
    notes: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)

    @property
    def edited_at(self) -> datetime | None:
        """A card saved again after its first save was edited (the same mark check-ins and practices carry)."""
        return self.updated_at if self.updated_at != self.created_at else None


class DiaryRating(SQLModel, table=True):
    """One row of a diary card: an urge (with acted on yes/no) or an emotion, rated 0-5."""

    __tablename__ = "dbt_diary_ratings"
    __table_args__ = (
        UniqueConstraint("card_id", "kind", "key", name="uq_dbt_diary_ratings_once_per_card"),
        CheckConstraint("value BETWEEN 0 AND 5", name="value_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    card_id: int = Field(foreign_key="dbt_diary_cards.id", index=True)
    kind: RatingKind = Field(sa_column=enum_column(RatingKind, "diary_rating_kind", length=8))
    key: str = Field(max_length=40)
    label: str = Field(max_length=80)
    value: int
    acted_on: bool | None = None
