"""The languages the app speaks, and the one place that turns any language code into one of them.

Adding a language: add its code and its own name here, run `make translations` to create its catalog
(`pybabel init -d translations -l CODE` the first time), translate the .po file, and list any questionnaire
wording that has a validated translation in app/checkins/wording.py. Unknown codes always mean English.
"""
from collections.abc import Mapping
from types import MappingProxyType

DEFAULT_LANGUAGE = "en"

LANGUAGES: Mapping[str, str] = MappingProxyType({"en": "English", "es": "Español"})
"""Code -> the language's name in that language (a person finds their language by its own name)."""

ENGLISH_NAMES: Mapping[str, str] = MappingProxyType({"en": "English", "es": "Spanish"})
"""Code -> English name, for staff pages and exports ("answered in Spanish")."""


def normalise_language(code: object, supported: Mapping[str, str] | None = None) -> str:
    """A supported code for any input: "es-MX", "ES" and "es_US" become "es"; anything unknown becomes "en".

    Never raises: a language code comes from a browser header, a form or an old database row.
    """
    supported = LANGUAGES if supported is None else supported
    if not isinstance(code, str):
        return DEFAULT_LANGUAGE
    text = code.strip().replace("-", "_")
    if not text or len(text) > 16:
        return DEFAULT_LANGUAGE
    by_lower = {known.lower(): known for known in supported}
    if text.lower() in by_lower:
        return by_lower[text.lower()]
    primary = text.split("_", 1)[0].lower()
    return by_lower.get(primary, DEFAULT_LANGUAGE)


def is_supported(code: object, supported: Mapping[str, str] | None = None) -> bool:
    supported = LANGUAGES if supported is None else supported
    return isinstance(code, str) and code in supported


def english_name(code: str) -> str:
    """"Spanish" for "es"; an unknown code is shown as itself rather than hidden."""
    return ENGLISH_NAMES.get(code, code)


def html_lang(code: str) -> str:
    """BCP 47 for the `lang` attribute: "en_XA" -> "en-XA"."""
    return code.replace("_", "-")
