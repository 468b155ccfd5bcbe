"""Every table model, imported once so SQLModel.metadata (and Alembic) sees them all."""
from app.models import base  # noqa: F401  (naming convention first)
from app.models.activation import Activity, ActivityIdea, ActivityStatus
from app.models.homework import Assignment, AssignmentTiming, HomeworkCompletion, HomeworkKind
from app.models.tms import ProtocolKind, TmsCourse, TmsSession
from app.models.thoughts import RecordStatus, ThoughtComment, ThoughtEmotion, ThoughtRecord
from app.models.users import AccountToken, Role, TokenPurpose, User

__all__ = [
    "AccountToken", "Activity", "ActivityIdea", "ActivityStatus", "RecordStatus", "ThoughtComment", "ThoughtEmotion",
    "ThoughtRecord", "Assignment", "AssignmentTiming", "HomeworkCompletion", "HomeworkKind", "ProtocolKind",
    "Role", "TmsCourse", "TmsSession", "TokenPurpose", "User",
]
