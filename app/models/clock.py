"""The clock process's heartbeat: when it last ran its delivery cycle, so /healthz can show a stuck clock."""
from datetime import datetime

from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime


class ClockHeartbeat(SQLModel, table=True):
    """One row per kind of periodic process (today only "clock"), overwritten each cycle."""

    __tablename__ = "clock_heartbeats"

    name: str = Field(sa_column=Column(String(40), primary_key=True))
    beat_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
