"""Accounts: patients, therapists and clinic staff, and the one-time links that let them in."""
from datetime import date, datetime
from enum import StrEnum

from pydantic import PrivateAttr
from sqlalchemy import CheckConstraint, Column, String, Text, false as sa_false
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, enum_column, utcnow


class Role(StrEnum):
    patient = "patient"
    therapist = "therapist"
    admin = "admin"
    """Clinic administration: accounts, scheduling, clinic settings; never the clinical record."""
    physician = "physician"
    """Prescribes and adjusts TMS: sees measures, side effects, safety events and the TMS record of their patients."""
    technician = "technician"
    """Delivers TMS: the clinic day list, schedules and the treatment record; nothing clinical beyond that."""


class AdministrativeGender(StrEnum):
    """FHIR R4 administrative gender (the value set an EHR matches patients on)."""

    male = "male"
    female = "female"
    other = "other"
    unknown = "unknown"


class TokenPurpose(StrEnum):
    invite = "invite"
    password_reset = "password_reset"


class User(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("suicide_urge_threshold BETWEEN 3 AND 5", name="suicide_urge_threshold_range"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_column=Column(String(254), unique=True, nullable=False))
    name: str = Field(max_length=120)
    role: Role = Field(sa_column=enum_column(Role, "role", length=16))
    password_hash: str | None = Field(default=None, max_length=255)
    timezone: str = Field(default="America/New_York", max_length=64)
    language: str = Field(default="en", max_length=16, sa_column_kwargs={"server_default": "en"})
    """The language pages, reminders and questionnaires use (a code from app/i18n/languages.py)."""
    therapist_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    site_id: int | None = Field(default=None, foreign_key="sites.id", index=True)
    """Patients only: the site that delivers their TMS (its zone, closures and numbers are theirs)."""
    active: bool = Field(default=True)
    external: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    """A therapist from outside the clinic: sees only their own patients and none of the clinic's shared pages."""
    session_version: int = Field(default=1)
    data_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    """Moves whenever anything the patient's Today page shows changes (app/data_version.py keeps it true)."""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    stressful_experience: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    """PCL-5: the experience its items ask about, named by the therapist and shown to the patient on the form."""

    # Demographics the clinic records for patients (optional; an EHR export needs them to match the patient).
    family_name: str | None = Field(default=None, max_length=80)
    given_name: str | None = Field(default=None, max_length=80)
    birth_date: date | None = Field(default=None, index=True)
    administrative_gender: AdministrativeGender | None = Field(
        default=None, sa_column=enum_column(AdministrativeGender, "administrative_gender", length=8, nullable=True)
    )
    mrn: str | None = Field(default=None, sa_column=Column(String(40), unique=True, nullable=True))
    """The clinic-assigned medical record number."""
    _device_key: str | None = PrivateAttr(default=None)
    """The signed-in device's session key (app/security/device_sessions.py), set at sign-in and by the loader."""
    safety_contact: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    """Staff only: receives safety alerts nobody else can take, and escalations (CLINICAL.md, Safety)."""
    suicide_urge_threshold: int = Field(default=4, sa_column_kwargs={"server_default": "4"})
    """Patients only: a diary-card urge to end one's life at or above this is a safety event (3-5, default 4)."""

    # Flask-Login protocol, written out so the session id can be revoked (see get_id).
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """The login cookies carry id, session version and this device's session key: bumping the version signs
        out every device; ending the device's session row (logout) makes both its cookies worthless."""
        if self._device_key:
            return f"{self.id}:{self.session_version}:{self._device_key}"
        return f"{self.id}:{self.session_version}"

    @property
    def is_patient(self) -> bool:
        return self.role == Role.patient

    @property
    def is_therapist(self) -> bool:
        return self.role == Role.therapist

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin

    @property
    def is_physician(self) -> bool:
        return self.role == Role.physician

    @property
    def is_technician(self) -> bool:
        return self.role == Role.technician

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else self.name


class AccountToken(SQLModel, table=True):
    """A single-use, expiring link (invite or password reset). Only the SHA-256 of the token is stored."""

    __tablename__ = "account_tokens"
    __table_args__ = (CheckConstraint("expires_at > created_at", name="expires_after_created"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    purpose: TokenPurpose = Field(
        sa_column=enum_column(TokenPurpose, "token_purpose", length=20)
    )
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginFailure(SQLModel, table=True):
    """One failed sign-in, keyed by a hash of the email typed (known or not), so lockout works across workers."""

    __tablename__ = "login_failures"

    id: int | None = Field(default=None, primary_key=True)
    account_key: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    failed_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class DeviceSession(SQLModel, table=True):
    """One signed-in browser. Its session and remember-me cookies name this row; logout or "sign out everywhere"
    ends it on the server, so a copied cookie stops working. Only the SHA-256 of the key is stored."""

    __tablename__ = "device_sessions"
    __table_args__ = (CheckConstraint("expires_at > created_at", name="session_expires_after_created"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    key_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
