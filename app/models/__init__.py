"""Every table model, imported once so SQLModel.metadata (and Alembic) sees them all."""
from app.models import base  # noqa: F401  (naming convention first)
from app.models.activation import Activity, ActivityIdea, ActivityStatus
from app.models.appointments import AppointmentStatus, TherapyAppointment
from app.models.audit import AuditEntry
from app.models.clock import ClockHeartbeat  # noqa: F401
from app.models.care_team import CareTeamMember, CareTeamRole
from app.models.checkins import ClinicianRating, MoodCheckin, QuestionnaireResponse, SideEffectCheck
from app.models.dbt import ClinicSkillCard, DiaryCard, DiaryRating, DiaryTargetRow, SkillUse  # noqa: F401
from app.models.exposure import (  # noqa: F401
    ExposurePractice, ExposureRecording, Hierarchy, HierarchyItem, PracticeRating, SudsRating,
)
from app.models.homework import Assignment, AssignmentTiming, HomeworkCompletion, HomeworkEntry, HomeworkKind
from app.models.push import (
    Notification, NotificationAttempt, NotificationStatus, PushSubscription, ReminderKind, ReminderSettings,
)
from app.models.plan import PlanPhase, TreatmentPlan
from app.models.pwa import SubmissionKey  # noqa: F401
from app.models.safety import ClinicSettings, SafetyEvent, SafetyEventSource, SafetyPlan
from app.models.sites import Site, StaffSite
from app.models.therapy import TherapySession
from app.models.thoughts import RecordStatus, ThoughtComment, ThoughtEmotion, ThoughtRecord
from app.models.tms import (
    CalendarFeed, ClinicClosure, ProtocolKind, StimulationPattern, TmsCourse, TmsSession, TmsSessionChange,
    TmsTreatmentRecord,
)
from app.models.users import (
    AccountToken, AdministrativeGender, DeviceSession, LoginFailure, Onboarding, Role, TokenPurpose, User,
)

__all__ = [
    "AccountToken", "Activity", "AppointmentStatus", "PlanPhase", "TherapyAppointment", "TreatmentPlan", "AdministrativeGender", "ActivityIdea", "ActivityStatus", "Assignment", "AssignmentTiming", "AuditEntry",
    "CalendarFeed", "CareTeamMember", "CareTeamRole", "ClinicClosure", "ClinicSettings", "ClinicianRating", "DeviceSession", "HomeworkCompletion", "HomeworkEntry", "HomeworkKind", "LoginFailure", "MoodCheckin",
    "Notification", "NotificationAttempt", "NotificationStatus", "Onboarding", "ProtocolKind", "PushSubscription",
    "QuestionnaireResponse", "RecordStatus", "ReminderKind", "ReminderSettings", "Role", "SafetyEvent",
    "SafetyEventSource", "SafetyPlan", "SideEffectCheck", "Site", "StaffSite", "TherapySession", "ThoughtComment",
    "ThoughtEmotion", "StimulationPattern", "ThoughtRecord", "TmsCourse", "TmsSession", "TmsSessionChange",
    "TmsTreatmentRecord", "TokenPurpose", "User",
]
