"""Questionnaires in validated wording only: a translation changes words, never codes, values or scoring."""
from types import MappingProxyType

import pytest

from app.checkins import wording as wording_module
from app.checkins.instruments import GAD7, INSTRUMENTS, PCL5, PHQ9, score
from app.checkins.translations_es import PHQ9_ES
from app.checkins.wording import VALIDATED, wording_for


def test_spanish_phq9_uses_the_published_wording_item_by_item():
    shown = wording_for(PHQ9, "es")
    assert (shown.language, shown.fell_back_to_english) == ("es", False)
    instrument = shown.instrument
    assert instrument.timeframe_prompt.startswith("Durante las últimas 2 semanas")
    assert instrument.items[0] == "Poco interés o placer en hacer cosas"
    assert instrument.items[8] == "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera"
    assert [o.label for o in instrument.options] == [
        "Ningún día", "Varios días", "Más de la mitad de los días", "Casi todos los días"]


def test_spanish_phq9_scores_exactly_like_the_english_one():
    shown = wording_for(PHQ9, "es").instrument
    assert (shown.code, shown.safety_item, shown.bands, shown.max_total) == (
        PHQ9.code, PHQ9.safety_item, PHQ9.bands, PHQ9.max_total)
    assert [o.value for o in shown.options] == [o.value for o in PHQ9.options]
    answers = {n: (n % 4) for n in PHQ9.item_numbers}
    assert score(shown, answers) == score(PHQ9, answers)
    assert score(shown, {**{n: 0 for n in PHQ9.item_numbers}, 9: 1}).safety_flag is True


@pytest.mark.parametrize("instrument", [GAD7, PCL5])
def test_instruments_without_a_validated_spanish_version_stay_english_with_a_note(instrument):
    shown = wording_for(instrument, "es")
    assert shown.instrument is instrument
    assert (shown.language, shown.requested, shown.fell_back_to_english) == ("en", "es", True)


@pytest.mark.parametrize("code", list(INSTRUMENTS))
def test_english_is_the_instrument_itself_and_needs_no_note(code):
    shown = wording_for(INSTRUMENTS[code], "en")
    assert shown.instrument is INSTRUMENTS[code] and not shown.fell_back_to_english


def test_a_language_with_no_wording_at_all_falls_back_to_english():
    assert wording_for(PHQ9, "fr").language == "en"


def test_an_incomplete_translation_is_never_mixed_with_english(monkeypatch):
    partial = MappingProxyType({**PHQ9_ES, "items": MappingProxyType({n: t for n, t in PHQ9_ES["items"].items() if n != 9})})
    monkeypatch.setattr(wording_module, "VALIDATED", {"es": {"phq9": partial}})
    assert wording_for(PHQ9, "es").instrument is PHQ9


@pytest.mark.parametrize("language,code", [(lang, code) for lang, by_code in VALIDATED.items() for code in by_code])
def test_every_shipped_translation_words_every_item_and_option(language, code):
    instrument = INSTRUMENTS[code]
    shown = wording_for(instrument, language)
    assert shown.language == language, f"{code} in {language} is incomplete"
    assert len(set(shown.instrument.items)) == len(instrument.items)
    assert not set(shown.instrument.items) & set(instrument.items), "an item was left in English"


def test_the_phq9_closing_difficulty_question_has_its_published_spanish_wording():
    assert PHQ9_ES["difficulty_prompt"].startswith("Si marcó cualquiera de los problemas")
    assert list(PHQ9_ES["difficulty_options"].values()) == [
        "No ha sido difícil", "Un poco difícil", "Muy difícil", "Extremadamente difícil"]


def test_a_text_the_instrument_grows_later_follows_the_translation_when_it_is_worded(monkeypatch):
    """The PHQ-9 difficulty question (branch `timing`) is worded in translations_es as `difficulty_prompt`."""
    from dataclasses import dataclass, fields

    from app.checkins.instruments import Instrument

    @dataclass(frozen=True)
    class WithClosingQuestion(Instrument):
        difficulty_prompt: str = "If you checked off any problems, how difficult have these problems made it ...?"

    grown = WithClosingQuestion(**{f.name: getattr(PHQ9, f.name) for f in fields(PHQ9)})
    shown = wording_for(grown, "es").instrument
    assert shown.difficulty_prompt == PHQ9_ES["difficulty_prompt"]
    assert wording_for(grown, "en").instrument.difficulty_prompt.startswith("If you checked off")


def test_the_phq9_difficulty_question_is_shown_in_the_wording_of_the_form():
    from app.checkins.instruments import PHQ9_DIFFICULTY_OPTIONS, PHQ9_DIFFICULTY_QUESTION
    from app.checkins.wording import phq9_difficulty

    question, options = phq9_difficulty(wording_for(PHQ9, "es"))
    assert question == PHQ9_ES["difficulty_prompt"]
    assert [(o.value, o.label) for o in options] == list(PHQ9_ES["difficulty_options"].items())
    assert phq9_difficulty(wording_for(PHQ9, "en")) == (PHQ9_DIFFICULTY_QUESTION, PHQ9_DIFFICULTY_OPTIONS)
    assert phq9_difficulty(wording_for(PHQ9, "fr")) == (PHQ9_DIFFICULTY_QUESTION, PHQ9_DIFFICULTY_OPTIONS)
