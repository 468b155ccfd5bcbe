"""Language events other features hang their side effects on (push re-words reminders already planned)."""
from blinker import Namespace

signals = Namespace()

language_changed = signals.signal("language-changed")
"""Sent by services.set_language inside the request's transaction with `db`, `user` and `at`; receivers only flush."""
