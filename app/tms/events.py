"""Signals other features listen to (push reminders, default questionnaires) without the TMS code knowing them."""
from blinker import Namespace

_signals = Namespace()

session_completed = _signals.signal("tms-session-completed")
"""Sent with `session=` (a completed TmsSession) and `db=` after the change is flushed."""

course_created = _signals.signal("tms-course-created")
"""Sent with `course=`, `sessions=` and `db=` after a course and its sessions are flushed."""

session_changed = _signals.signal("tms-session-changed")
"""Sent with `session=`, `db=` and `previous=` (status, started_at before the change) after any status or actual
start change is flushed, including the first completion: windows moved, so homework and reminders follow."""
