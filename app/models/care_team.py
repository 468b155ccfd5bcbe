"""A patient's care team beyond the treating therapist (users.therapist_id): the physician and co-therapists."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint, false
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, enum_column, utcnow


class CareTeamRole(StrEnum):
    physician = "physician"
    co_therapist = "co_therapist"


class CareTeamMember(SQLModel, table=True):
    """One clinician on one patient's care team. Removing the row removes their access on the next request."""

    __tablename__ = "care_team_members"
    __table_args__ = (UniqueConstraint("patient_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id", index=True)
    member_id: int = Field(foreign_key="users.id", index=True)
    role: CareTeamRole = Field(sa_column=enum_column(CareTeamRole, "care_team_role", length=16))
    sees_thought_records: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    """The patient's care-team setting: may this physician read the free text of thought records?"""
    added_by_id: int | None = Field(default=None, foreign_key="users.id")
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
