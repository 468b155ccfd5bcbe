"""Any language code becomes one we ship, never an error (issue 21, bad input)."""
import pytest

from app.i18n.languages import LANGUAGES, english_name, html_lang, is_supported, normalise_language


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("es", "es"), ("ES", "es"), ("es-MX", "es"), ("es_US", "es"), (" es ", "es"),
        ("en", "en"), ("en-GB", "en"),
        ("fr", "en"), ("xx-YY", "en"), ("", "en"), (None, "en"), (42, "en"), ("e" * 500, "en"),
        ("../../etc/passwd", "en"), ("es\x00", "en"),
    ],
)
def test_any_code_becomes_a_shipped_language(raw, expected):
    assert normalise_language(raw) == expected


def test_extra_languages_are_matched_exactly_and_by_primary_subtag():
    supported = {**LANGUAGES, "en_XA": "Pseudo"}
    assert normalise_language("en-XA", supported) == "en_XA"
    assert normalise_language("en_xa", supported) == "en_XA"
    assert normalise_language("en-AU", supported) == "en"


def test_only_exact_shipped_codes_are_stored():
    assert is_supported("es") and is_supported("en")
    assert not is_supported("es-MX") and not is_supported("fr") and not is_supported(None)


def test_names_and_html_lang():
    assert english_name("es") == "Spanish" and english_name("zz") == "zz"
    assert html_lang("en_XA") == "en-XA" and html_lang("es") == "es"
