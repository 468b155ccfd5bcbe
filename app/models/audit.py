"""Who looked at which patient's record, and when (HIPAA audit controls)."""
from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_patient_at", "patient_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    user_id: int = Field(foreign_key="users.id", index=True)
    patient_id: int = Field(foreign_key="users.id")
    action: str = Field(max_length=80)
    method: str = Field(max_length=8)
    reason: str | None = Field(default=None, max_length=200)
    """Why, for actions that are not page views (an invite or reset link: who asked for it and why)."""
