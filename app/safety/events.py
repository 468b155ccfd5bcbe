"""Signals other features hang off (push alerts): sent after a safety event row is flushed."""
from blinker import Namespace

signals = Namespace()

safety_event_created = signals.signal("safety_event_created")
"""Sent with the SafetyEvent as sender once it has an id; receivers must not commit or roll back the session."""
