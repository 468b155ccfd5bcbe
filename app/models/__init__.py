"""Every table model, imported once so SQLModel.metadata (and Alembic) sees them all."""
from app.models import base  # noqa: F401  (naming convention first)
from app.models.homework import Assignment, AssignmentTiming, HomeworkCompletion, HomeworkKind
from app.models.push import (
    Notification, NotificationAttempt, NotificationStatus, PushSubscription, ReminderKind, ReminderSettings,
)
from app.models.tms import CalendarFeed, ProtocolKind, TmsCourse, TmsSession
from app.models.users import AccountToken, Role, TokenPurpose, User

__all__ = [
    "AccountToken", "Assignment", "Notification", "NotificationAttempt", "NotificationStatus", "PushSubscription",
    "ReminderKind", "ReminderSettings", "CalendarFeed", "AssignmentTiming", "HomeworkCompletion", "HomeworkKind", "ProtocolKind",
    "Role", "TmsCourse", "TmsSession", "TokenPurpose", "User",
]
