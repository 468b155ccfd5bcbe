"""Translations for static JavaScript, taken from the same gettext catalogs as the pages.

`make translations` extracts the strings the JS marks with `gettext("...")` into translations/js.pot (babel-js.cfg)
and merges them into each language's messages.po, so a translator sees one catalog. The JSON route serves, for one
language, just the JS strings: {msgid: msgstr}. A string without a translation is left out and the JS shows its
English msgid, never an empty string.
"""
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations


@lru_cache(maxsize=8)
def js_msgids(pot_path: str, mtime: float) -> tuple[str, ...]:
    """The singular msgids of the JS template (cached per file version; a missing file means none yet)."""
    with open(pot_path, "rb") as handle:
        catalog = read_po(handle)
    return tuple(sorted(m.id for m in catalog if m.id and isinstance(m.id, str)))


def messages_for(translations: NullTranslations | Translations, msgids: tuple[str, ...]) -> dict[str, str]:
    """Only strings that really have a translation: an untranslated or empty msgstr falls back to English."""
    out: dict[str, str] = {}
    for msgid in msgids:
        text = translations.ugettext(msgid)
        if text and text != msgid:
            out[msgid] = text
    return out


def load_js_msgids(pot_path: Path) -> tuple[str, ...]:
    if not pot_path.is_file():
        return ()
    return js_msgids(str(pot_path), pot_path.stat().st_mtime)
