"""A pseudo-locale for finding words nobody marked for translation.

Every string extracted from the code and templates (the same `pybabel extract` as `make translations`) gets a
"translation" with each ASCII letter swapped for an accented look-alike ("Save" -> "Šáṽé"), leaving HTML tags,
entities and placeholders intact. A page rendered in that locale shows plain ASCII words only where text never
went through gettext: `untranslated_text` lists them. User data (names, notes) is plain too; pass it as `ignore`.

Babel has no en-XA, so the pseudo-locale borrows "en_001" (World English, which we never ship).
"""
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PSEUDO_LOCALE = "en_001"

_LOOKALIKES = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áƀçđéƒĝĥíĵķļɱñóþʠŕšţúṽŵẋýžÁƁÇĐÉƑĜĤÍĴĶĻṀÑÓÞɊŔŠŢÚṼŴẊÝŽ",
)
_KEEP = re.compile(r"<[^>]*>|&[#\w]+;|%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
_PLAIN_WORD = re.compile(r"[A-Za-z]{2,}")
VISIBLE_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt", "data-confirm")
"""data-confirm is the question static/js shows in a confirm dialog before the form is sent."""


def pseudo(text: str) -> str:
    """Accent every letter outside markup and placeholders, so translated text is recognisable and still works."""
    out, last = [], 0
    for match in _KEEP.finditer(text):
        out.append(text[last:match.start()].translate(_LOOKALIKES))
        out.append(match.group())
        last = match.end()
    out.append(text[last:].translate(_LOOKALIKES))
    return "".join(out)


def build_pseudo_catalog(directory: Path) -> Path:
    """Extract every marked string now and write translations/<pseudo>/LC_MESSAGES/messages.mo under `directory`."""
    pot = directory / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "extract", "-F", "babel.cfg", "-k", "_l", "-k", "I18n.gettext", "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        template = read_po(handle)
    catalog = Catalog(locale=PSEUDO_LOCALE)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, (tuple, list)):
            catalog.add(tuple(message.id), tuple(pseudo(form) for form in message.id))
        else:
            catalog.add(message.id, pseudo(message.id))
    folder = directory / "translations" / PSEUDO_LOCALE / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)
    return directory / "translations"


class _TextCollector(HTMLParser):
    """Visible text nodes and visible attribute values, optionally only inside the element with id `within`."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, within: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.within = within
        self.depth = 0 if within else 1
        self.skip = 0
        self.english = 0  # depth inside an element marked lang="en" (an instrument shown in English on purpose)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        inside = self.depth > 0
        if not inside and self.within and attributes.get("id") == self.within:
            self.depth = 1
            inside = True
        elif inside and tag not in self.VOID:
            self.depth += 1
        if tag in ("script", "style", "template"):
            self.skip += 1
        if tag not in self.VOID and (self.english or attributes.get("lang") == "en"):
            self.english += 1
        if inside and not self.skip and not self.english:
            for name in VISIBLE_ATTRIBUTES:
                if attributes.get(name):
                    self.found.append(attributes[name])
            if tag == "input" and attributes.get("type") in ("submit", "button", "reset") and attributes.get("value"):
                self.found.append(attributes["value"])
        if tag in self.VOID and self.within and attributes.get("id") == self.within:
            self.depth = 0

    def handle_endtag(self, tag):
        if self.english and tag not in self.VOID:
            self.english -= 1
        if tag in ("script", "style", "template"):
            self.skip = max(0, self.skip - 1)
        if self.depth > 0 and tag not in self.VOID and self.within:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth > 0 and not self.skip and not self.english and data.strip():
            self.found.append(data.strip())


def untranslated_text(html: str, *, within: str | None = None, ignore: tuple[str, ...] = ()) -> list[str]:
    """Text a person would read that still has plain ASCII words, i.e. never went through gettext.

    `within`: an element id to check only that part of the page (None: the whole document).
    `ignore`: user data and proper nouns shown on the page (names, emails, the clinic's name).
    """
    collector = _TextCollector(within)
    collector.feed(html)
    leftovers = []
    for text in collector.found:
        remainder = text
        for allowed in ignore:
            remainder = remainder.replace(allowed, " ")
        if _PLAIN_WORD.search(remainder):
            leftovers.append(text)
    return leftovers
