"""Every table model, imported once so SQLModel.metadata (and Alembic) sees them all."""
from app.models import base  # noqa: F401  (naming convention first)
from app.models.activation import Activity, ActivityIdea, ActivityStatus
from app.models.audit import AuditEntry
from app.models.clock import ClockHeartbeat  # noqa: F401
from app.models.care_team import CareTeamMember, CareTeamRole
from app.models.checkins import ClinicianRating, MoodCheckin, QuestionnaireResponse, SideEffectCheck
from app.models.dbt import ClinicSkillCard, DiaryCard, DiaryRating, DiaryTargetRow, SkillUse  # noqa: F401
from app.models.exposure import ExposurePractice, Hierarchy, HierarchyItem, SudsRating  # noqa: F401
from app.models.homework import Assignment, AssignmentTiming, HomeworkCompletion, HomeworkEntry, HomeworkKind
from app.models.push import (
    Notification, NotificationAttempt, NotificationStatus, PushSubscription, ReminderKind, ReminderSettings,
)
from app.models.pwa import SubmissionKey  # noqa: F401
from app.models.safety import ClinicSettings, SafetyEvent, SafetyEventSource, SafetyPlan
from app.models.sites import Site, StaffSite
from app.models.therapy import TherapySession
from app.models.thoughts import RecordStatus, ThoughtComment, ThoughtEmotion, ThoughtRecord
from app.models.tms import CalendarFeed, ClinicClosure, ProtocolKind, TmsCourse, TmsSession, TmsSessionChange
from app.models.users import AccountToken, AdministrativeGender, DeviceSession, LoginFailure, Role, TokenPurpose, User

__all__ = [
    "AccountToken", "Activity", "AdministrativeGender", "ActivityIdea", "ActivityStatus", "Assignment", "AssignmentTiming", "AuditEntry",
    "CalendarFeed", "CareTeamMember", "CareTeamRole", "ClinicClosure", "ClinicSettings", "ClinicianRating", "DeviceSession", "HomeworkCompletion", "HomeworkEntry", "HomeworkKind", "LoginFailure", "MoodCheckin",
    "Notification", "NotificationAttempt", "NotificationStatus", "ProtocolKind", "PushSubscription",
    "QuestionnaireResponse", "RecordStatus", "ReminderKind", "ReminderSettings", "Role", "SafetyEvent",
    "SafetyEventSource", "SafetyPlan", "SideEffectCheck", "Site", "StaffSite", "TherapySession", "ThoughtComment", "ThoughtEmotion",
    "ThoughtRecord", "TmsCourse", "TmsSession", "TmsSessionChange", "TokenPurpose", "User",
]
