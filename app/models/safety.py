"""Safety events, each patient's safety plan, and the clinic's crisis numbers."""
from datetime import datetime, time
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, Index, Text
from sqlmodel import Field, SQLModel
from app.i18n.markers import N_

from app.models.types import UTCDateTime, enum_column, utcnow


class SafetyEventSource(StrEnum):
    """What raised the event (CLINICAL.md, Safety): PHQ-9 item 9 above 0, the patient's own button, the DBT diary
    card (suicide/self-harm urges or acts), or a TMS side-effect red flag."""

    phq9_item9 = "phq9_item9"
    patient_button = "patient_button"
    diary_card = "diary_card"
    side_effect = "side_effect"
    adverse_event = "adverse_event"
    """A TMS red flag the TMS team recorded with the visit (app/tms/records.py)."""


class SafetyEvent(SQLModel, table=True):
    """A safety event, kept forever: when it happened, when the patient saw the crisis screen, and the
    therapist's acknowledgement (who, when, what they did)."""

    __tablename__ = "safety_events"
    __table_args__ = (
        CheckConstraint(
            "(acknowledged_at IS NULL) = (acknowledged_by_id IS NULL)"
            " AND (acknowledged_at IS NULL) = (action_taken IS NULL)",
            name="acknowledgement_complete",
        ),
        CheckConstraint("item_value IS NULL OR item_value BETWEEN 1 AND 3", name="item_value_range"),
        Index("ix_safety_events_patient_open", "patient_id", "acknowledged_at"),
        Index("ix_safety_events_origin", "patient_id", "origin", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id")
    source: SafetyEventSource = Field(sa_column=enum_column(SafetyEventSource, "safety_event_source", length=16))
    item_value: int | None = None
    response_id: int | None = Field(default=None, foreign_key="questionnaire_responses.id")
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    seen_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_by_id: int | None = Field(default=None, foreign_key="users.id")
    action_taken: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    details: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    """The submitted values that raised it (e.g. {"item9": 3}); a re-submission only ever raises them."""
    origin: str | None = Field(default=None, max_length=120)
    """What one submission is ("submission:<idempotency key>", "diary:<day>"), so a re-send updates, never doubles;
    unique per patient (a more serious re-send after acknowledgement is "<origin>@<previous id>")."""
    received_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When the server had it (created_at is when it happened, earlier if the phone was offline)."""
    escalated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None

    @property
    def alerted_at(self) -> datetime:
        return self.received_at or self.created_at


PLAN_STEPS = (
    ("warning_signs", N_("Warning signs"), N_("Thoughts, feelings or situations that tell me a crisis may be starting")),
    ("coping_strategies", N_("Things I can do on my own"), N_("Ways to take my mind off things without contacting anyone")),
    ("distractions", N_("People and places that take my mind off things"), N_("Names, phone numbers, places I can go")),
    ("help_contacts", N_("People I can ask for help"), N_("Names and phone numbers")),
    ("professionals", N_("Professionals and crisis lines"), N_("My clinic, my therapist, crisis lines, urgent care")),
    ("safe_environment", N_("Making my surroundings safer"), N_("What I will do to keep dangerous things away")),
    ("reasons_for_living", N_("My reasons for living"), N_("What matters most to me and is worth living for")),
)
"""The six steps of the widely used safety plan, plus reasons for living (CLINICAL.md, Safety), in order."""

PLAN_FIELD_MAX = 2000


class SafetyPlan(SQLModel, table=True):
    """One safety plan per patient, edited by patient and therapist together; the last editor is kept."""

    __tablename__ = "safety_plans"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id", unique=True)
    warning_signs: str = Field(default="", sa_column=Column(Text, nullable=False))
    coping_strategies: str = Field(default="", sa_column=Column(Text, nullable=False))
    distractions: str = Field(default="", sa_column=Column(Text, nullable=False))
    help_contacts: str = Field(default="", sa_column=Column(Text, nullable=False))
    professionals: str = Field(default="", sa_column=Column(Text, nullable=False))
    safe_environment: str = Field(default="", sa_column=Column(Text, nullable=False))
    reasons_for_living: str = Field(default="", sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name, _label, _hint in PLAN_STEPS)


DEFAULT_CRISIS_LINE_LABEL = N_("988 Suicide & Crisis Lifeline")
DEFAULT_CRISIS_LINE_NUMBER = "988"
DEFAULT_CRISIS_LINE_TEXT = "988"
DEFAULT_EMERGENCY_NUMBER = "911"
DEFAULT_CRISIS_CHAT_URL = "https://988lifeline.org/chat"
DEFAULT_ESCALATION_MINUTES = 60
ESCALATION_MINUTES_RANGE = (5, 1440)
DEFAULT_MT_RECHECK_DAYS = 7
MT_RECHECK_DAYS_RANGE = (1, 90)


class ClinicSettings(SQLModel, table=True):
    """The clinic's crisis numbers: a single row (id 1) that admins edit; US defaults 988 and 911 (CLINICAL.md)."""

    __tablename__ = "clinic_settings"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("escalation_minutes BETWEEN 5 AND 1440", name="escalation_minutes_range"),
        CheckConstraint("motor_threshold_recheck_days BETWEEN 1 AND 90", name="motor_threshold_recheck_range"),
    )

    id: int | None = Field(default=1, primary_key=True)
    clinic_phone: str = Field(default="", max_length=40)
    after_hours_phone: str = Field(default="", max_length=40)
    crisis_line_label: str = Field(default=DEFAULT_CRISIS_LINE_LABEL, max_length=80)
    crisis_line_number: str = Field(default=DEFAULT_CRISIS_LINE_NUMBER, max_length=40)
    crisis_line_text: str = Field(default=DEFAULT_CRISIS_LINE_TEXT, max_length=40)
    emergency_number: str = Field(default=DEFAULT_EMERGENCY_NUMBER, max_length=40)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")
    timezone: str = Field(default="America/New_York", max_length=64, sa_column_kwargs={"server_default": "America/New_York"})
    """The clinic's IANA zone: courses are entered and staff lists shown in it (issue 16)."""
    opens_at: time = Field(default=time(7, 0), sa_column_kwargs={"server_default": "07:00:00"})
    closes_at: time = Field(default=time(19, 0), sa_column_kwargs={"server_default": "19:00:00"})
    holiday_country: str = Field(default="US", max_length=2, sa_column_kwargs={"server_default": "US"})
    holiday_region: str = Field(default="", max_length=8, sa_column_kwargs={"server_default": ""})
    crisis_chat_url: str = Field(default=DEFAULT_CRISIS_CHAT_URL, max_length=200,
                                 sa_column_kwargs={"server_default": DEFAULT_CRISIS_CHAT_URL})
    escalation_minutes: int = Field(default=DEFAULT_ESCALATION_MINUTES,
                                    sa_column_kwargs={"server_default": str(DEFAULT_ESCALATION_MINUTES)})
    """An event nobody has acknowledged after this long goes to the safety contacts too (CLINICAL.md: 60)."""
    motor_threshold_recheck_days: int = Field(default=DEFAULT_MT_RECHECK_DAYS,
                                              sa_column_kwargs={"server_default": str(DEFAULT_MT_RECHECK_DAYS)})
    """A motor threshold older than this is due to be measured again (CLINICAL.md: often weekly)."""
