"""Web push: browser subscriptions, each user's reminder settings, and the durable notification log (outbox).

The log is what makes reminders safe to send from a clock process: every reminder is a row with a unique key
per (user, kind, occurrence), written before it is due and marked when sent, so a second run or a restart
never sends it twice to a device that took it, and a late run still finds it (see app/push/delivery.py).
"""
from datetime import datetime, time
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, enum_column, utcnow
from app.push.sender import Urgency


class ReminderKind(StrEnum):
    post_tms_window = "post_tms_window"
    post_tms_nudge = "post_tms_nudge"
    daily_checkin = "daily_checkin"
    homework_due = "homework_due"
    homework_overdue = "homework_overdue"
    questionnaire_due = "questionnaire_due"
    safety_alert = "safety_alert"
    therapist_digest = "therapist_digest"
    therapy_appointment = "therapy_appointment"
    test = "test"


class NotificationStatus(StrEnum):
    """pending -> sending (claimed by the clock) -> sent / failed / skipped; a crash mid-send leaves failed."""

    pending = "pending"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    skipped = "skipped"


class PushSubscription(SQLModel, table=True):
    """One browser's push subscription (a user may have several devices); the endpoint is the device's address."""

    __tablename__ = "push_subscriptions"
    __table_args__ = {"sqlite_autoincrement": True}  # attempts name devices by id: an id is never handed out twice

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    endpoint: str = Field(sa_column=Column(String(2048), unique=True, nullable=False))
    p256dh: str = Field(max_length=100)
    auth: str = Field(max_length=40)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    last_success_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ReminderSettings(SQLModel, table=True):
    """What a person wants to be reminded of, when, and how much the lock screen may say. Times are local."""

    __tablename__ = "reminder_settings"
    __table_args__ = (
        CheckConstraint("(quiet_start IS NULL) = (quiet_end IS NULL)", name="quiet_hours_both_or_neither"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", unique=True)
    post_tms: bool = Field(default=True)
    post_tms_nudge: bool = Field(default=True)
    checkin: bool = Field(default=True)
    checkin_time: time = Field(default=time(19, 0))
    homework: bool = Field(default=True)
    questionnaires: bool = Field(default=True)
    digest: bool = Field(default=False)
    digest_time: time = Field(default=time(7, 30))
    quiet_start: time | None = None
    quiet_end: time | None = None
    detailed_text: bool = Field(default=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Notification(SQLModel, table=True):
    """One reminder for one person, shown once: the unique key is (user, kind, occurrence_key)."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "occurrence_key", name="dedupe_key"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index("ix_notifications_due", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    kind: ReminderKind = Field(sa_column=enum_column(ReminderKind, "reminder_kind", length=24))
    occurrence_key: str = Field(max_length=80)
    title: str = Field(max_length=120)
    body: str = Field(sa_column=Column(Text, nullable=False))
    url: str = Field(max_length=300)
    urgency: Urgency = Field(default=Urgency.NORMAL, sa_column=enum_column(Urgency, "push_urgency", length=16))
    due_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    stale_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    status: NotificationStatus = Field(
        default=NotificationStatus.pending, sa_column=enum_column(NotificationStatus, "notification_status", length=16)
    )
    attempts: int = Field(default=0)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=300)
    assignment_id: int | None = Field(default=None, foreign_key="assignments.id")
    homework_occurrence: str | None = Field(default=None, max_length=40)
    session_id: int | None = Field(default=None, foreign_key="tms_sessions.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class NotificationAttempt(SQLModel, table=True):
    """Every POST to a push service and how it ended; subscription_id is kept after the device is removed."""

    __tablename__ = "notification_attempts"

    id: int | None = Field(default=None, primary_key=True)
    notification_id: int = Field(foreign_key="notifications.id", index=True)
    subscription_id: int | None = Field(default=None, index=True)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    status_code: int | None = None
    outcome: str = Field(max_length=16)
    detail: str = Field(default="", max_length=300)
