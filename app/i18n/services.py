"""Changing a person's language: validated here, flushed; the request commits."""
from collections.abc import Mapping

from sqlmodel import Session

from app.i18n.languages import LANGUAGES, is_supported
from app.models import User
from app.validation import FieldError


class LanguageInvalid(FieldError):
    """A language code we do not ship, reported against the form's `field`."""


def set_language(db: Session, *, user: User, language: str, supported: Mapping[str, str] = LANGUAGES) -> User:
    """Store a shipped language code exactly; anything else is refused (the form shows the choices again)."""
    if not is_supported(language, supported):
        raise LanguageInvalid("language", "Please choose one of the languages shown.")
    user.language = language
    db.add(user)
    db.flush()
    return user
