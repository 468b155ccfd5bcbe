"""Account events other features hang their side effects on (push drops subscriptions on deactivation)."""
from blinker import Namespace

signals = Namespace()

user_deactivated = signals.signal("user-deactivated")
"""Sent by accounts.deactivate inside the request's transaction with `db` and `user`; receivers only flush."""
