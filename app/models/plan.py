"""The shared treatment plan: one row per version, never edited, so the history says who changed what and when."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, enum_column, utcnow


class PlanPhase(StrEnum):
    acute = "acute"
    taper = "taper"
    maintenance = "maintenance"


class TreatmentPlan(SQLModel, table=True):
    """A version of a patient's plan; the highest version is the current one."""

    __tablename__ = "treatment_plans"
    __table_args__ = (UniqueConstraint("patient_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id", index=True)
    version: int
    goals: str = Field(default="", sa_column=Column(Text, nullable=False))
    """In the patient's own words."""
    focus: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    """Diagnosis focus codes (app/plan/rules.py FOCUS)."""
    phase: PlanPhase = Field(sa_column=enum_column(PlanPhase, "plan_phase", length=16))
    modalities: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    """Active modality codes (app/plan/rules.py MODALITIES)."""
    homework_minutes: int = Field(default=0)
    """How much homework a day the team asks for."""
    edited_by_id: int = Field(foreign_key="users.id")
    edited_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
