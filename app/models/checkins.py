"""Daily check-ins, post-TMS side-effect checks, questionnaire responses and clinician-entered totals."""
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column, Index, Text, false as sa_false
from sqlmodel import Field, SQLModel

from app.checkins.instruments import ClinicianScaleCode, InstrumentCode
from app.models.types import UTCDateTime, enum_column, utcnow

NOTE_MAX = 280
"""A check-in note is a line or two: the check-in has to fit in 15 seconds (CLINICAL.md, Measures)."""


class MoodCheckin(SQLModel, table=True):
    """A daily check-in: mood 0-10, optional anxiety 0-10 and sleep hours, a short note."""

    __tablename__ = "mood_checkins"
    __table_args__ = (
        CheckConstraint("mood BETWEEN 0 AND 10", name="mood_range"),
        CheckConstraint("anxiety IS NULL OR anxiety BETWEEN 0 AND 10", name="anxiety_range"),
        CheckConstraint("sleep_hours IS NULL OR sleep_hours BETWEEN 0 AND 24", name="sleep_range"),
        Index("ix_mood_checkins_patient_recorded", "patient_id", "recorded_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id")
    mood: int
    anxiety: int | None = None
    sleep_hours: float | None = None
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    recorded_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    edited_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When the patient last corrected it (app/history), shown to the therapist beside the entry."""


class SideEffectCheck(SQLModel, table=True):
    """After a TMS visit: headache and scalp discomfort 0-10, for the TMS team (CLINICAL.md, Measures)."""

    __tablename__ = "side_effect_checks"
    __table_args__ = (
        CheckConstraint("headache BETWEEN 0 AND 10", name="headache_range"),
        CheckConstraint("scalp_discomfort BETWEEN 0 AND 10", name="scalp_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id", index=True)
    session_id: int | None = Field(default=None, foreign_key="tms_sessions.id", index=True)
    headache: int
    scalp_discomfort: int
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    recorded_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    seizure: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    fainted: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    headache_unrelieved: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    hearing_change: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    mania_signs: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    """The TMS red-flag questions (Rossi et al. 2021, CLINICAL.md Safety); any yes is a safety event."""


class QuestionnaireResponse(SQLModel, table=True):
    """A submitted questionnaire, never edited: a correction is a new response.

    `answers` maps item number (as a string, JSON keys) to the chosen value; total and band are stored as scored.
    """

    __tablename__ = "questionnaire_responses"
    __table_args__ = (
        CheckConstraint("total >= 0", name="total_not_negative"),
        CheckConstraint("difficulty IS NULL OR difficulty BETWEEN 0 AND 3", name="difficulty_range"),
        Index("ix_questionnaire_responses_patient_submitted", "patient_id", "instrument", "submitted_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id")
    instrument: InstrumentCode = Field(sa_column=enum_column(InstrumentCode, "instrument_code", length=8))
    answers: dict = Field(sa_column=Column(JSON, nullable=False))
    total: int
    band: str = Field(max_length=40)
    safety_flag: bool = Field(default=False)
    submitted_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    difficulty: int | None = None
    """PHQ-9's closing question (0 not difficult at all .. 3 extremely): stored and shown, never scored."""
    experience: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    """PCL-5: the stressful experience the items asked about, as the patient saw it on the form."""
    language: str = Field(default="en", max_length=16, sa_column_kwargs={"server_default": "en"})
    """The language of the wording the patient answered (a validated translation, or English)."""

    def answer(self, number: int) -> int:
        return int(self.answers[str(number)])


class ClinicianRating(SQLModel, table=True):
    """A clinician-rated total (Y-BOCS, HAM-D, MADRS) with its date; the items are never stored (CLINICAL.md)."""

    __tablename__ = "clinician_ratings"
    __table_args__ = (
        CheckConstraint(
            "(scale = 'ybocs' AND total BETWEEN 0 AND 40) OR (scale = 'hamd' AND total BETWEEN 0 AND 52)"
            " OR (scale = 'madrs' AND total BETWEEN 0 AND 60)",
            name="total_in_scale_range",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id", index=True)
    scale: ClinicianScaleCode = Field(sa_column=enum_column(ClinicianScaleCode, "clinician_scale_code", length=8))
    total: int
    rated_on: date
    entered_by_id: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
