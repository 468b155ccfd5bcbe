"""Reminder wording in the recipient's language: render a notification's text inside `in_language_of(user)`.

Reminders are written by the clock and by other people's requests (staff marking a visit done, a patient's
safety event alerting the therapist), so the request's own language is the wrong one: the recipient's is used.
"""
from collections.abc import Iterator
from contextlib import contextmanager

from flask import has_app_context
from flask_babel import force_locale

from app.i18n.languages import LANGUAGES, normalise_language
from app.models import User


def language_of(user: User) -> str:
    """The recipient's shipped language; an unknown or empty code is English."""
    if has_app_context():
        from app.i18n import supported_languages

        return normalise_language(user.language, supported_languages())
    return normalise_language(user.language, LANGUAGES)


@contextmanager
def in_language_of(user: User) -> Iterator[str]:
    """gettext inside the block answers in `user`'s language (English outside an app context)."""
    language = language_of(user)
    with force_locale(language):
        yield language
