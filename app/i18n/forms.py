"""The language choice (settings page and invitations)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice

from app.i18n.languages import LANGUAGES

UNSUPPORTED_LANGUAGE = _l("Please choose one of the languages shown.")


def language_choices(languages=LANGUAGES) -> list[SelectChoice]:
    """Each language in its own name, so a person who reads no English still finds theirs."""
    return [SelectChoice(code, name) for code, name in languages.items()]


class LanguageForm(FlaskForm):
    language = RadioField(_l("Language"), validators=[], validate_choice=False)

    def __init__(self, *args, languages=LANGUAGES, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices(languages)
