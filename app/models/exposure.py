"""Exposure hierarchies (ERP and prolonged exposure), their SUDS rating history, and practice logs."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, enum_column, utcnow


class ExposureKind(StrEnum):
    """CLINICAL.md, Exposure: ERP for OCD, PE in-vivo items, and PE imaginal (listening to the session recording)."""

    erp = "erp"
    pe_in_vivo = "pe_in_vivo"
    pe_imaginal = "pe_imaginal"


class ItemStatus(StrEnum):
    active = "active"
    mastered = "mastered"
    archived = "archived"


class RitualResisted(StrEnum):
    fully = "fully"
    partly = "partly"
    not_resisted = "not"


class Hierarchy(SQLModel, table=True):
    """A patient's ladder. `version` goes up with every change to its items' order or membership (stale reorders)."""

    __tablename__ = "exposure_hierarchies"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id", index=True)
    title: str = Field(max_length=120)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class HierarchyItem(SQLModel, table=True):
    """A situation on the ladder with its current SUDS; earlier ratings live in SudsRating."""

    __tablename__ = "exposure_items"
    __table_args__ = (
        CheckConstraint("suds BETWEEN 0 AND 100", name="suds_range"),
        CheckConstraint("position >= 0", name="position_nonnegative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    hierarchy_id: int = Field(foreign_key="exposure_hierarchies.id", index=True)
    patient_id: int = Field(foreign_key="users.id", index=True)
    kind: ExposureKind = Field(sa_column=enum_column(ExposureKind, "exposure_kind", length=16))
    description: str = Field(max_length=300)
    ritual: str = Field(default="", max_length=300)
    suds: int
    position: int = Field(default=0)
    status: ItemStatus = Field(
        default=ItemStatus.active, sa_column=enum_column(ItemStatus, "exposure_item_status", length=16)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class SudsRating(SQLModel, table=True):
    """Every SUDS an item has been given (the first rating included), so re-rating keeps the history."""

    __tablename__ = "exposure_suds_ratings"
    __table_args__ = (CheckConstraint("suds BETWEEN 0 AND 100", name="suds_range"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="exposure_items.id", index=True)
    suds: int
    rated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    rated_by_id: int = Field(foreign_key="users.id")


class ExposurePractice(SQLModel, table=True):
    """One practice of an item (CLINICAL.md practice log). `entry_token` makes a resubmitted form save once."""

    __tablename__ = "exposure_practices"
    __table_args__ = (
        CheckConstraint("suds_before BETWEEN 0 AND 100", name="suds_before_range"),
        CheckConstraint("suds_peak BETWEEN 0 AND 100", name="suds_peak_range"),
        CheckConstraint("suds_after BETWEEN 0 AND 100", name="suds_after_range"),
        CheckConstraint("duration_minutes BETWEEN 1 AND 600", name="duration_range"),
        CheckConstraint("likelihood_before IS NULL OR likelihood_before BETWEEN 0 AND 100", name="likelihood_before_range"),
        CheckConstraint("likelihood_after IS NULL OR likelihood_after BETWEEN 0 AND 100", name="likelihood_after_range"),
        UniqueConstraint("patient_id", "entry_token", name="uq_exposure_practices_entry_once"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id", index=True)
    item_id: int = Field(foreign_key="exposure_items.id", index=True)
    started_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    duration_minutes: int
    suds_before: int
    suds_peak: int
    suds_after: int
    ritual_resisted: RitualResisted | None = Field(
        default=None, sa_column=enum_column(RitualResisted, "ritual_resisted", length=8, nullable=True)
    )
    feared_outcome: str = Field(default="", sa_column=Column(Text, nullable=False))
    likelihood_before: int | None = None
    what_happened: str = Field(default="", sa_column=Column(Text, nullable=False))
    likelihood_after: int | None = None
    notes: str = Field(default="", sa_column=Column(Text, nullable=False))
    entry_token: str | None = Field(default=None, sa_column=Column(String(36)))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    edited_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When the patient last corrected it (app/history), shown to the therapist beside the practice."""


class PracticeRating(SQLModel, table=True):
    """A SUDS the patient gave when the session timer asked, `minute` minutes in: with the ratings before and at
    the end it draws the practice's distress curve (does it come down within the session?)."""

    __tablename__ = "exposure_practice_ratings"
    __table_args__ = (
        CheckConstraint("suds BETWEEN 0 AND 100", name="suds_range"),
        CheckConstraint("minute BETWEEN 0 AND 600", name="minute_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="exposure_practices.id", index=True)
    minute: int
    suds: int


class ExposureRecording(SQLModel, table=True):
    """A PE imaginal session recording the patient chose to send to the clinic: one per ladder item (a new one
    replaces it), kept in the database so backups cover it. Pages read its details with `details_of`, never the audio."""

    __tablename__ = "exposure_recordings"
    __table_args__ = (
        CheckConstraint("size_bytes > 0", name="size_positive"),
        CheckConstraint("duration_seconds BETWEEN 0 AND 36000", name="duration_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(sa_column=Column(Integer, ForeignKey("exposure_items.id", ondelete="CASCADE"),
                                          nullable=False, unique=True))
    patient_id: int = Field(foreign_key="users.id", index=True)
    mime_type: str = Field(max_length=16)
    size_bytes: int
    duration_seconds: int
    audio: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
