"""Changing a person's language: validated here, flushed; the request commits."""
from collections.abc import Mapping
from datetime import datetime

from sqlmodel import Session

from app.i18n.events import language_changed
from app.i18n.languages import LANGUAGES, is_supported
from app.models import User
from app.validation import FieldError


class LanguageInvalid(FieldError):
    """A language code we do not ship, reported against the form's `field`."""


def set_language(
    db: Session, *, user: User, language: str, at: datetime, supported: Mapping[str, str] = LANGUAGES
) -> User:
    """Store a shipped language code exactly; anything else is refused (the form shows the choices again).

    A real change is announced (language_changed) so reminders already written are re-worded before they go out.
    """
    if not is_supported(language, supported):
        raise LanguageInvalid("language", "Please choose one of the languages shown.")
    changed = user.language != language
    user.language = language
    db.add(user)
    db.flush()
    if changed:
        language_changed.send(user, user=user, db=db, at=at)
    return user
