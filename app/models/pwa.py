"""Idempotency keys: each offline or resubmitted entry is stored once per (user, key)."""
from datetime import datetime

from sqlalchemy import Column, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow


class SubmissionKey(SQLModel, table=True):
    """A create POST that succeeded under a client-chosen key, with the outcome to replay for a duplicate."""

    __tablename__ = "submission_keys"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_submission_keys_once_per_user"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    key: str = Field(sa_column=Column(String(64), nullable=False))
    endpoint: str = Field(sa_column=Column(String(80), nullable=False))
    status_code: int | None = Field(default=None)
    location: str | None = Field(default=None, sa_column=Column(String(500)))
    fingerprint: str | None = Field(default=None, sa_column=Column(String(64)))
    """SHA-256 of the first submission's address and fields: the same key with a different body is refused (422)."""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
