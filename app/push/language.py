"""Reminder wording in the recipient's language: render a notification's text inside `in_language_of(user)`.

Reminders are written by the clock and by other people's requests (staff marking a visit done, a patient's
safety event alerting the therapist), so the request's own language is the wrong one: the recipient's is used.
"""
from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import force_locale

from app.i18n import language_of
from app.models import User


@contextmanager
def in_language_of(user: User) -> Iterator[str]:
    """gettext inside the block answers in `user`'s language (English outside an app context)."""
    language = language_of(user)
    with force_locale(language):
        yield language
