"""Signals other features listen to (push reminders, default questionnaires) without the TMS code knowing them."""
from blinker import Namespace

_signals = Namespace()

session_completed = _signals.signal("tms-session-completed")
"""Sent with `session=` (a completed TmsSession) and `db=` after the change is flushed."""

course_created = _signals.signal("tms-course-created")
"""Sent with `course=`, `sessions=` and `db=` after a course and its sessions are flushed."""
