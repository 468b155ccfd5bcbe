"""Which wording of a questionnaire a patient sees: a validated translation in their language, else English.

Only the words change: codes, item numbers, option values, bands and scoring are the instrument's own, so a
Spanish PHQ-9 scores exactly like an English one (CLINICAL.md, Measures). Adding a language is adding its
module of published wording (like translations_es.py) to VALIDATED below; nothing is machine-translated.
"""
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from types import MappingProxyType

from app.checkins.instruments import PHQ9_DIFFICULTY_OPTIONS, PHQ9_DIFFICULTY_QUESTION, AnswerOption, Instrument
from app.checkins.translations_es import WORDING_ES

ENGLISH = "en"

VALIDATED: Mapping[str, Mapping[str, Mapping]] = MappingProxyType({"es": WORDING_ES})
"""Language -> instrument code -> published wording (title, timeframe_prompt, items by number, options by value)."""


HANDLED = frozenset({"title", "timeframe_prompt", "items", "options"})


@dataclass(frozen=True)
class Wording:
    """The instrument as shown, the language of its words, and whether the patient asked for another language."""

    instrument: Instrument
    language: str
    requested: str

    @property
    def fell_back_to_english(self) -> bool:
        """True when the patient's language has no validated version of this instrument (show the note)."""
        return self.requested != ENGLISH and self.language == ENGLISH


def _complete(instrument: Instrument, wording: Mapping) -> bool:
    """A translation is used only if it words every item and every option; a partial one is never mixed in."""
    items = wording.get("items", {})
    options = wording.get("options", {})
    return (
        bool(wording.get("title"))
        and bool(wording.get("timeframe_prompt"))
        and all(items.get(number) for number in instrument.item_numbers)
        and all(options.get(option.value) for option in instrument.options)
    )


def wording_for(instrument: Instrument, language: str) -> Wording:
    """The validated wording of `instrument` in `language`, or the English instrument when there is none."""
    wording = VALIDATED.get(language, {}).get(instrument.code)
    if language == ENGLISH or wording is None or not _complete(instrument, wording):
        return Wording(instrument, ENGLISH, language)
    extra_texts = {  # other single texts the instrument grows (e.g. a closing question) follow when worded
        field.name: wording[field.name]
        for field in fields(instrument)
        if field.name not in HANDLED and isinstance(wording.get(field.name), str)
    }
    shown = replace(
        instrument,
        **extra_texts,
        title=wording["title"],
        timeframe_prompt=wording["timeframe_prompt"],
        items=tuple(wording["items"][number] for number in instrument.item_numbers),
        options=tuple(AnswerOption(option.value, wording["options"][option.value]) for option in instrument.options),
    )
    return Wording(shown, language, language)


def phq9_difficulty(wording: Wording) -> tuple[str, tuple[AnswerOption, ...]]:
    """The PHQ-9's closing, unscored question and its answers in the wording shown (from the same published form)."""
    published = VALIDATED.get(wording.language, {}).get("phq9", {})
    if not published.get("difficulty_prompt") or not published.get("difficulty_options"):
        return PHQ9_DIFFICULTY_QUESTION, PHQ9_DIFFICULTY_OPTIONS
    options = published["difficulty_options"]
    return published["difficulty_prompt"], tuple(
        AnswerOption(option.value, options[option.value]) for option in PHQ9_DIFFICULTY_OPTIONS)
