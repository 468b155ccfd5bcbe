"""Sites of a clinic network: each delivers TMS with its own zone, hours, closures and phone numbers (issue 22).

Patients belong to one site (users.site_id); staff work at one or more (staff_sites). A single-site clinic has one
default site, created by migration 0016 from its clinic settings, and never sees a site switcher.
"""
from datetime import datetime, time

from sqlalchemy import Column, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.safety import (
    DEFAULT_CRISIS_CHAT_URL, DEFAULT_CRISIS_LINE_LABEL, DEFAULT_CRISIS_LINE_NUMBER, DEFAULT_CRISIS_LINE_TEXT,
    DEFAULT_EMERGENCY_NUMBER,
)
from app.models.types import UTCDateTime, utcnow


class Site(SQLModel, table=True):
    """One clinic of the network. Its phone fields carry the same names as ClinicSettings had, so the crisis
    screens read a Site where they read the clinic's settings."""

    __tablename__ = "sites"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(80), unique=True, nullable=False))
    address: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    timezone: str = Field(default="America/New_York", max_length=64)
    """The site's IANA zone: its courses, day list and its patients' TMS windows are in it."""
    opens_at: time = Field(default=time(7, 0))
    closes_at: time = Field(default=time(19, 0))
    holiday_country: str = Field(default="US", max_length=2)
    holiday_region: str = Field(default="", max_length=8)
    clinic_phone: str = Field(default="", max_length=40)
    after_hours_phone: str = Field(default="", max_length=40)
    crisis_line_label: str = Field(default=DEFAULT_CRISIS_LINE_LABEL, max_length=80)
    crisis_line_number: str = Field(default=DEFAULT_CRISIS_LINE_NUMBER, max_length=40)
    crisis_line_text: str = Field(default=DEFAULT_CRISIS_LINE_TEXT, max_length=40)
    crisis_chat_url: str = Field(default=DEFAULT_CRISIS_CHAT_URL, max_length=200)
    emergency_number: str = Field(default=DEFAULT_EMERGENCY_NUMBER, max_length=40)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class StaffSite(SQLModel, table=True):
    """A staff member works at a site: they see its day list and its patients' schedules (app/policy.py).
    The site's safety contacts are its staff with users.safety_contact set."""

    __tablename__ = "staff_sites"
    __table_args__ = (UniqueConstraint("user_id", "site_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    site_id: int = Field(foreign_key="sites.id", index=True)
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
