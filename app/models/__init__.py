"""Every table model, imported once so SQLModel.metadata (and Alembic) sees them all."""
from app.models import base  # noqa: F401  (naming convention first)
from app.models.homework import Assignment, AssignmentTiming, HomeworkCompletion, HomeworkKind
from app.models.tms import CalendarFeed, ProtocolKind, TmsCourse, TmsSession
from app.models.users import AccountToken, LoginFailure, Role, TokenPurpose, User

__all__ = [
    "AccountToken", "Assignment", "CalendarFeed", "AssignmentTiming", "HomeworkCompletion", "HomeworkKind", "LoginFailure", "ProtocolKind",
    "Role", "TmsCourse", "TmsSession", "TokenPurpose", "User",
]
