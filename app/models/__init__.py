"""Every table model, imported once so SQLModel.metadata (and Alembic) sees them all."""
from app.models import base  # noqa: F401  (naming convention first)
from app.models.dbt import ClinicSkillCard, DiaryCard, DiaryRating, DiaryTargetRow, SkillUse  # noqa: F401
from app.models.exposure import ExposurePractice, Hierarchy, HierarchyItem, SudsRating  # noqa: F401
from app.models.homework import Assignment, AssignmentTiming, HomeworkCompletion, HomeworkKind
from app.models.tms import ProtocolKind, TmsCourse, TmsSession
from app.models.users import AccountToken, Role, TokenPurpose, User

__all__ = [
    "AccountToken", "Assignment", "AssignmentTiming", "HomeworkCompletion", "HomeworkKind", "ProtocolKind",
    "Role", "TmsCourse", "TmsSession", "TokenPurpose", "User",
]
